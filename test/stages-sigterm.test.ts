import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseManifests } from '@upgrade-actions/kube';
import type { KubeSim } from '@upgrade-actions/kube-sim';
import { stagedRollout } from '@upgrade-actions/verify';
import { spawnBuiltCli } from './harness/cli';
import { deploymentYaml } from './harness/manifests';
import { imageIn, readObject, startStageClusters, type StageClusters } from './harness/stages';

// SIGTERM to `upgrade-actions stages` (the built CLI in its own process, as a runner or a terminal stops
// it) on TWO simulated clusters: the stage running is rolled back, the Lease the rollback took is given
// back, production is never touched, and the process exits 1 naming the stage — whether the signal comes
// during the soak or while the deploy waits for its rollout.

let clusters: StageClusters;
let dev: KubeSim;
let prod: KubeSim;
let dir: string;

const web = deploymentYaml({ namespace: 'default', progressDeadlineSeconds: 6000 });
const leasePath = '/apis/coordination.k8s.io/v1/namespaces/default/leases/upgrade-actions-deployment-web';

/** `upgrade-actions stages` of `image` from the test's stages file, as its own process. */
const startStages = (image: string) =>
  spawnBuiltCli(
    ['stages', '--stages', 'stages.yaml', '-f', 'web.yaml', '--image', `web=${image}`, '--interval', '200ms'],
    {
      cwd: dir,
    },
  );

/** Runs the CLI, sends SIGTERM `afterMs` after its log shows `when`, and returns how it ended. */
function interruptWhen(image: string, when: RegExp, afterMs = 0) {
  const child = startStages(image);
  let stdout = '';
  let stderr = '';
  let sent = false;
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
    if (!sent && when.test(stderr)) {
      sent = true;
      setTimeout(() => child.kill('SIGTERM'), afterMs);
    }
  });
  // 'close', not 'exit': the output streams are drained by then.
  return new Promise<{ code: number | null; stdout: string; stderr: string; sent: boolean }>((resolve) =>
    child.on('close', (code) => resolve({ code, stdout, stderr, sent })),
  );
}

beforeAll(async () => {
  clusters = await startStageClusters((backend) => ({
    'web:1': { backend },
    'web:2': { backend },
    // Its pods take 10 simulated minutes to start: the deploy is still waiting for the rollout.
    'web:slow': { startDelayMs: 600_000, backend },
  }));
  ({ dev, prod } = clusters);
  dir = mkdtempSync(path.join(tmpdir(), 'stages-sigterm-'));
  writeFileSync(path.join(dir, 'web.yaml'), web);
  writeFileSync(
    path.join(dir, 'stages.yaml'),
    `stages:\n  - {name: development, kubeconfig: ${dev.kubeconfigPath}, soak: 10m}\n  - {name: production, kubeconfig: ${prod.kubeconfigPath}, soak: 0}\n`,
  );
  // development runs web:1 (the revision a rollback goes back to); production has never had web.
  const first = await stagedRollout({
    stages: [{ name: 'development', kubeconfig: dev.kubeconfigPath, soakMs: 0 }],
    manifests: parseManifests(web, 'web.yaml'),
    namespace: 'default',
    images: 'web=web:1',
    healthUrls: [],
    intervalMs: 200,
    failureThreshold: 2,
  });
  expect(first[0].result).toBe('promoted');
}, 60_000);
afterAll(async () => {
  await clusters?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function expectInterruptedAndRolledBack(r: {
  code: number | null;
  stdout: string;
  stderr: string;
  sent: boolean;
}) {
  expect(r.sent).toBe(true);
  expect(r.code).toBe(1);
  expect(r.stderr).toContain('SIGTERM: interrupting the stage running; it is rolled back before exit');
  // The last word: what the stopped engines still said after they were cut off is not news (debug only).
  expect(r.stderr).toMatch(/\nerror: stage development was interrupted by SIGTERM; it was rolled back\n$/);
  expect(r.stderr).not.toContain('This operation was aborted');
  expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
  const summary = JSON.parse(r.stdout);
  expect(summary).toEqual([
    expect.objectContaining({
      name: 'development',
      result: 'rolled back',
      interrupted: 'SIGTERM',
      message: 'interrupted by SIGTERM',
      rolledBack: expect.stringMatching(
        /^deployment\.apps\/web: rolled back from revision \d+ to revision \d+( \(now revision \d+\))?; not waited for$/,
      ),
    }),
    { name: 'production', result: 'not reached', soakSeconds: 0, durationSeconds: 0 },
  ]);
  expect(await imageIn(dev)).toBe('web:1');
  expect(await imageIn(prod)).toBe('absent');
  // The rollback's Lease on the workload is given back, not left to expire.
  const lease = await readObject<{ spec: { holderIdentity?: string } }>(dev, leasePath);
  expect(lease).toBeDefined();
  expect(lease!.spec.holderIdentity ?? '').toBe('');
}

test('SIGTERM during the soak: the stage is rolled back, its Lease released, exit 1 naming the stage', async () => {
  const r = await interruptWhen('web:2', /development: soaking for 10m/, 500);
  await expectInterruptedAndRolledBack(r);
  expect(JSON.parse(r.stdout)[0].soakSeconds).toBeGreaterThan(0);
}, 60_000);

test('SIGTERM while the deploy waits for its rollout: the half-rolled-out stage is rolled back too', async () => {
  const r = await interruptWhen('web:slow', /Waiting for deployment "web" rollout to finish/);
  await expectInterruptedAndRolledBack(r);
  expect(JSON.parse(r.stdout)[0].soakSeconds).toBe(0);
}, 60_000);

test('a second SIGTERM during that rollback does not wait for it: the Lease is given back and the process ends', async () => {
  const holder = async () =>
    (await readObject<{ spec: { holderIdentity?: string } }>(dev, leasePath))?.spec.holderIdentity ?? '';
  // The rollback's writes to the Deployment are slow (3 s each): it is still working when the second signal comes.
  const child = startStages('web:2');
  let stderr = '';
  const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
  let soaking!: () => void;
  const soak = new Promise<void>((r) => (soaking = r));
  child.stdout.resume();
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
    if (/development: soaking for/.test(stderr)) soaking();
  });
  try {
    await soak;
    dev.faults.set({ verb: 'patch', resource: 'deployments', latencyMs: 3000 });
    child.kill('SIGTERM');
    for (let i = 0; (await holder()) === '' && i < 200; i++) await new Promise((r) => setTimeout(r, 50));
    expect(await holder()).not.toBe(''); // the rollback holds the workload's Lease
    child.kill('SIGTERM');
    expect(await closed).toBe(1);
    expect(stderr).toContain(
      'error: SIGTERM again: the rollback was cut short; check the stage with upgrade-actions rollback',
    );
    expect(await holder()).toBe(''); // given back, not left to expire
    expect(await imageIn(prod)).toBe('absent');
  } finally {
    dev.faults.clear();
    child.kill('SIGKILL');
  }
}, 60_000);
