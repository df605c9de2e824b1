import { memoryLogger } from '@upgrade-actions/common';
import { KubeClient, loadClusterAccess } from '@upgrade-actions/kube';
import { R, startKubeSim, type FaultRule, type KubeSim } from '@upgrade-actions/kube-sim';
import { readMark } from '@upgrade-actions/rollback';
import { startTestApp, type TestApp } from '../servers/test-app';
import { countTemplateChanges, recordSelectors, runners, seededRandom } from './fault-helpers';

// Deploy, rollback, canary and promote on the simulator while its API server misbehaves as real ones do on a bad
// day. For each fault: the work completes or fails cleanly (one line, no stack), nothing is done twice
// (template changes counted from the store, whatever the client retried), and a re-run with the fault
// gone converges with no further change. Rates draw from a seeded random source, so a run is repeatable.

let sim: KubeSim;
let app: TestApp;
let client: KubeClient;
let stopCounting: () => void;
let changes: ReturnType<typeof countTemplateChanges>['changes'];
let selectors: ReturnType<typeof recordSelectors>;

beforeAll(async () => {
  app = await startTestApp();
  sim = await startKubeSim({
    speed: 50,
    random: seededRandom(19),
    controllers: {
      events: false,
      // A rollout that lasts: pods take 1 s of real time to start, so faults land while it is followed.
      // The canary's pods (api) are served by a real local app, analysed through the service proxy.
      scenario: { 'web:*': { startDelayMs: 50_000 }, 'api:*': { backend: app.url } },
    },
  });
  client = new KubeClient(loadClusterAccess({ path: sim.kubeconfigPath }));
  // Retries said in the log of the run, not on stderr.
  client.onRetry = () => {};
  ({ changes, stop: stopCounting } = countTemplateChanges(sim.store));
  selectors = recordSelectors(sim.store);
});

afterAll(async () => {
  stopCounting?.();
  selectors?.stop();
  client?.close();
  await sim?.stop();
  await app?.stop();
});

afterEach(() => sim.faults.clear());

const { deployRun, rollbackRun, canaryRun, promoteRun } = runners(() => client);

/** A failure is clean when it is one line that says what failed, with no stack in the message. */
function expectClean(e: unknown): void {
  const message = (e as Error).message;
  expect(message).not.toMatch(/\n\s+at /);
  expect(message.split('\n')).toHaveLength(1);
  expect(message).toMatch(/\S/);
}

/** Runs `work`, tolerating a clean failure (the fault may be one the client must not retry). */
async function attempt<T>(work: () => Promise<T>): Promise<T | undefined> {
  try {
    return await work();
  } catch (e) {
    expectClean(e);
    return undefined;
  }
}

const image = (ns: string, name: string) =>
  (
    sim.store.get(R.deployments, ns, name)?.spec as {
      template: { spec: { containers: { image: string }[] } };
    }
  ).template.spec.containers[0].image;

interface Fault {
  name: string;
  /** Turns the fault on; returns what ends it once the run ended (e.g. stop a timer, wait for a restart). */
  start: () => () => void | Promise<void>;
}

const rule = (r: FaultRule) => () => sim.faults.set(r);

const FAULTS: Fault[] = [
  { name: '5xx on 10% of requests', start: rule({ verb: '*', errorRate: 0.1, errorCode: 503 }) },
  {
    name: '429 with Retry-After',
    start: rule({ verb: '*', throttleRate: 0.2, retryAfterSeconds: 1 }),
  },
  { name: 'dropped watches', start: rule({ verb: 'watch', dropAfterMs: 200 }) },
  {
    name: '410 Gone',
    // Watches cut often, and every resourceVersion compacted away meanwhile: each resume gets 410 Gone.
    start: () => {
      const undo = sim.faults.set({ verb: 'watch', dropAfterMs: 200 });
      const timer = setInterval(() => sim.store.compact(), 50);
      return () => {
        clearInterval(timer);
        undo();
      };
    },
  },
  {
    name: 'slow responses (2 s)',
    start: () => {
      const writes = sim.faults.set({ verb: 'patch', latencyMs: 2000, times: 2 });
      const reads = sim.faults.set({ verb: 'get', resource: 'deployments', latencyMs: 2000, times: 2 });
      return () => {
        writes();
        reads();
      };
    },
  },
  {
    name: 'the API server restarting mid-rollout',
    // 100 ms after the run's template change (its rollout under way), the server goes away for 2 s.
    start: () => {
      let restarting: Promise<void> | undefined;
      const seen = changes.total();
      const unsubscribe = sim.store.subscribe(() => {
        if (restarting || changes.total() === seen) return;
        restarting = new Promise((r) => setTimeout(r, 100)).then(() => sim.restart(2000));
      });
      return async () => {
        unsubscribe();
        await restarting;
      };
    },
  },
];

