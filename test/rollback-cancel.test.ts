import {
  applyManifests,
  Discovery,
  followRolloutStatus,
  KubeClient,
  loadClusterAccess,
  parseManifests,
  resolveWorkload,
} from '@upgrade-actions/kube';
import { startKubeSim, type KubeSim } from '@upgrade-actions/kube-sim';
import { readMark } from '@upgrade-actions/rollback';
import { runAction } from './harness/run-action';

// The rollback action (from dist/) cancelled mid-wait, as the runner cancels a job: it says so, gives its
// Lease back at once, leaves the failed-revision mark, and a re-run proceeds without waiting for the Lease.

let sim: KubeSim;
let client: KubeClient;

const deployment = (image: string) => `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: default}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: web, image: "${image}"}]}
`;

beforeAll(async () => {
  sim = await startKubeSim({ speed: 20, controllers: { events: false } });
  client = new KubeClient(loadClusterAccess({ path: sim.kubeconfigPath }));
  for (const image of ['web:1', 'web:2']) {
    await applyManifests(client, parseManifests(deployment(image), 'web.yaml'), {
      fieldManager: 't',
      namespace: 'default',
    });
    const target = await resolveWorkload(client, new Discovery(client), {
      type: 'deploy',
      name: 'web',
      namespace: 'default',
    });
    await followRolloutStatus(client, target, { timeoutMs: 10_000, onMessage: () => {} });
  }
  // From now on web:1 never becomes Ready: the restored rollout waits, and the job is cancelled meanwhile.
  sim.controllers!.scenario.set('web:1', { ready: false });
});
afterAll(async () => {
  client?.close();
  await sim?.stop();
});

test('SIGTERM mid-wait: cancelled, the Lease released at once, the mark left, exit 1', async () => {
  const r = await runAction('rollback', {
    inputs: {
      workloads: 'deployment/web',
      kubeconfig: sim.kubeconfigPath,
      'lock-timeout': '5s',
      timeout: '5m',
    },
    timeoutMs: 60_000,
    onSpawn: (child) => {
      let out = '';
      let sent = false;
      child.stdout?.on('data', (d: Buffer) => {
        out += d.toString();
        // Once: every chunk within the 300 ms would otherwise schedule another SIGTERM (child.killed is
        // only set when the first is sent), and a second signal during cleanup ends the process unhandled.
        if (/rolled back/.test(out) && !sent) {
          sent = true;
          setTimeout(() => child.kill('SIGTERM'), 300);
        }
      });
    },
  });
  expect(r.code).toBe(1);
  const errors = r.annotations.filter((a) => a.level === 'error').map((a) => a.message);
  expect(errors.join('\n')).toMatch(/^cancelled \(SIGTERM\)/);
  expect(r.stdout).not.toMatch(/^\s+at /m);
  // What it had done is in the outputs and the summary: the undo was written, not yet verified.
  expect(r.outputs.result).toBe('cancelled');
  expect(JSON.parse(r.outputs['rolled-back'])).toMatchObject({
    'default/deployment.apps/web': { from: 2, to: 1 },
  });
  expect(r.summary).toContain('Rollback: cancelled');
  expect(r.summary).toContain('the restored rollout was not yet verified');
  const lease = await client.get<{ spec?: { holderIdentity?: string } }>(
    '/apis/coordination.k8s.io/v1/namespaces/default/leases/' +
      (
        await client.get<{ items: { metadata: { name: string } }[] }>(
          '/apis/coordination.k8s.io/v1/namespaces/default/leases',
        )
      ).items[0].metadata.name,
  );
  expect(lease.spec?.holderIdentity ?? '').toBe('');
  const mark = readMark(await client.get('/apis/apps/v1/namespaces/default/deployments/web'));
  expect(mark?.failedRevision).toBe(2);

  // The next run takes the Lease at once (a lock-timeout of 1 s would fail if the dead run still held it).
  sim.controllers!.scenario.set('web:1', { ready: true });
  const again = await runAction('rollback', {
    inputs: { workloads: 'deployment/web', kubeconfig: sim.kubeconfigPath, 'lock-timeout': '1s' },
    timeoutMs: 60_000,
  });
  expect(again.code).toBe(0);
  expect(again.outputs.result).toBe('already-rolled-back');
});
