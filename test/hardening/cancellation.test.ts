import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { R, startKubeSim, type KubeSim } from '@upgrade-actions/kube-sim';
import { parseRelease } from '@upgrade-actions/release';
import { runAction, type RunActionOptions } from '../harness/run-action';

// SIGTERM mid-step, as the runner cancels a job, for the actions with side effects that had no cancel
// handler of their own: deploy (cancelled while following the rollout) and smoke-test (cancelled while its
// Job runs). rollback, canary, promote and kind-cluster are cancelled in rollback-cancel.test.ts,
// canary-action.test.ts, promote-action.test.ts and kind-cluster-lifecycle.test.ts; the runner's two
// signals in a row in toolkit-runtime.test.ts. Each run: it says it was cancelled and where,
// no stack, what it did is handed on or cleaned up, and a later run proceeds.

let sim: KubeSim;
let workspace: string;

const deployment = (image: string) => `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: web, image: "${image}"}]}
`;

beforeAll(async () => {
  sim = await startKubeSim({
    speed: 20,
    controllers: {
      events: false,
      scenario: {
        'web:stuck': { ready: false },
        'smoke:slow': { completeAfterMs: 3_600_000, exitCode: 0, logs: ['smoke test running'] },
      },
    },
  });
  workspace = mkdtempSync(path.join(tmpdir(), 'cancellation-'));
  sim.store.create(R.namespaces, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } });
});

afterAll(async () => {
  await sim?.stop();
  rmSync(workspace, { recursive: true, force: true });
});

/** Sends SIGTERM once stdout matches `when`. */
const killWhen =
  (when: RegExp): RunActionOptions['onSpawn'] =>
  (child) => {
    let out = '';
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      if (when.test(out) && !child.killed) child.kill('SIGTERM');
    });
  };

const errors = (r: { annotations: { level: string; message: string }[] }) =>
  r.annotations
    .filter((a) => a.level === 'error')
    .map((a) => a.message)
    .join('\n');

function deployInputs(image: string): Record<string, string> {
  writeFileSync(path.join(workspace, 'web.yaml'), deployment(image));
  return { manifests: 'web.yaml', kubeconfig: sim.kubeconfigPath, timeout: '10m' };
}

test('deploy: SIGTERM while following the rollout: cancelled, the release output and summary say what was applied; a re-run converges', async () => {
  const first = await runAction('deploy', { workspace, inputs: deployInputs('web:1'), timeoutMs: 60_000 });
  expect(first.code).toBe(0);

  const r = await runAction('deploy', {
    workspace,
    inputs: deployInputs('web:stuck'),
    timeoutMs: 60_000,
    onSpawn: killWhen(/Waiting for deployment "web" rollout to finish/),
  });
  expect(r.code).toBe(1);
  expect(errors(r)).toMatch(/^cancelled \(SIGTERM\) during "Rollout status: deployment.apps\/web"/);
  expect(r.stdout).not.toMatch(/^\s+at /m);
  // What was applied is handed on: a later rollback step has a release to roll back.
  const release = parseRelease(r.outputs.release);
  expect(release.workloads).toEqual([
    expect.objectContaining({ name: 'web', namespace: 'shop', revisionBefore: 1, revisionAfter: 2 }),
  ]);
  expect(JSON.parse(r.outputs.applied)).toEqual([
    { name: 'deployment.apps/web', namespace: 'shop', action: 'configured' },
  ]);
  expect(r.summary).toContain('Deploy stopped');
  expect(r.summary).toContain('It stopped after its first write: the step was cancelled');

  // The same manifests again: nothing to change (no template write), the rollout followed to its end.
  sim.controllers!.scenario.set('web:stuck', { ready: true });
  const generation = () => sim.store.get(R.deployments, 'shop', 'web')?.metadata.generation;
  const before = generation();
  const again = await runAction('deploy', {
    workspace,
    inputs: deployInputs('web:stuck'),
    timeoutMs: 60_000,
  });
  expect(again.code).toBe(0);
  expect(parseRelease(again.outputs.release).workloads[0]).toMatchObject({
    revisionBefore: 2,
    revisionAfter: 2,
  });
  expect(generation()).toBe(before);
}, 120_000);

test('smoke-test: SIGTERM while its Job runs: cancelled, the Job deleted; the next run creates its own', async () => {
  const jobs = () => sim.store.list(R.jobs, { namespace: 'shop' }).map((j) => j.metadata.name);
  const r = await runAction('smoke-test', {
    workspace,
    inputs: { image: 'smoke:slow', namespace: 'shop', kubeconfig: sim.kubeconfigPath, 'job-timeout': '1h' },
    timeoutMs: 60_000,
    onSpawn: killWhen(/smoke test running/),
  });
  expect(r.code).toBe(1);
  expect(errors(r)).toMatch(/^cancelled \(SIGTERM\)/);
  expect(r.stdout).not.toMatch(/^\s+at /m);
  expect(r.stdout).toMatch(/job\/smoke-test-[a-z0-9]+ deleted/);
  expect(jobs()).toEqual([]);

  sim.controllers!.scenario.set('smoke:slow', { completeAfterMs: 1000, exitCode: 0, logs: ['ok'] });
  const again = await runAction('smoke-test', {
    workspace,
    inputs: { image: 'smoke:slow', namespace: 'shop', kubeconfig: sim.kubeconfigPath },
    timeoutMs: 60_000,
  });
  expect(again.code).toBe(0);
  expect(again.outputs).toMatchObject({ passed: '1', failed: '0' });
  expect(jobs()).toEqual([]);
}, 120_000);