describe.each(FAULTS.map((f, i) => [f.name, f, `faults-${i}`] as const))('%s', (_name, fault, ns) => {
  beforeAll(async () => {
    sim.store.create(R.namespaces, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
    await deployRun(ns, 'web', 'web:1');
    await canaryRun(ns, 'api:1');
    await deployRun(ns, 'blue', 'api:1', undefined, true);
  });

  test('deploy: one template change; a re-run changes nothing and reports the release', async () => {
    const before = changes(ns, 'web');
    const stop = fault.start();
    const first = await attempt(() => deployRun(ns, 'web', 'web:2')).finally(stop);
    if (first) expect(first.failures).toEqual([]);
    expect(changes(ns, 'web') - before).toBe(1);
    const again = await deployRun(ns, 'web', 'web:2');
    expect(again.failures).toEqual([]);
    expect(again.release.workloads[0]).toMatchObject({ revisionBefore: 2, revisionAfter: 2 });
    expect(changes(ns, 'web') - before).toBe(1);
    expect(image(ns, 'web')).toBe('web:2');
  });

  test('rollback: exactly one undo, the mark written; a re-run says already rolled back', async () => {
    const before = changes(ns, 'web');
    const stop = fault.start();
    const log = memoryLogger();
    const first = await attempt(() => rollbackRun(ns, 'web', log)).finally(stop);
    const again = await rollbackRun(ns, 'web');
    if (process.env.DEBUG_FAULTS) console.log(first, log.lines, again);
    expect(changes(ns, 'web') - before).toBe(1);
    // A first run that completed leaves nothing to do; one that stopped before its undo leaves the undo
    // (and only it) to the re-run — either way, one undo in all.
    if (first) expect(first.outcomes.map((o) => o.action)).toEqual(['rolled-back']);
    expect(again.outcomes.map((o) => o.action)).toEqual([first ? 'already-rolled-back' : expect.any(String)]);
    expect(image(ns, 'web')).toBe('web:1');
    expect(readMark(sim.store.get(R.deployments, ns, 'web')!)).toMatchObject({
      failedRevision: 2,
      rolledBackTo: 3,
    });
  });

  test('canary: the canary created once, the promotion written once; a re-run is already promoted', async () => {
    const before = changes(ns, 'shop');
    const createdBefore = changes(ns, 'shop-canary');
    const stop = fault.start();
    const first = await attempt(() => canaryRun(ns, 'api:2')).finally(stop);
    if (first) expect([first.phase, first.message]).toEqual(['promoted', 'promoted']);
    const again = await canaryRun(ns, 'api:2');
    expect(again.phase).toBe('promoted');
    if (first) expect(again.message).toBe('already promoted');
    expect(changes(ns, 'shop') - before).toBe(1);
    expect(changes(ns, 'shop-canary') - createdBefore).toBe(1);
    expect(image(ns, 'shop')).toBe('api:2');
    expect(sim.store.get(R.deployments, ns, 'shop-canary')).toBeUndefined();
  });

  test('promote: the Service switched to green once, never back; a re-run finds it serving', async () => {
    const before = selectors.history(ns, 'blue').length;
    const stop = fault.start();
    const first = await attempt(() => promoteRun(ns, 'api:2')).finally(stop);
    if (first) expect([first.phase, first.failure]).toEqual(['promoted', undefined]);
    const again = await promoteRun(ns, 'api:2');
    expect(again.phase).toBe('promoted');
    expect(image(ns, again.active)).toBe('api:2');
    // Blue pinned to its colour (first promotion only), then one switch to green: no flapping, no repeat.
    const written = selectors.history(ns, 'blue').slice(before);
    const green = written.at(-1)!;
    expect(JSON.parse(green)).toMatchObject({ app: 'blue' });
    expect(written.filter((s) => s === green)).toHaveLength(1);
    expect(written.length).toBeLessThanOrEqual(2);
  });
});

test('canary: a 503 on the DELETE of the canary Deployment at promotion is tried again, not the end of the run', async () => {
  const ns = 'faults-delete';
  sim.store.create(R.namespaces, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
  await canaryRun(ns, 'api:1');
  const created = changes(ns, 'shop-canary');
  sim.faults.set({ verb: 'delete', resource: 'deployments', errorRate: 1, errorCode: 503, times: 1 });
  const r = await canaryRun(ns, 'api:2');
  expect([r.phase, r.message]).toEqual(['promoted', 'promoted']);
  expect(sim.requests.filter((q) => q.verb === 'delete' && q.code === 503)).toHaveLength(1);
  expect(sim.store.get(R.deployments, ns, 'shop-canary')).toBeUndefined();
  expect(changes(ns, 'shop-canary') - created).toBe(1);
});
