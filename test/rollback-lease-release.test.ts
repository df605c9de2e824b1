import { KubeClient, loadClusterAccess } from '@upgrade-actions/kube';
import { startKubeSim, type KubeSim } from '@upgrade-actions/kube-sim';
import { LeaseLock, type Lease } from '@upgrade-actions/rollback';

// Giving a Lease back on an API server that answers 503 for a moment: the release is retried (the read and
// the write are both safe to repeat), so the next run does not wait out a dead run's claim.

let sim: KubeSim;
let client: KubeClient;
const retries: string[] = [];

beforeAll(async () => {
  sim = await startKubeSim({ controllers: false });
  client = new KubeClient(loadClusterAccess({ path: sim.kubeconfigPath }));
  client.retryPolicy = { ...client.retryPolicy, baseDelayMs: 10 };
  client.onRetry = (m) => retries.push(m);
});
afterAll(async () => {
  client?.close();
  await sim?.stop();
});

const holder = async (name: string) =>
  (await client.get<Lease>(`/apis/coordination.k8s.io/v1/namespaces/default/leases/${name}`)).spec
    ?.holderIdentity;

test.each([
  ['the read', 'get' as const],
  ['the write', 'update' as const],
])('a 503 on %s of the release is retried and the Lease is given back', async (_what, verb) => {
  const name = `release-${verb}`;
  const lock = new LeaseLock(client, { namespace: 'default', name, identity: 'run-1' });
  await lock.acquire(1000);
  expect(await holder(name)).toBe('run-1');
  retries.length = 0;
  sim.faults.set({ verb, resource: 'leases', errorRate: 1, errorCode: 503, times: 2 });
  await lock.release();
  sim.faults.clear();
  expect(retries).toEqual([
    expect.stringMatching(/ answered 503; retrying in \d+ ms \(attempt 2 of 6\)$/),
    expect.stringMatching(/ answered 503; retrying in \d+ ms \(attempt 3 of 6\)$/),
  ]);
  expect(await holder(name)).toBe('');
});
