import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runCanary, type CanaryOptions } from '@upgrade-actions/canary';
import { parseImageOverrides } from '@upgrade-actions/deploy';
import { KubeClient, loadClusterAccess, parseManifests } from '@upgrade-actions/kube';
import { startKubeSim, type KubeSim } from '@upgrade-actions/kube-sim';
import { startPrometheus, type RunningPrometheus } from './prometheus/prometheus';
import { startMetricsApp, type MetricsApp } from './servers/metrics-app';
import { startTestApp, type TestApp } from './servers/test-app';

// Metric gates against a real Prometheus: the stable and the canary version each expose their own
// metrics, labelled with pod names as Kubernetes service discovery would label them. The comparison
// gate judges the canary against the stable version's error rate of the same minute.

let sim: KubeSim;
let client: KubeClient;
let app: TestApp;
let stable: MetricsApp;
let canary: MetricsApp;
let prom: RunningPrometheus;
let dir: string;

const pods = '[a-z0-9]+-[a-z0-9]+';
const ratio = `sum(rate(http_requests_total{code=~"5..",namespace="{{ namespace }}",pod=~"{{ target }}-${pods}"}[5s])) / sum(rate(http_requests_total{namespace="{{ namespace }}",pod=~"{{ target }}-${pods}"}[5s]))`;
const queries = `
- name: error-rate-vs-stable
  query: '${ratio}'
  compare: {maxIncrease: 0.5%}
`;

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

const yaml = (image: string) => `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: app, image: "${image}"}]
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec:
  selector: {app: web}
  ports: [{name: http, port: 80, targetPort: 8080}]
`;

function options(image: string): CanaryOptions {
  return {
    client,
    access: client.access,
    manifests: parseManifests(yaml(image), 'web.yaml'),
    namespace: 'shop',
    overrides: parseImageOverrides(''),
    policy: { forbidLatest: true, requireDigest: false },
    router: 'replicas',
    matches: [],
    steps: [50, 100],
    timing: { stepIntervalMs: 2000, analysisIntervalMs: 500 },
    failureThreshold: 2,
    analysis: {
      urls: [],
      prometheusUrl: prom.url,
      prometheusQueries: queries,
      prometheusPresets: ['latency-average'],
    },
    maxDurationMs: 0,
    action: 'run',
    identity: 'test-run',
    lockTimeoutMs: 20_000,
    rolloutTimeoutMs: 30_000,
    fieldManager: 'upgrade-actions',
  };
}

async function resetTo(image: string) {
  const file = path.join(dir, `${image.replace(/\W/g, '')}.yaml`);
  writeFileSync(file, yaml(image));
  await kubectl('delete', 'deployment', 'web', '--ignore-not-found', '--wait=false');
  await kubectl('apply', '-f', file);
  await kubectl('rollout', 'status', 'deployment/web', '--timeout=30s');
}

beforeAll(async () => {
  app = await startTestApp();
  stable = await startMetricsApp({ rps: 200, errorRate: 0.02, latency: 0.05 });
  canary = await startMetricsApp({ rps: 200, errorRate: 0.02, latency: 0.05 });
  prom = await startPrometheus([
    { job: 'stable', address: stable.address, labels: { namespace: 'shop', pod: 'web-5d8f7c9b6-abcde' } },
    {
      job: 'canary',
      address: canary.address,
      labels: { namespace: 'shop', pod: 'web-canary-6c7d8e9f0-fghij' },
    },
  ]);
  sim = await startKubeSim({
    speed: 50,
    controllers: { events: false, scenario: { 'web:*': { backend: app.url } } },
  });
  client = new KubeClient(loadClusterAccess({ path: sim.kubeconfigPath }));
  dir = mkdtempSync(path.join(tmpdir(), 'canary-prom-'));
  await promisify(execFile)('kubectl', ['--kubeconfig', sim.kubeconfigPath, 'create', 'namespace', 'shop']);
  await Promise.all([prom.waitForSamples('stable', 7), prom.waitForSamples('canary', 7)]);
}, 60_000);

afterAll(async () => {
  client?.close();
  await sim?.stop();
  await prom?.stop();
  await Promise.all([app?.stop(), stable?.stop(), canary?.stop()]);
  rmSync(dir, { recursive: true, force: true });
});

test("a canary as good as today's stable version is promoted, though both are above a fixed 1% bar", async () => {
  await resetTo('web:v1');
  stable.set({ errorRate: 0.02 });
  canary.set({ errorRate: 0.02 });
  const r = await runCanary(options('web:v2'));
  expect(r.phase).toBe('promoted');
  const rounds = r.state!.history.flatMap((h) => h.rounds);
  expect(rounds.length).toBeGreaterThanOrEqual(2);
  const seen = rounds[rounds.length - 1].checks['error-rate-vs-stable'];
  expect(seen.ok).toBe(true);
  expect(seen.value).toMatch(/^0\.0(19|2|21)\d* vs stable 0\.0(19|2|21)\d*$/);
  expect(rounds[0].checks['latency-average']).toMatchObject({ ok: true, value: '0.05' });
}, 60_000);

test('a canary whose error rate rises above the stable version is aborted at the comparison gate', async () => {
  await resetTo('web:v1');
  stable.set({ errorRate: 0 });
  canary.set({ errorRate: 0.05 });
  await new Promise((res) => setTimeout(res, 6000)); // a full 5 s rate window of the new behaviour
  const r = await runCanary(options('web:v3'));
  expect(r.phase).toBe('aborted');
  expect(r.trip).toMatchObject({ check: 'error-rate-vs-stable', threshold: '≤ stable + 0.005' });
  expect(r.trip!.value).toMatch(/^0\.0(49|5|51)\d* vs stable 0$/);
  expect(r.message).toMatch(
    /^error-rate-vs-stable failed 2 rounds in a row: 0\.0\d+ vs stable 0 \(≤ stable \+ 0\.005\)/,
  );
  expect(
    JSON.parse(await kubectl('get', 'deployment', 'web', '-o', 'json')).spec.template.spec.containers[0]
      .image,
  ).toBe('web:v1');
}, 60_000);
