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
import { appYaml } from './harness/manifests';
import { runAction } from './harness/run-action';
import { startTestApp, type TestApp } from './servers/test-app';

// The health-probe action from dist/ against the simulated cluster: the basic level (pods of the
// release), service targets through the API server's proxy, and the rollback it starts.
let sim: KubeSim;
let client: KubeClient;
let app: TestApp;

const manifests = (name: string, image: string) =>
  appYaml({ name, namespace: 'shop', image, container: 'app', containerPort: 8080 }, { portName: 'http' });

async function deploy(name: string, image: string, wait: boolean) {
  await applyManifests(client, parseManifests(manifests(name, image), `${name}.yaml`), {
    fieldManager: 'test',
    namespace: 'shop',
  });
  if (!wait) return;
  const target = await resolveWorkload(client, new Discovery(client), {
    type: 'deploy',
    name,
    namespace: 'shop',
  });
  await followRolloutStatus(client, target, { timeoutMs: 20_000, onMessage: () => {} });
}

const release = (name: string, revisionBefore: number | null, revisionAfter: number) =>
  JSON.stringify({
    version: 'v1',
    namespace: 'shop',
    workloads: [{ kind: 'Deployment', name, namespace: 'shop', revisionBefore, revisionAfter }],
  });

async function imageOf(name: string): Promise<string> {
  const d = await client.get(`/apis/apps/v1/namespaces/shop/deployments/${name}`);
  return (d.spec as { template: { spec: { containers: Array<{ image: string }> } } }).template.spec
    .containers[0].image;
}

beforeAll(async () => {
  app = await startTestApp();
  sim = await startKubeSim({
    speed: 50,
    controllers: {
      events: false,
      scenario: { 'web:v1': { backend: app.url }, 'web:crash': { crashAfterMs: 100 } },
    },
  });
  client = new KubeClient(loadClusterAccess({ path: sim.kubeconfigPath }));
  await client.request('POST', '/api/v1/namespaces', {
    body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } },
  });
  await deploy('web', 'web:v1', true);
});

afterAll(async () => {
  client?.close();
  await sim?.stop();
  await app?.stop();
});

test('the pods of the release and a service target behind them are healthy', async () => {
  const r = await runAction('health-probe', {
    inputs: { release: release('web', null, 1), kubeconfig: sim.kubeconfigPath, urls: 'web:80/healthy' },
  });
  expect(r.failedMessage).toBeUndefined();
  expect(r.code).toBe(0);
  expect(r.outputs.status).toBe('healthy');
  const report = JSON.parse(r.outputs.report);
  expect(report.checks).toMatchObject([
    { name: 'deployment/web', level: 'basic', status: 'healthy', observations: { pods: 2, ready: 2 } },
    { level: 'service', status: 'healthy', observations: { status: 200 } },
  ]);
  expect(app.hits.get('/healthy')).toBeGreaterThan(0);
});

test('kubeconfig content is accepted and masked', async () => {
  const { readFileSync } = await import('node:fs');
  const content = readFileSync(sim.kubeconfigPath, 'utf8');
  const r = await runAction('health-probe', {
    inputs: { release: release('web', null, 1), kubeconfig: content },
  });
  expect(r.code).toBe(0);
  expect(r.outputs.status).toBe('healthy');
  expect(r.stdout).toContain('::add-mask::');
});

test('a crash-looping release is unhealthy with the hint, and rollback-on-failure restores the revision before it', async () => {
  await deploy('api', 'web:v1', true);
  await deploy('api', 'web:crash', false);
  expect(await imageOf('api')).toBe('web:crash');
  const r = await runAction('health-probe', {
    inputs: {
      release: release('api', 1, 2),
      kubeconfig: sim.kubeconfigPath,
      mode: 'watch',
      duration: '60s',
      interval: '300ms',
      'failure-threshold': '3',
      'rollback-on-failure': 'true',
      'rollback-timeout': '30s',
    },
    timeoutMs: 60_000,
  });
  expect(r.code).toBe(1);
  expect(r.outputs).toMatchObject({
    status: 'unhealthy',
    'should-rollback': 'true',
    'consecutive-failures': '3',
  });
  const check = JSON.parse(r.outputs.report).checks[0];
  expect(check).toMatchObject({ name: 'deployment/api', level: 'basic', status: 'unhealthy' });
  // The crash is named with what to do about it.
  expect(check.error).toMatch(/CrashLoopBackOff|Restarted|NotReady/);
  expect(check.error).toMatch(/roll back to the last stable version|kubectl logs --previous|readiness probe/);
  // The rollback happened in the cluster: the template is the one before the release.
  expect(await imageOf('api')).toBe('web:v1');
  expect(JSON.parse(r.outputs['rolled-back'])).toMatchObject({
    'shop/deployment.apps/api': { from: 2, to: 1, revision: 3 },
  });
  expect(r.summary).toContain('Rollback');
  expect(r.failedMessage).toMatch(/^unhealthy: deployment\/api failed 3 times in a row/);
}, 90_000);

test('without rollback-on-failure an unhealthy release is left as it is', async () => {
  await deploy('batch', 'web:v1', true);
  await deploy('batch', 'web:crash', false);
  const r = await runAction('health-probe', {
    inputs: {
      release: release('batch', 1, 2),
      kubeconfig: sim.kubeconfigPath,
      mode: 'watch',
      duration: '60s',
      interval: '300ms',
      'failure-threshold': '2',
    },
    timeoutMs: 60_000,
  });
  expect(r.code).toBe(1);
  expect(r.outputs).toMatchObject({ status: 'unhealthy', 'should-rollback': 'true', 'rolled-back': '' });
  expect(await imageOf('batch')).toBe('web:crash');
}, 90_000);

test('a service target without a cluster is refused before any request', async () => {
  const r = await runAction('health-probe', {
    inputs: { urls: 'web:80/healthy', kubeconfig: '/nonexistent/config' },
  });
  expect(r.code).toBe(1);
  expect(r.failedMessage).toMatch(/^kubeconfig: file .*nonexistent\/config does not exist$/);
});
