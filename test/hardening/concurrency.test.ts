import { KubeClient, loadClusterAccess } from '@upgrade-actions/kube';
import { R, startKubeSim, type KubeSim } from '@upgrade-actions/kube-sim';
import { startTestApp, type TestApp } from '../servers/test-app';
import { countTemplateChanges, recordSelectors, runners } from './fault-helpers';

// Two pipelines on one workload at once (a re-run started while the first still runs, two merges in a
// row): one acts, the other waits or finds the work done — never both. Counted as changes of the pod
// template the store saw, whatever each run reports.

let sim: KubeSim;
let app: TestApp;
let client: KubeClient;
let counter: ReturnType<typeof countTemplateChanges>;
let selectors: ReturnType<typeof recordSelectors>;
const { deployRun, rollbackRun, canaryRun, promoteRun } = runners(() => client);
const ns = 'race';

beforeAll(async () => {
  app = await startTestApp();
  sim = await startKubeSim({
    speed: 50,
    controllers: { events: false, scenario: { 'api:*': { backend: app.url } } },
  });
  client = new KubeClient(loadClusterAccess({ path: sim.kubeconfigPath }));
  counter = countTemplateChanges(sim.store);
  selectors = recordSelectors(sim.store);
  sim.store.create(R.namespaces, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
  await deployRun(ns, 'web', 'web:1');
  await canaryRun(ns, 'api:1');
  await deployRun(ns, 'blue', 'api:1', undefined, true);
});

afterAll(async () => {
  counter?.stop();
  selectors?.stop();
  client?.close();
  await sim?.stop();
  await app?.stop();
});

test('deploy: two runs of one release at once change the template once, and both report the same release', async () => {
  const before = counter.changes(ns, 'web');
  const [a, b] = await Promise.all([deployRun(ns, 'web', 'web:2'), deployRun(ns, 'web', 'web:2')]);
  expect(counter.changes(ns, 'web') - before).toBe(1);
  expect([a.failures, b.failures]).toEqual([[], []]);
  for (const r of [a, b])
    expect(r.release.workloads[0]).toMatchObject({ revisionBefore: 1, revisionAfter: 2 });
});

test('rollback: two runs at once undo once; the other waits for the Lease and finds it done', async () => {
  const before = counter.changes(ns, 'web');
  const [a, b] = await Promise.all([rollbackRun(ns, 'web'), rollbackRun(ns, 'web')]);
  expect(counter.changes(ns, 'web') - before).toBe(1);
  expect([...a.outcomes, ...b.outcomes].map((o) => o.action).sort()).toEqual([
    'already-rolled-back',
    'rolled-back',
  ]);
  expect(Math.max(a.outcomes[0].lockWaitMs, b.outcomes[0].lockWaitMs)).toBeGreaterThan(0);
});

test('canary: two runs at once create the canary once and promote once', async () => {
  const stable = counter.changes(ns, 'shop');
  const canary = counter.changes(ns, 'shop-canary');
  const [a, b] = await Promise.all([canaryRun(ns, 'api:2'), canaryRun(ns, 'api:2')]);
  expect([a.message, b.message].sort()).toEqual(['already promoted', 'promoted']);
  expect(counter.changes(ns, 'shop') - stable).toBe(1);
  expect(counter.changes(ns, 'shop-canary') - canary).toBe(1);
});

test('promote: two runs at once switch the Service once; the other finds green serving', async () => {
  const before = selectors.history(ns, 'blue').length;
  const [a, b] = await Promise.all([promoteRun(ns, 'api:2'), promoteRun(ns, 'api:2')]);
  expect([a.phase, b.phase]).toEqual(['promoted', 'promoted']);
  expect(a.active).toBe(b.active);
  const written = selectors.history(ns, 'blue').slice(before);
  // Blue pinned to its colour, then one switch to green: one run did both, the other neither.
  expect(written).toHaveLength(2);
  expect(counter.changes(ns, a.active)).toBe(1);
});
