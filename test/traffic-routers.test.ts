import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { KubeClient, loadClusterAccess, type KubeObject } from '@upgrade-actions/kube';
import { startKubeSim, type KubeSim } from '@upgrade-actions/kube-sim';
import { repoRoot } from './harness/run-action';
import { createRouter, type RouterOptions, type TrafficRouter } from '@upgrade-actions/traffic';

// Each router against the simulator: the objects it writes are read back with real kubectl at each step,
// and after restore only the stable objects remain, exactly as they were.

let sim: KubeSim;
let client: KubeClient;
let dir: string;

// Asynchronous on purpose: the simulator serves from this process, so a blocking spawn would deadlock.
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
  JSON.parse(await kubectl('get', type, name, '-o', 'json')) as KubeObject & { spec: any };
const exists = (type: string, name: string) =>
  kubectl('get', type, name).then(
    () => true,
    () => false,
  );

async function apply(yaml: string): Promise<void> {
  const file = path.join(dir, `m-${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(file, yaml);
  await kubectl('apply', '-f', file);
}

/** What a user would compare: the spec and their own annotations. */
const asUserSees = (o: KubeObject & { spec?: unknown }) => ({
  spec: o.spec,
  annotations: Object.fromEntries(
    Object.entries(o.metadata?.annotations ?? {}).filter(([k]) => !k.startsWith('kubectl.kubernetes.io/')),
  ),
});

const base = {
  namespace: 'shop',
  service: 'web',
  canaryService: 'web-canary',
  stableWorkload: 'web',
  canaryWorkload: 'web-canary',
};
const router = (opts: Partial<RouterOptions> & Pick<RouterOptions, 'type'>): TrafficRouter =>
  createRouter({ client, ...base, ...opts });

beforeAll(async () => {
  sim = await startKubeSim({ speed: 50, controllers: { events: false } });
  client = new KubeClient(loadClusterAccess({ path: sim.kubeconfigPath }));
  dir = mkdtempSync(path.join(tmpdir(), 'traffic-'));
  await promisify(execFile)('kubectl', ['--kubeconfig', sim.kubeconfigPath, 'create', 'namespace', 'shop']);
  await kubectl('apply', '-f', path.join(repoRoot, 'test', 'fixtures', 'crds'));
  await apply(`
apiVersion: v1
kind: Service
metadata: { name: web, namespace: shop }
spec: { selector: { app: web }, ports: [{ name: http, port: 80, targetPort: 8080 }] }
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: { name: web, namespace: shop, annotations: { team: shop } }
spec:
  ingressClassName: nginx
  rules:
    - host: web.example
      http: { paths: [{ path: /, pathType: Prefix, backend: { service: { name: web, port: { number: 80 } } } }] }
`);
  // The CRDs take a moment to be served after they are created.
  for (let i = 0; i < 50; i++) {
    const served = await kubectl('get', 'httproutes,virtualservices').then(
      () => true,
      () => false,
    );
    if (served) break;
    await new Promise((res) => setTimeout(res, 100));
  }
  await apply(`
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: web, namespace: shop, annotations: { team: shop } }
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
    - matches: [{ path: { type: PathPrefix, value: / } }]
      backendRefs: [{ name: web, port: 80 }]
`);
});

afterAll(async () => {
  client?.close();
  await sim?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('nginx router', () => {
  test('writes a canary Ingress per step, reads it back, and deletes it on restore', async () => {
    const before = asUserSees(await getJson('ingress', 'web'));
    const r = router({ type: 'nginx', ingress: 'web' });
    await r.check();
    await r.setWeight(10);
    let canary = await getJson('ingress', 'web-canary');
    expect(canary.metadata?.annotations).toMatchObject({
      'nginx.ingress.kubernetes.io/canary': 'true',
      'nginx.ingress.kubernetes.io/canary-weight': '10',
    });
    expect(canary.spec.rules[0].http.paths[0].backend.service.name).toBe('web-canary');
    await r.setMatches([{ kind: 'header', name: 'x-user-tier', value: 'premium' }]);
    await r.setWeight(50);
    canary = await getJson('ingress', 'web-canary');
    expect(canary.metadata?.annotations).toMatchObject({
      'nginx.ingress.kubernetes.io/canary-weight': '50',
      'nginx.ingress.kubernetes.io/canary-by-header': 'x-user-tier',
      'nginx.ingress.kubernetes.io/canary-by-header-value': 'premium',
    });
    // Another router object, another process: the state is read back from the cluster.
    expect(await router({ type: 'nginx', ingress: 'web' }).read()).toEqual({
      weight: 50,
      matches: [{ kind: 'header', name: 'x-user-tier', value: 'premium' }],
    });
    await r.restore();
    expect(await exists('ingress', 'web-canary')).toBe(false);
    expect(asUserSees(await getJson('ingress', 'web'))).toEqual(before);
    expect(await r.read()).toEqual({ weight: 0, matches: [] });
    await r.restore(); // twice is harmless
  });

  test('a missing stable Ingress is a clear error naming the input', async () => {
    await expect(router({ type: 'nginx', ingress: 'nope' }).check()).rejects.toThrow(
      'ingress: Ingress shop/nope does not exist',
    );
  });
});

describe('istio router', () => {
  test('weights the route, adds the header route first, and restores the VirtualService exactly', async () => {
    const before = asUserSees(await getJson('virtualservice', 'web'));
    const r = router({ type: 'istio', virtualService: 'web' });
    await r.check();
    await r.setWeight(10);
    expect((await getJson('virtualservice', 'web')).spec.http).toEqual([
      {
        name: 'main',
        route: [
          { destination: { host: 'web', port: { number: 80 } }, weight: 90 },
          { destination: { host: 'web-canary', port: { number: 80 } }, weight: 10 },
        ],
      },
    ]);
    await r.setMatches([{ kind: 'header', name: 'x-user-tier', value: 'premium' }]);
    const vs = await getJson('virtualservice', 'web');
    expect(vs.spec.http.map((h: { name: string }) => h.name)).toEqual([
      'upgrade-actions-canary-match-0',
      'main',
    ]);
    expect(vs.spec.http[0].match).toEqual([{ headers: { 'x-user-tier': { exact: 'premium' } } }]);
    expect(vs.spec.http[1].route[1].weight).toBe(10); // the weight stays as it was set
    await r.setWeight(30);
    expect(
      (await getJson('virtualservice', 'web')).spec.http[1].route.map((d: { weight: number }) => d.weight),
    ).toEqual([70, 30]);
    await r.restore();
    expect(asUserSees(await getJson('virtualservice', 'web'))).toEqual(before);
  });

  test('a VirtualService that does not exist is a clear error naming the input', async () => {
    await expect(router({ type: 'istio', virtualService: 'nope' }).check()).rejects.toThrow(
      'virtual-service: shop/nope does not exist',
    );
  });
});

describe('gateway-api router', () => {
  test('weights backendRefs per step and restores the HTTPRoute exactly', async () => {
    const before = asUserSees(await getJson('httproute', 'web'));
    const r = router({ type: 'gateway-api', httpRoute: 'web' });
    await r.check();
    for (const w of [10, 30, 50, 100]) {
      await r.setWeight(w);
      expect((await getJson('httproute', 'web')).spec.rules[0].backendRefs).toEqual([
        { name: 'web', port: 80, weight: 100 - w },
        { name: 'web-canary', port: 80, weight: w },
      ]);
    }
    expect(await r.read()).toEqual({ weight: 100, matches: [] });
    await r.restore();
    expect(asUserSees(await getJson('httproute', 'web'))).toEqual(before);
  });
});

test('a router type the cluster does not serve says what to install', async () => {
  const bare = await startKubeSim({ controllers: false });
  const c = new KubeClient(loadClusterAccess({ path: bare.kubeconfigPath }));
  try {
    await expect(
      createRouter({ client: c, ...base, type: 'gateway-api', httpRoute: 'web' }).check(),
    ).rejects.toThrow(
      'http-route: the cluster does not serve httproutes.gateway.networking.k8s.io (is the Gateway API (its CRDs) installed?)',
    );
  } finally {
    c.close();
    await bare.stop();
  }
});

describe('replicas router', () => {
  test('splits the pods by the weight, grows before it shrinks, and scales back on restore', async () => {
    const deployment = (name: string, replicas: number, track: string) => `
apiVersion: apps/v1
kind: Deployment
metadata: { name: ${name}, namespace: shop }
spec:
  replicas: ${replicas}
  selector: { matchLabels: { app: web, track: ${track} } }
  template:
    metadata: { labels: { app: web, track: ${track} } }
    spec: { containers: [{ name: web, image: 'ghcr.io/acme/web:${track === 'stable' ? '1.0.0' : '1.1.0'}' }] }
`;
    await apply(deployment('web', 10, 'stable') + '---' + deployment('web-canary', 0, 'canary'));
    const r = router({ type: 'replicas' });
    await r.check();
    const replicas = async () => [
      (await getJson('deployment', 'web')).spec.replicas,
      (await getJson('deployment', 'web-canary')).spec.replicas,
    ];
    await r.setWeight(10);
    expect(await replicas()).toEqual([9, 1]);
    await r.setWeight(30);
    expect(await replicas()).toEqual([7, 3]);
    // The total is remembered on the canary: a later run computes from 10, not from today's 7.
    await router({ type: 'replicas' }).setWeight(50);
    expect(await replicas()).toEqual([5, 5]);
    expect(await r.read()).toEqual({ weight: 50, matches: [] });
    // kube-proxy balances over the Ready pods the Service selects: half of them are the canary's.
    for (let i = 0; i < 100; i++) {
      const pods = JSON.parse(await kubectl('get', 'pods', '-l', 'app=web', '-o', 'json'))
        .items as KubeObject[];
      const ready = pods.filter((p) =>
        (p.status as { conditions?: { type: string; status: string }[] } | undefined)?.conditions?.some(
          (c) => c.type === 'Ready' && c.status === 'True',
        ),
      );
      if (ready.length === 10) {
        expect(ready.filter((p) => p.metadata?.labels?.track === 'canary')).toHaveLength(5);
        break;
      }
      if (i === 99) throw new Error(`pods never settled: ${ready.length} Ready`);
      await new Promise((res) => setTimeout(res, 100));
    }
    await expect(r.setMatches([{ kind: 'cookie', name: 'canary' }])).rejects.toThrow(
      'the replicas router cannot route by header or cookie',
    );
    await r.restore();
    expect(await replicas()).toEqual([10, 0]);
  });
});
