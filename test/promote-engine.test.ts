import { buildAnalysis } from '@upgrade-actions/analysis';
import { memoryLogger } from '@upgrade-actions/common';
import {
  applyManifests,
  Discovery,
  followRolloutStatus,
  KubeClient,
  loadClusterAccess,
  parseManifests,
  resolveWorkload,
  type KubeObject,
} from '@upgrade-actions/kube';
import { startKubeSim, type KubeSim } from '@upgrade-actions/kube-sim';
import { apiServerAccess } from '@upgrade-actions/probe';
import {
  ACTIVE_ANNOTATION,
  COLOUR_LABEL,
  promote,
  readState,
  type PromoteOptions,
} from '@upgrade-actions/promote';
import { readMark } from '@upgrade-actions/rollback';
import { startTestApp, type TestApp } from './servers/test-app';

// Blue-green promotion on the simulator, every pod backed by a real local HTTP app: blue (v1), a good
// green (v2, v4), a green that fails its health endpoint (v3). Analysis reaches green through
// `<service>-preview` and the API server's service proxy, as a user's workflow would.
let sim: KubeSim;
let client: KubeClient;
let access: ReturnType<typeof loadClusterAccess>;
const apps: Record<string, TestApp> = {};
const NS = 'default';

const deployment = (name: string, image: string) => `
apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}}
spec:
  replicas: 2
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec:
      containers: [{name: app, image: "${image}", ports: [{containerPort: 8080}]}]
`;
const service = (name: string) => `
apiVersion: v1
kind: Service
metadata: {name: ${name}}
spec:
  selector: {app: ${name}}
  ports: [{name: http, port: 80, targetPort: 8080}]
`;

async function rolledOut(name: string) {
  const target = await resolveWorkload(client, new Discovery(client), {
    type: 'deploy',
    name,
    namespace: NS,
  });
  await followRolloutStatus(client, target, { timeoutMs: 20_000, onMessage: () => {} });
}

/** Blue as deploy leaves it: Deployment `name` (web:v1) and Service `name`. */
async function setup(name: string) {
  await applyManifests(
    client,
    parseManifests(deployment(name, 'web:v1') + '---' + service(name), 'blue.yaml'),
    {
      fieldManager: 'test',
      namespace: NS,
    },
  );
  await rolledOut(name);
}

/** The fields these tests read, loosely typed: each test checks the shape it expects. */
interface Loose extends KubeObject {
  spec: {
    replicas: number;
    selector: Record<string, string>;
    template: { metadata: { labels: Record<string, string> } };
  };
}
const get = (path: string) => client.get<Loose>(path);
const svc = (name: string) => get(`/api/v1/namespaces/${NS}/services/${name}`);
const deploy = (name: string) => get(`/apis/apps/v1/namespaces/${NS}/deployments/${name}`);

/** Which app answers through the Service: the one whose hit count for /healthy rose. */
async function servedBy(name: string): Promise<string[]> {
  const before = Object.fromEntries(Object.entries(apps).map(([k, a]) => [k, a.hits.get('/healthy') ?? 0]));
  for (let i = 0; i < 4; i++)
    await client.request('GET', `/api/v1/namespaces/${NS}/services/${name}:80/proxy/healthy`);
  return Object.keys(apps).filter((k) => (apps[k].hits.get('/healthy') ?? 0) > before[k]);
}

/** Every selector the Service had, as a watch sees it, while `during` runs. */
async function selectorsSeen(name: string, during: () => Promise<unknown>): Promise<string[]> {
  const seen: string[] = [];
  const controller = new AbortController();
  let ready!: () => void;
  const established = new Promise<void>((r) => (ready = r));
  const watching = (async () => {
    try {
      for await (const ev of client.watch(`/api/v1/namespaces/${NS}/services`, {
        query: { fieldSelector: `metadata.name=${name}` },
        signal: controller.signal,
      })) {
        ready();
        const s = JSON.stringify((ev.object as { spec?: { selector?: object } }).spec?.selector ?? {});
        if (seen[seen.length - 1] !== s) seen.push(s);
      }
    } catch {
      // aborted
    }
  })();
  await established;
  try {
    await during();
  } finally {
    controller.abort();
    await watching;
  }
  return seen;
}

