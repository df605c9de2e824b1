import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Logger } from '@upgrade-actions/common';
import {
  runCanary,
  type CanaryOptions,
  CANARY_STATE_ANNOTATION,
  readCanaryState,
} from '@upgrade-actions/canary';
import { parseImageOverrides } from '@upgrade-actions/deploy';
import { KubeClient, loadClusterAccess, parseManifests, type KubeObject } from '@upgrade-actions/kube';
import { startKubeSim, type KubeSim } from '@upgrade-actions/kube-sim';
import { readMark } from '@upgrade-actions/rollback';
import { repoRoot } from './harness/run-action';
import { startTestApp, type TestApp } from './servers/test-app';

// The canary engine against the simulator: real local HTTP backends behind the pods (the scenario's
// `backend`), analysis through the API server's service proxy, every object read back with kubectl.

let sim: KubeSim;
let client: KubeClient;
let good: TestApp;
let bad: TestApp;
let dir: string;

async function kubectl(...args: string[]): Promise<string> {
  const { stdout } = await promisify(execFile)(
    'kubectl',
    ['--kubeconfig', sim.kubeconfigPath, '-n', 'shop', ...args],
    {
      env: { ...process.env, KUBECACHEDIR: path.join(dir, 'cache') },
    },
  );
  return stdout;
}
const getJson = async (type: string, name: string) =>
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- kubectl's JSON, read field by field
  JSON.parse(await kubectl('get', type, name, '-o', 'json')) as KubeObject & { spec: any; status?: any };
const exists = (type: string, name: string) =>
  kubectl('get', type, name).then(
    () => true,
    () => false,
  );

const manifests = (image: string) =>
  parseManifests(
    `
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  replicas: 4
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: app, image: "${image}", ports: [{containerPort: 8080}]}]
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec:
  selector: {app: web}
  ports: [{name: http, port: 80, targetPort: 8080}]
`,
    'web.yaml',
  );

const lines: string[] = [];
const logger: Logger = {
  debug: () => {},
  info: (m) => lines.push(m),
  warning: (m) => lines.push(`warning: ${m}`),
  error: (m) => lines.push(`error: ${m}`),
  group: async (name, fn) => {
    lines.push(`## ${name}`);
    return fn();
  },
};

function options(image: string, over: Partial<CanaryOptions> = {}): CanaryOptions {
  return {
    client,
    access: client.access,
    manifests: manifests(image),
    namespace: 'shop',
    overrides: parseImageOverrides(''),
    policy: { forbidLatest: true, requireDigest: false },
    router: 'replicas',
    matches: [],
    steps: [50, 100],
    timing: { stepIntervalMs: 1200, analysisIntervalMs: 300 },
    failureThreshold: 2,
    analysis: { urls: ['web-canary:80/switch'] },
    maxDurationMs: 0,
    action: 'run',
    identity: 'test-run',
    lockTimeoutMs: 20_000,
    rolloutTimeoutMs: 30_000,
    fieldManager: 'upgrade-actions',
    logger,
    ...over,
  };
}

async function resetTo(image: string): Promise<void> {
  // A clean stable release, no canary state or marks: each test starts from production as it was.
  const file = path.join(dir, `stable-${image.replace(/\W/g, '')}.yaml`);
  writeFileSync(
    file,
    `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  replicas: 4
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: app, image: "${image}", ports: [{containerPort: 8080}]}]
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec:
  selector: {app: web}
  ports: [{name: http, port: 80, targetPort: 8080}]
`,
  );
  await kubectl('delete', 'deployment', 'web', '--ignore-not-found', '--wait=false');
  await kubectl('delete', 'deployment', 'web-canary', '--ignore-not-found', '--wait=false');
  await kubectl('delete', 'service', 'web-canary', '--ignore-not-found');
  await kubectl('apply', '-f', file);
  await kubectl('rollout', 'status', 'deployment/web', '--timeout=30s');
}

