import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startKubeSim, type KubeSim } from '@upgrade-actions/kube-sim';
import { parseRelease } from '@upgrade-actions/release';
import { runAction } from './harness/run-action';

// The deploy action (from dist/) stopped after its first write — by an API server that fails every read
// after the apply, or by the runner cancelling the job mid-wait — still writes the `release` output and
// the summary for what it applied: a later rollback step has something to roll back.

let sim: KubeSim;
let workspace: string;

const manifest = (name: string) => `apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}, namespace: default}
spec:
  replicas: 2
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec: {containers: [{name: web, image: ghcr.io/acme/web:placeholder}]}
`;

beforeAll(async () => {
  sim = await startKubeSim({
    speed: 50,
    controllers: { events: false, scenario: { '*/stuck:*': { ready: false } } },
  });
  workspace = mkdtempSync(path.join(tmpdir(), 'deploy-faults-'));
  mkdirSync(path.join(workspace, 'k8s'));
  writeFileSync(path.join(workspace, 'k8s', 'api.yaml'), manifest('api'));
  writeFileSync(path.join(workspace, 'k8s', 'web.yaml'), manifest('web'));
});

afterAll(async () => {
  await sim?.stop();
  rmSync(workspace, { recursive: true, force: true });
});

const inputs = (file: string, image: string) => ({
  manifests: `k8s/${file}`,
  kubeconfig: sim.kubeconfigPath,
  images: `ghcr.io/acme/web=${image}`,
  timeout: '2m',
});

test('every read failing 503 after the apply: exit 1, and the release output and summary describe what was applied', async () => {
  const first = await runAction('deploy', { workspace, inputs: inputs('api.yaml', 'ghcr.io/acme/web:1.0') });
  expect(first.code).toBe(0);

  // The moment the apply stores v2 (this handler runs inside the simulator, before it answers), the API
  // server starts failing every read of a Deployment: the deploy's retries run out after the write.
  const stop = sim.store.subscribe((e) => {
    const image = (e.object as { spec?: { template?: { spec?: { containers?: { image?: string }[] } } } })
      .spec?.template?.spec?.containers?.[0]?.image;
    if (e.object.kind === 'Deployment' && e.type === 'MODIFIED' && image === 'ghcr.io/acme/web:2.0')
      sim.faults.set({ verb: 'get', resource: 'deployments', errorRate: 1, errorCode: 503 });
  });
  try {
    const r = await runAction('deploy', { workspace, inputs: inputs('api.yaml', 'ghcr.io/acme/web:2.0') });
    expect(r.code).toBe(1);
    expect(r.failedMessage).toMatch(/^Error from server \(ServiceUnavailable\)/);
    expect(r.stdout).not.toMatch(/^\s+at /m);
    const release = parseRelease(r.outputs.release);
    expect(release.workloads).toEqual([
      expect.objectContaining({
        kind: 'Deployment',
        name: 'api',
        revisionBefore: 1,
        images: { web: 'ghcr.io/acme/web:2.0' },
      }),
    ]);
    expect(JSON.parse(r.outputs.applied)).toEqual([
      { name: 'deployment.apps/api', namespace: 'default', action: 'configured' },
    ]);
    expect(r.summary).toContain('Deploy stopped');
    expect(r.summary).toContain('default/Deployment/api');
    expect(r.summary).toContain('ghcr.io/acme/web:2.0');
  } finally {
    stop();
    sim.faults.clear();
  }
});

test('SIGTERM mid-rollout-wait: a "cancelled" error line, then outputs and summary for what was applied', async () => {
  const first = await runAction('deploy', { workspace, inputs: inputs('web.yaml', 'ghcr.io/acme/web:1.0') });
  expect(first.code).toBe(0);

  const r = await runAction('deploy', {
    workspace,
    inputs: inputs('web.yaml', 'ghcr.io/acme/stuck:2.0'),
    timeoutMs: 60_000,
    onSpawn: (child) => {
      let out = '';
      child.stdout?.on('data', (d: Buffer) => {
        out += d.toString();
        if (/Waiting for deployment "web" rollout to finish/.test(out) && !child.killed)
          child.kill('SIGTERM');
      });
    },
  });
  expect(r.code).toBe(1);
  const errors = r.annotations.filter((a) => a.level === 'error').map((a) => a.message);
  expect(errors).toEqual([
    expect.stringMatching(/^cancelled \(SIGTERM\) during "Rollout status: deployment\.apps\/web"/),
  ]);
  const release = parseRelease(r.outputs.release);
  // The rollout had begun: its revision is known, so a rollback step that runs on cancel can undo it.
  expect(release.workloads).toEqual([
    expect.objectContaining({
      name: 'web',
      revisionBefore: 1,
      revisionAfter: 2,
      images: { web: 'ghcr.io/acme/stuck:2.0' },
    }),
  ]);
  expect(JSON.parse(r.outputs.applied)).toEqual([
    { name: 'deployment.apps/web', namespace: 'default', action: 'configured' },
  ]);
  expect(r.summary).toContain('Deploy stopped');
  expect(r.summary).toContain('the step was cancelled');
});