function options(name: string, image: string, extra: Partial<PromoteOptions> = {}): PromoteOptions {
  return {
    client,
    namespace: NS,
    manifests: parseManifests(deployment(name, image) + '---' + service(name), 'release.yaml'),
    overrides: new Map(),
    policy: { forbidLatest: true, requireDigest: false },
    timing: { validationMs: 1200, watchMs: 1200, scaleDownDelayMs: 100, intervalMs: 400 },
    failureThreshold: 2,
    analysis: (vars) =>
      buildAnalysis(
        { urls: [`${name}-preview:80/switch`] },
        { vars: { ...vars, interval: '1s' }, api: apiServerAccess(access, NS) },
      ),
    maxDurationMs: 0,
    action: 'run',
    lockTimeoutMs: 20_000,
    readyTimeoutMs: 20_000,
    identity: `test-${name}-${Math.random().toString(16).slice(2, 6)}`,
    logger: memoryLogger(),
    ...extra,
  };
}

beforeAll(async () => {
  for (const v of ['v1', 'v2', 'v3', 'v4']) apps[v] = await startTestApp();
  apps.v3.failFrom(); // v3's /switch answers 503: a green that fails validation
  sim = await startKubeSim({
    speed: 50,
    controllers: {
      events: false,
      scenario: {
        ...Object.fromEntries(Object.entries(apps).map(([v, a]) => [`web:${v}`, { backend: a.url }])),
        'web:pull': { pullError: 'manifest unknown' },
      },
    },
  });
  access = loadClusterAccess({ path: sim.kubeconfigPath });
  client = new KubeClient(access);
});

afterAll(async () => {
  client?.close();
  await sim?.stop();
  for (const a of Object.values(apps)) await a.stop();
});

const pinned = (name: string) => ({ app: name });