beforeAll(async () => {
  good = await startTestApp();
  bad = await startTestApp();
  bad.failFrom();
  sim = await startKubeSim({
    speed: 50,
    controllers: {
      events: false,
      scenario: {
        'web:v1': { backend: good.url },
        'web:v2': { backend: good.url },
        'web:v3': { backend: good.url },
        'web:bad': { backend: bad.url },
        'web:crash': { crashAfterMs: 50, backend: good.url },
        'web:pull': { pullError: 'manifest unknown' },
        'web:slow': { backend: good.url, startDelayMs: 40_000 },
      },
    },
  });
  client = new KubeClient(loadClusterAccess({ path: sim.kubeconfigPath }));
  dir = mkdtempSync(path.join(tmpdir(), 'canary-'));
  await promisify(execFile)('kubectl', ['--kubeconfig', sim.kubeconfigPath, 'create', 'namespace', 'shop']);
  await kubectl('apply', '-f', path.join(repoRoot, 'test', 'fixtures', 'crds'));
});

afterAll(async () => {
  client?.close();
  await sim?.stop();
  await good?.stop();
  await bad?.stop();
  rmSync(dir, { recursive: true, force: true });
});

beforeEach(() => {
  lines.length = 0;
});

const image = async (name: string) =>
  (await getJson('deployment', name)).spec.template.spec.containers[0].image;

