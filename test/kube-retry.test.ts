import { memoryLogger } from '@upgrade-actions/common';
import { deploy, type DeployOptions } from '@upgrade-actions/deploy';
import { KubeClient, loadClusterAccess, parseManifests } from '@upgrade-actions/kube';
import { startKubeSim, type KubeSim } from '@upgrade-actions/kube-sim';
import { parseWorkloads, rollback } from '@upgrade-actions/rollback';
import { DEFAULT_RETRY, retryDelay } from '../packages/kube/src/retry';

// Transient API errors — 5xx, 429 with Retry-After, dropped connections — are retried where a repeat is
// safe, as client-go does, and deploy and rollback complete through them with each write done once.

describe('retryDelay: which failures are retried, and after how long', () => {
  const p = DEFAULT_RETRY;
  const reset = { error: Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }) };
  test.each<[string, string, string | undefined, Parameters<typeof retryDelay>[4], number | undefined]>([
    [
      '429 with Retry-After, any request (the server did not process it)',
      'POST',
      undefined,
      { status: 429, retryAfter: '1' },
      1000,
    ],
    ['429 without Retry-After: backoff', 'DELETE', undefined, { status: 429 }, 250],
    ['503 on a read', 'GET', undefined, { status: 503 }, 250],
    ['503 on server-side apply', 'PATCH', 'application/apply-patch+yaml', { status: 503 }, 250],
    [
      '503 on a merge patch (applying it twice is applying it once)',
      'PATCH',
      'application/merge-patch+json',
      { status: 503 },
      250,
    ],
    ['503 on a PUT', 'PUT', undefined, { status: 503, retryAfter: '2' }, 2000],
    ['503 on a create: it may have happened', 'POST', undefined, { status: 503 }, undefined],
    [
      '503 on a JSON patch: an add would add twice',
      'PATCH',
      'application/json-patch+json',
      { status: 503 },
      undefined,
    ],
    ['500 on a DELETE', 'DELETE', undefined, { status: 500 }, undefined],
    ['501 is not transient', 'GET', undefined, { status: 501 }, undefined],
    ['409 is an answer', 'PUT', undefined, { status: 409 }, undefined],
    ['a reset connection on a read', 'GET', undefined, reset, 250],
    ['a reset connection on a create', 'POST', undefined, reset, undefined],
    [
      'a Retry-After beyond 30 s is not waited for',
      'GET',
      undefined,
      { status: 429, retryAfter: '120' },
      undefined,
    ],
  ])('%s', (_name, method, contentType, outcome, expected) => {
    expect(retryDelay(p, 1, method, contentType, outcome)).toBe(expected);
  });

  test('backoff doubles up to its cap, and stops after the last attempt', () => {
    expect([1, 2, 3, 4, 5].map((a) => retryDelay(p, a, 'GET', undefined, { status: 503 }))).toEqual([
      250, 500, 1000, 2000, 4000,
    ]);
    expect(retryDelay(p, p.maxAttempts, 'GET', undefined, { status: 503 })).toBeUndefined();
  });
});

const manifests = (image: string) =>
  parseManifests(
    `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  replicas: 3
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: web, image: "${image}"}]}
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec: {selector: {app: web}, ports: [{port: 80}]}
---
apiVersion: v1
kind: Namespace
metadata: {name: shop}
`,
    'app.yaml',
  );

/** A small deterministic random source, so each run injects the same faults. */
function seeded(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
}

let sim: KubeSim;
let client: KubeClient;
const waits: number[] = [];

beforeAll(async () => {
  sim = await startKubeSim({ speed: 50, random: seeded(7), controllers: { events: false } });
  client = new KubeClient(loadClusterAccess({ path: sim.kubeconfigPath }));
  client.sleep = async (ms) => void waits.push(ms); // honour the waits in the record, not in real time
});
afterAll(async () => {
  client?.close();
  await sim?.stop();
});

const options = (image: string, logger = memoryLogger()): DeployOptions => ({
  client,
  access: client.access,
  manifests: manifests(image),
  namespace: 'shop',
  overrides: new Map(),
  fieldManager: 'upgrade-actions',
  serverSide: true,
  wait: true,
  timeoutMs: 30_000,
  apiCheck: true,
  policy: { forbidLatest: true, requireDigest: false },
  allowFailedRevision: false,
  rollbackOnFailure: false,
  identity: 'retry-test',
  logger,
});

/** Successful writes that were not dry runs: a write done twice would show here. */
const writes = () =>
  sim.requests.filter(
    (r) =>
      ['POST', 'PUT', 'PATCH', 'DELETE'].includes(r.method) && r.code < 300 && !r.query.includes('dryRun'),
  ).length;

test('deploy completes with 10% of requests failing 503, each write done once', async () => {
  const before = writes();
  const undo = sim.faults.set({ verb: '*', errorRate: 0.1, errorCode: 503 });
  const logger = memoryLogger();
  try {
    const r = await deploy(options('web:1.0', logger));
    expect(r.failures).toEqual([]);
  } finally {
    undo();
  }
  expect(sim.requests.filter((r) => r.code === 503).length).toBeGreaterThan(0);
  expect(logger.lines.some((l) => /answered 503; retrying in \d+ ms \(attempt 2 of 6\)/.test(l))).toBe(true);
  // Namespace, Deployment and Service applied once each: three writes.
  expect(writes() - before).toBe(3);
});

test('deploy completes with 30% of requests throttled (429, Retry-After: 1), waiting as told', async () => {
  waits.length = 0;
  const before = writes();
  const undo = sim.faults.set({ verb: '*', throttleRate: 0.3, retryAfterSeconds: 1 });
  try {
    const r = await deploy(options('web:1.1'));
    expect(r.failures).toEqual([]);
  } finally {
    undo();
  }
  expect(sim.requests.filter((r) => r.code === 429).length).toBeGreaterThan(0);
  expect(waits.length).toBeGreaterThan(0);
  expect(waits.every((w) => w === 1000)).toBe(true);
  expect(writes() - before).toBe(3); // one server-side apply per object, none twice
});

test('rollback completes with 10% 503 and 30% 429', async () => {
  const undo503 = sim.faults.set({ verb: '*', errorRate: 0.1, errorCode: 503 });
  const undo429 = sim.faults.set({ verb: '*', throttleRate: 0.3, retryAfterSeconds: 1 });
  try {
    const r = await rollback({
      client,
      targets: parseWorkloads(['deployment/web'], 'shop'),
      reason: 'test',
      identity: 'retry-test-rollback',
      timeoutMs: 30_000,
      logger: memoryLogger(),
    });
    expect(r.outcomes.map((o) => o.action)).toEqual(['rolled-back']);
  } finally {
    undo503();
    undo429();
  }
  const d = await client.get<{ spec: { template: { spec: { containers: { image: string }[] } } } }>(
    '/apis/apps/v1/namespaces/shop/deployments/web',
  );
  expect(d.spec.template.spec.containers[0].image).toBe('web:1.0');
});

test('a refused connection is not retried: nothing listens there, as kubectl says at once', () => {
  const refused = { error: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }) };
  expect(retryDelay(DEFAULT_RETRY, 1, 'GET', undefined, refused)).toBeUndefined();
});
