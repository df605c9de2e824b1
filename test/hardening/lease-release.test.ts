import { memoryLogger } from '@upgrade-actions/common';
import { KubeClient, loadClusterAccess } from '@upgrade-actions/kube';
import { R, startKubeSim, type KubeSim } from '@upgrade-actions/kube-sim';
import { LeaseLock, type Lease } from '@upgrade-actions/rollback';

// A Lease given back while the API server restarts is given back once it serves again, not left to expire
// (a re-run would otherwise wait out the dead run's claim, 30 s by default).

let sim: KubeSim;
let client: KubeClient;

beforeAll(async () => {
  sim = await startKubeSim({ controllers: false });
  client = new KubeClient(loadClusterAccess({ path: sim.kubeconfigPath }));
  client.onRetry = () => {};
});
afterAll(async () => {
  client?.close();
  await sim?.stop();
});

const holder = () => (sim.store.get(R.leases, 'default', 'web') as Lease | undefined)?.spec?.holderIdentity;

test('released across an API server restart of 1 s', async () => {
  const log = memoryLogger();
  const lock = new LeaseLock(client, { namespace: 'default', name: 'web', identity: 'run-1', logger: log });
  await lock.acquire(5_000);
  expect(holder()).toBe('run-1');
  const restarting = sim.restart(1_000);
  await lock.release();
  await restarting;
  expect(holder()).toBe('');
  expect(log.lines.filter((l) => l.startsWith('warning:'))).toEqual([]);
});

test('a release that keeps failing warns once, naming the lease and when it expires', async () => {
  const log = memoryLogger();
  const lock = new LeaseLock(client, { namespace: 'default', name: 'web', identity: 'run-2', logger: log });
  await lock.acquire(5_000);
  // The client's own retries of a 503, kept short here.
  client.retryPolicy = { ...client.retryPolicy, maxAttempts: 2, baseDelayMs: 10 };
  sim.faults.set({ verb: 'update', errorRate: 1, errorCode: 503 });
  await lock.release();
  sim.faults.clear();
  expect(holder()).toBe('run-2');
  expect(log.lines.filter((l) => l.startsWith('warning:'))).toEqual([
    expect.stringMatching(
      /^warning: could not release lease default\/web: Error from server \(ServiceUnavailable\): .*; it expires on its own within 30s$/,
    ),
  ]);
});