describe('a blue-green promotion', () => {
  test('a good green is validated, switched in one selector write, watched, and blue scaled down', async () => {
    await setup('web');
    expect(await servedBy('web')).toEqual(['v1']);
    let r!: Awaited<ReturnType<typeof promote>>;
    const seen = await selectorsSeen('web', async () => {
      r = await promote(options('web', 'web:v2'));
    });
    expect(r).toMatchObject({ phase: 'promoted', active: 'web-green', previous: 'web' });
    // Pinned to blue's ReplicaSet first (the same pods), then one write to green; never both, never back.
    expect(seen).toHaveLength(3);
    expect(JSON.parse(seen[1])).toMatchObject({ app: 'web', 'pod-template-hash': expect.any(String) });
    expect(JSON.parse(seen[2])).toEqual({ app: 'web', [COLOUR_LABEL]: 'green' });
    expect(await servedBy('web')).toEqual(['v2']);
    expect(await servedBy('web-preview')).toEqual(['v2']);
    expect((await deploy('web')).spec.replicas).toBe(0);
    expect((await deploy('web-green')).spec.template.metadata.labels).toEqual({
      app: 'web',
      [COLOUR_LABEL]: 'green',
    });
    const s = await svc('web');
    expect(s.metadata?.annotations?.[ACTIVE_ANNOTATION]).toBe('web-green');
    const state = readState(s)!;
    expect(state.events.map((e) => e.event)).toEqual([
      'started',
      'green-ready',
      'validated',
      'switched',
      'scaled-down',
    ]);
    expect(state.phase).toBe('promoted');

    // The next promote works from the new active colour: web-blue beside web-green.
    const second = await promote(options('web', 'web:v4'));
    expect(second).toMatchObject({ phase: 'promoted', active: 'web-blue', previous: 'web-green' });
    expect(await servedBy('web')).toEqual(['v4']);
    expect((await svc('web')).spec.selector).toEqual({ app: 'web', [COLOUR_LABEL]: 'blue' });
    expect((await deploy('web-green')).spec.replicas).toBe(0);

    // The same release again is nothing to do.
    const again = await promote(options('web', 'web:v4'));
    expect(again).toMatchObject({ phase: 'promoted', active: 'web-blue' });
  });

  test('a green that fails validation never receives traffic (aborted), is marked, and is refused later', async () => {
    await setup('shop');
    let r!: Awaited<ReturnType<typeof promote>>;
    const seen = await selectorsSeen('shop', async () => {
      r = await promote(options('shop', 'web:v3'));
    });
    expect(r.phase).toBe('aborted');
    expect(r.failure).toMatch(/shop-preview:80\/switch failed 2 times in a row \(status 503/);
    expect(seen.some((x) => x.includes(COLOUR_LABEL))).toBe(false);
    expect(await servedBy('shop')).toEqual(['v1']);
    expect(await servedBy('shop-preview')).toEqual(['v1']);
    const green = await deploy('shop-green');
    expect(green.spec.replicas).toBe(0);
    expect(readMark(green)?.reason).toMatch(/failed 2 times/);
    await expect(promote(options('shop', 'web:v3'))).rejects.toThrow(
      /manifests: this template of shop was marked failed on shop-green/,
    );
  });

  test('a green that fails during the watch is switched back at once (rolled-back) and blue serves', async () => {
    await setup('cart');
    try {
      const r = await promote(options('cart', 'web:v4', { beforeSwitch: async () => apps.v4.failFrom() }));
      expect(r).toMatchObject({ phase: 'rolled-back', active: 'cart', previous: 'cart-green' });
      expect(r.switchBackMs).toBeGreaterThanOrEqual(0);
      expect(r.trip?.check).toBe('cart-preview:80/switch');
    } finally {
      apps.v4.recover();
    }
    const s = await svc('cart');
    expect(s.spec.selector).toMatchObject(pinned('cart'));
    expect(s.spec.selector[COLOUR_LABEL]).toBeUndefined();
    expect(await servedBy('cart')).toEqual(['v1']);
    expect((await deploy('cart')).spec.replicas).toBe(2);
    expect((await deploy('cart-green')).spec.replicas).toBe(0);
    expect(readState(s)!.events.map((e) => e.event)).toEqual([
      'started',
      'green-ready',
      'merged',
      'validated',
      'switched',
      'check-failed',
      'switched-back',
    ]);
  });

  test('a green that never becomes ready is aborted before any analysis, and blue keeps serving', async () => {
    await setup('img');
    const r = await promote(options('img', 'web:pull', { readyTimeoutMs: 1500 }));
    expect(r.phase).toBe('aborted');
    expect(r.failure).toMatch(/^img-green did not become ready: /);
    expect(readState(await svc('img'))!.roundCount).toBe(0);
    expect(await servedBy('img')).toEqual(['v1']);
    expect((await deploy('img-green')).spec.replicas).toBe(0);
    expect(readMark(await deploy('img-green'))).toBeDefined();
  });

  test('a run stopped by max-duration saves its place (progressing) and the next run resumes it', async () => {
    await setup('api');
    const first = await promote(options('api', 'web:v2', { maxDurationMs: 1 }));
    expect(first.phase).toBe('progressing');
    const saved = readState(await svc('api'))!;
    expect(saved).toMatchObject({ phase: 'progressing', stage: 'validating', green: 'api-green' });
    expect(await servedBy('api')).toEqual(['v1']);
    const second = await promote(options('api', 'web:v2'));
    expect(second).toMatchObject({ phase: 'promoted', active: 'api-green' });
    const events = readState(await svc('api'))!.events.map((e) => e.event);
    expect(events).toContain('paused');
    expect(events).toContain('resumed');
    expect(events.filter((e) => e === 'started')).toHaveLength(1);
  });

  test('another release is not started over one in flight, and action abort puts blue back', async () => {
    await setup('pay');
    await promote(options('pay', 'web:v2', { maxDurationMs: 1 }));
    await expect(promote(options('pay', 'web:v4'))).rejects.toThrow(
      /another promotion of pay is in flight \(pay-green, started .*\) with a different template/,
    );
    const r = await promote(options('pay', 'web:v2', { action: 'abort' }));
    expect(r.phase).toBe('aborted');
    expect(await servedBy('pay')).toEqual(['v1']);
    expect((await deploy('pay-green')).spec.replicas).toBe(0);
  });

  test('two concurrent runs never both switch: the Lease serialises them and the second finds it done', async () => {
    await setup('auth');
    let results!: Awaited<ReturnType<typeof promote>>[];
    const seen = await selectorsSeen('auth', async () => {
      results = await Promise.all([promote(options('auth', 'web:v2')), promote(options('auth', 'web:v2'))]);
    });
    expect(results.map((x) => x.phase)).toEqual(['promoted', 'promoted']);
    expect(seen.filter((x) => x.includes(COLOUR_LABEL))).toHaveLength(1);
    expect(await servedBy('auth')).toEqual(['v2']);
  });
});