describe('replicas router', () => {
  test('a good release goes through every step and is promoted; nothing of the canary stays', async () => {
    await resetTo('web:v1');
    const r = await runCanary(options('web:v2'));
    expect(r).toMatchObject({ phase: 'promoted', weight: 100, step: 1, message: 'promoted' });
    expect(await image('web')).toBe('web:v2');
    const web = await getJson('deployment', 'web');
    expect(web.spec.replicas).toBe(4);
    expect(await exists('deployment', 'web-canary')).toBe(false);
    expect(await exists('service', 'web-canary')).toBe(false);
    const state = readCanaryState(web)!;
    expect(state.phase).toBe('promoted');
    expect(state.history.map((h) => h.weight)).toEqual([50, 100]);
    expect(state.history.every((h) => h.roundCount >= 1)).toBe(true);
    expect(r.release.workloads[0]).toMatchObject({
      name: 'web',
      revisionAfter: (r.release.workloads[0].revisionBefore ?? 0) + 1,
    });
    // The log says what happened, step by step, with kubectl's rollout messages.
    expect(lines).toContain('Step 2/2: 100% of traffic to the canary');
    expect(lines.some((l) => /round \d+: ✓ web-canary:80\/switch status 200/.test(l))).toBe(true);
    expect(lines).toContain('deployment "web" successfully rolled out');
    // A re-run with the same inputs has nothing left to do.
    const again = await runCanary(options('web:v2'));
    expect(again).toMatchObject({ phase: 'promoted', weight: 100, message: 'already promoted' });
  });

  test('a bad release aborts at the first gate; the stable version keeps serving; the template is marked', async () => {
    await resetTo('web:v1');
    const r = await runCanary(options('web:bad'));
    expect(r.phase).toBe('aborted');
    expect(r.weight).toBe(0);
    expect(r.step).toBe(0);
    expect(r.trip).toMatchObject({
      check: 'web-canary:80/switch',
      consecutiveFailures: 2,
      value: expect.stringMatching(/^status 503, \d+ ms$/),
    });
    expect(r.message).toMatch(/web-canary:80\/switch failed 2 rounds in a row: status 503/);
    const web = await getJson('deployment', 'web');
    expect(web.spec.template.spec.containers[0].image).toBe('web:v1');
    expect(web.spec.replicas).toBe(4);
    expect(await exists('deployment', 'web-canary')).toBe(false);
    expect(await exists('service', 'web-canary')).toBe(false);
    expect(readMark(web)?.reason).toMatch(/^canary aborted: web-canary:80\/switch failed/);
    // The stable Service still answers through the pods it always had.
    expect(
      JSON.parse(await kubectl('get', '--raw', '/api/v1/namespaces/shop/services/web:80/proxy/switch')),
    ).toEqual({
      status: 'ok',
    });
    // The same release again: it was aborted; it says so instead of trying it on production again.
    const again = await runCanary(options('web:bad'));
    expect(again).toMatchObject({ phase: 'aborted', weight: 0 });
    expect(again.message).toMatch(/this release was aborted at .*canary aborted/);
  });

  test('a canary that never becomes available is aborted before any analysis', async () => {
    await resetTo('web:v1');
    const r = await runCanary(options('web:pull', { rolloutTimeoutMs: 2000 }));
    expect(r.phase).toBe('aborted');
    expect(r.message).toMatch(/^the canary's pods failed: timed out/);
    expect(r.state?.history[0].roundCount).toBe(0);
    expect(await image('web')).toBe('web:v1');
    expect(await exists('deployment', 'web-canary')).toBe(false);
  });

  test('canary pods that crash after becoming ready trip the pods gate', async () => {
    await resetTo('web:v1');
    const r = await runCanary(options('web:crash'));
    expect(r.phase).toBe('aborted');
    expect(r.trip?.check).toBe('pods web-canary');
    expect(r.message).toMatch(/^pods web-canary failed 2 rounds in a row: /);
    expect((await getJson('deployment', 'web')).spec.replicas).toBe(4);
  });

  test('pods that take a while to start at a later step are waited for, not judged as failing', async () => {
    await resetTo('web:v1');
    // 40 s of simulated start-up is ~0.8 s at this speed: more than two analysis rounds.
    const r = await runCanary(options('web:slow', { steps: [25, 100] }));
    expect(r.phase).toBe('promoted');
    expect(lines).toContain('deployment "web-canary" successfully rolled out');
    expect(
      r.state!.history.flatMap((h) => h.rounds).every((round) => round.checks['pods web-canary'].ok),
    ).toBe(true);
  });

  test('a run stopped by max-duration saves its place; the next run resumes and finishes', async () => {
    await resetTo('web:v1');
    const first = await runCanary(
      options('web:v2', { maxDurationMs: 600, timing: { stepIntervalMs: 2000, analysisIntervalMs: 300 } }),
    );
    expect(first).toMatchObject({ phase: 'progressing', weight: 50, step: 0 });
    expect(first.message).toMatch(/max-duration reached/);
    // In flight: the split is in the cluster, not in the runner.
    const canary = await getJson('deployment', 'web-canary');
    expect(canary.spec.replicas).toBe(2);
    expect((await getJson('deployment', 'web')).spec.replicas).toBe(2);
    expect(await exists('service', 'web-canary')).toBe(true);
    const saved = readCanaryState(await getJson('deployment', 'web'))!;
    expect(saved.phase).toBe('progressing');
    const roundsBefore = saved.history[0].roundCount;
    expect(roundsBefore).toBeGreaterThan(0);

    // Another release while this one is in flight is refused before anything is written.
    await expect(runCanary(options('web:v3'))).rejects.toThrow(
      /a canary of another release .* is in flight .*action: abort first/,
    );

    const second = await runCanary(
      options('web:v2', { timing: { stepIntervalMs: 2000, analysisIntervalMs: 300 } }),
    );
    expect(second.phase).toBe('promoted');
    expect(lines.some((l) => l.startsWith('Resuming the canary of deployment.apps/web at step 1 of 2'))).toBe(
      true,
    );
    const done = readCanaryState(await getJson('deployment', 'web'))!;
    // The rounds of the first run count: the step did not start over.
    expect(done.history[0].roundCount).toBeGreaterThanOrEqual(roundsBefore);
    expect(done.history[0].startedAt).toBe(saved.history[0].startedAt);
  });

  test('action abort ends a canary in flight and succeeds; promote skips the remaining steps', async () => {
    await resetTo('web:v1');
    const first = await runCanary(
      options('web:v2', { maxDurationMs: 300, timing: { stepIntervalMs: 60_000, analysisIntervalMs: 100 } }),
    );
    expect(first.phase).toBe('progressing');
    const aborted = await runCanary(options('web:v2', { action: 'abort' }));
    expect(aborted).toMatchObject({ phase: 'aborted', weight: 0, requested: true });
    expect(await exists('deployment', 'web-canary')).toBe(false);
    expect((await getJson('deployment', 'web')).spec.replicas).toBe(4);

    await resetTo('web:v1');
    await runCanary(
      options('web:v3', { maxDurationMs: 300, timing: { stepIntervalMs: 60_000, analysisIntervalMs: 100 } }),
    );
    const promoted = await runCanary(options('web:v3', { action: 'promote' }));
    expect(promoted.phase).toBe('promoted');
    expect(await image('web')).toBe('web:v3');
  });

  test('two runs at once: one acts, the other waits for the Lease and then sees the work done', async () => {
    await resetTo('web:v1');
    const [a, b] = await Promise.all([
      runCanary(options('web:v2', { identity: 'run-a' })),
      runCanary(options('web:v2', { identity: 'run-b' })),
    ]);
    const messages = [a.message, b.message].sort();
    expect(messages).toEqual(['already promoted', 'promoted']);
    expect(
      lines.some((l) => /^Waiting for lease shop\/upgrade-actions-deployment-web, held by run-[ab]$/.test(l)),
    ).toBe(true);
  });

  test('bad input fails before the cluster is written to', async () => {
    await resetTo('web:v1');
    const before = (await getJson('deployment', 'web')).metadata!.resourceVersion;
    await expect(
      runCanary(options('web:v2', { analysis: { urls: ['web-canary:80/{{ canary }}'] } })),
    ).rejects.toThrow(/analysis-urls: unknown template variable \{\{ canary \}\}/);
    await expect(runCanary(options('web:latest'))).rejects.toThrow(/latest/);
    await expect(runCanary(options('web:v2', { router: 'nginx', ingress: 'nope' }))).rejects.toThrow(/nope/);
    await expect(
      runCanary(options('web:v2', { matches: [{ kind: 'header', name: 'x-user-tier', value: 'premium' }] })),
    ).rejects.toThrow(/header-match\/cookie-match: the replicas router cannot route by header/);
    const after = await getJson('deployment', 'web');
    expect(after.metadata!.resourceVersion).toBe(before);
    expect(after.metadata?.annotations?.[CANARY_STATE_ANNOTATION]).toBeUndefined();
  });
});

describe('traffic routers', () => {
  const userView = (o: KubeObject & { spec?: unknown }) => ({
    spec: o.spec,
    annotations: Object.fromEntries(
      Object.entries(o.metadata?.annotations ?? {}).filter(([k]) => !k.startsWith('kubectl.kubernetes.io/')),
    ),
  });
  const slow = { stepIntervalMs: 60_000, analysisIntervalMs: 200 };

  beforeAll(async () => {
    const file = path.join(dir, 'routers.yaml');
    writeFileSync(
      file,
      `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: { name: web, namespace: shop }
spec:
  ingressClassName: nginx
  rules:
    - host: web.example
      http: { paths: [{ path: /, pathType: Prefix, backend: { service: { name: web, port: { number: 80 } } } }] }
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: web, namespace: shop }
spec:
  hosts: [web.example]
  http:
    - name: main
      route: [{ destination: { host: web, port: { number: 80 } } }]
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: { name: web, namespace: shop }
spec:
  parentRefs: [{ name: public }]
  rules:
    - backendRefs: [{ name: web, port: 80 }]
`,
    );
    for (let i = 0; i < 50; i++) {
      const ok = await kubectl('apply', '-f', file).then(
        () => true,
        () => false,
      );
      if (ok) break;
      await new Promise((res) => setTimeout(res, 100)); // the CRDs take a moment to be served
    }
  });

  test('nginx: a canary Ingress per step, the stable Service pinned to the stable pods, all restored after promotion', async () => {
    await resetTo('web:v1');
    const ingressBefore = userView(await getJson('ingress', 'web'));
    const serviceBefore = (await getJson('service', 'web')).spec.selector;
    const opts = {
      router: 'nginx' as const,
      ingress: 'web',
      matches: [{ kind: 'header' as const, name: 'x-user-tier', value: 'premium' }],
    };
    const first = await runCanary(options('web:v2', { ...opts, maxDurationMs: 400, timing: slow }));
    expect(first).toMatchObject({ phase: 'progressing', weight: 50 });
    const canaryIngress = await getJson('ingress', 'web-canary');
    expect(canaryIngress.metadata?.annotations).toMatchObject({
      'nginx.ingress.kubernetes.io/canary': 'true',
      'nginx.ingress.kubernetes.io/canary-weight': '50',
      'nginx.ingress.kubernetes.io/canary-by-header': 'x-user-tier',
      'nginx.ingress.kubernetes.io/canary-by-header-value': 'premium',
    });
    expect(canaryIngress.spec.rules[0].http.paths[0].backend.service.name).toBe('web-canary');
    // The router carries the split: the stable Service selects only the stable ReplicaSet's pods.
    const pinned = (await getJson('service', 'web')).spec.selector;
    expect(Object.keys(pinned).sort()).toEqual(['app', 'pod-template-hash']);
    const stableRs = JSON.parse(
      await kubectl('get', 'rs', '-l', 'app=web,!canary.upgrade-actions.io/role', '-o', 'json'),
    ).items.filter((rs: { spec: { replicas: number } }) => rs.spec.replicas > 0);
    expect(pinned['pod-template-hash']).toBe(stableRs[0].metadata.labels['pod-template-hash']);
    expect((await getJson('service', 'web-canary')).spec.selector).toEqual({
      app: 'web',
      'canary.upgrade-actions.io/role': 'canary',
    });
    // Pods enough for the canary's share (ceil(4 × 50%)), the stable keeps all of its own.
    expect((await getJson('deployment', 'web-canary')).spec.replicas).toBe(2);
    expect((await getJson('deployment', 'web')).spec.replicas).toBe(4);

    const done = await runCanary(options('web:v2', { ...opts, action: 'promote' }));
    expect(done.phase).toBe('promoted');
    expect(await image('web')).toBe('web:v2');
    expect(await exists('ingress', 'web-canary')).toBe(false);
    expect(await exists('service', 'web-canary')).toBe(false);
    expect(await exists('deployment', 'web-canary')).toBe(false);
    expect(userView(await getJson('ingress', 'web'))).toEqual(ingressBefore);
    const svc = await getJson('service', 'web');
    expect(svc.spec.selector).toEqual(serviceBefore);
    expect(svc.metadata?.annotations?.['canary.upgrade-actions.io/pinned-selector']).toBeUndefined();
  });

  test('istio: route weights per step; an abort puts every request back on the stable version', async () => {
    await resetTo('web:v1');
    const before = userView(await getJson('virtualservice', 'web'));
    const opts = { router: 'istio' as const, virtualService: 'web' };
    await runCanary(options('web:v2', { ...opts, steps: [10, 30, 100], maxDurationMs: 400, timing: slow }));
    expect((await getJson('virtualservice', 'web')).spec.http[0].route).toEqual([
      { destination: { host: 'web', port: { number: 80 } }, weight: 90 },
      { destination: { host: 'web-canary', port: { number: 80 } }, weight: 10 },
    ]);
    const r = await runCanary(options('web:v2', { ...opts, steps: [10, 30, 100], action: 'abort' }));
    expect(r).toMatchObject({ phase: 'aborted', weight: 0, requested: true });
    expect(userView(await getJson('virtualservice', 'web'))).toEqual(before);
    expect(Object.keys((await getJson('service', 'web')).spec.selector)).toEqual(['app']);
    expect(await exists('deployment', 'web-canary')).toBe(false);
  });

  test('gateway-api: backendRefs weights through every step to promotion, the HTTPRoute restored exactly', async () => {
    await resetTo('web:v1');
    const before = userView(await getJson('httproute', 'web'));
    const weights: number[][] = [];
    const opts = { router: 'gateway-api' as const, httpRoute: 'web', steps: [25, 100] };
    // One step at a time, stopped by max-duration, reading the route between runs.
    let r = await runCanary(
      options('web:v2', {
        ...opts,
        maxDurationMs: 300,
        timing: { stepIntervalMs: 700, analysisIntervalMs: 200 },
      }),
    );
    weights.push(
      (await getJson('httproute', 'web')).spec.rules[0].backendRefs.map((b: { weight: number }) => b.weight),
    );
    for (let i = 0; i < 20 && r.phase === 'progressing'; i++) {
      r = await runCanary(
        options('web:v2', {
          ...opts,
          maxDurationMs: 400,
          timing: { stepIntervalMs: 700, analysisIntervalMs: 200 },
        }),
      );
      if (r.phase === 'progressing')
        weights.push(
          (await getJson('httproute', 'web')).spec.rules[0].backendRefs.map(
            (b: { weight: number }) => b.weight,
          ),
        );
    }
    expect(r.phase).toBe('promoted');
    expect(weights[0]).toEqual([75, 25]);
    expect(weights).toContainEqual([0, 100]);
    expect(userView(await getJson('httproute', 'web'))).toEqual(before);
    expect(await image('web')).toBe('web:v2');
  });
});
