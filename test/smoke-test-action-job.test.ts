import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { KubeClient, loadClusterAccess } from '@upgrade-actions/kube';
import { R, startKubeSim, type KubeSim } from '@upgrade-actions/kube-sim';
import { runAction } from './harness/run-action';
import { startTestApp } from './servers/test-app';

// The smoke-test action's in-cluster mode from dist/: a Job in the release namespace of the
// simulated cluster; simulated time runs 20× real time.
let sim: KubeSim;
let client: KubeClient;
let workspace: string;

beforeAll(async () => {
  sim = await startKubeSim({
    speed: 20,
    controllers: {
      events: false,
      scenario: {
        'smoke:pass': { completeAfterMs: 2000, exitCode: 0, logs: ['checking /healthz', '1 passed'] },
        'smoke:fail': { completeAfterMs: 1000, exitCode: 3, logs: ['expected 200, got 500'] },
        'smoke:pull': { pullError: 'manifest unknown' },
      },
    },
  });
  client = new KubeClient(loadClusterAccess({ path: sim.kubeconfigPath }));
  workspace = mkdtempSync(path.join(tmpdir(), 'smoke-test-job-'));
  sim.store.create(R.namespaces, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } });
});

afterAll(async () => {
  client?.close();
  await sim?.stop();
  rmSync(workspace, { recursive: true, force: true });
});

const release = JSON.stringify({ version: 'v1', namespace: 'shop', workloads: [] });
const jobsLeft = () => sim.store.list(R.jobs, { namespace: 'shop' }).length;

test('a Job that exits 0 in the release namespace passes, its log in the step log, and is deleted', async () => {
  const created: Array<{ namespace?: string; container: unknown }> = [];
  const unsubscribe = sim.store.subscribe((e) => {
    if (e.type === 'ADDED' && e.resource.resource === 'jobs') {
      const spec = e.object.spec as { template: { spec: { containers: unknown[] } } };
      created.push({ namespace: e.object.metadata.namespace, container: spec.template.spec.containers[0] });
    }
  });
  const r = await runAction('smoke-test', {
    inputs: { image: 'smoke:pass', command: '/smoke\n--all', release, kubeconfig: sim.kubeconfigPath },
    workspace,
    timeoutMs: 60_000,
  });
  unsubscribe();
  expect(r.failedMessage).toBeUndefined();
  expect(r.code).toBe(0);
  expect(r.outputs).toMatchObject({ passed: '1', failed: '0' });
  // The command lines are the container's command, as given: no shell in between.
  expect(created).toEqual([
    {
      namespace: 'shop',
      container: expect.objectContaining({ image: 'smoke:pass', command: ['/smoke', '--all'] }),
    },
  ]);
  expect(r.stdout).toContain('checking /healthz\n');
  expect(r.stdout).toMatch(/job\/smoke-test-[a-z0-9]+ created in shop \(image smoke:pass\)/);
  expect(r.outputs['junit-path']).toBe(path.join(workspace, 'smoke-test-results.xml'));
  expect(readFileSync(r.outputs['junit-path'], 'utf8')).toMatch(/<testcase name="job smoke-test-[a-z0-9]+"/);
  expect(jobsLeft()).toBe(0);
}, 60_000);

test('a Job that exits non-zero fails the step with the exit code as expected and actual', async () => {
  const r = await runAction('smoke-test', {
    inputs: { image: 'smoke:fail', release, kubeconfig: readFileSync(sim.kubeconfigPath, 'utf8') },
    timeoutMs: 60_000,
  });
  expect(r.code).toBe(1);
  expect(r.outputs).toMatchObject({ passed: '0', failed: '1' });
  expect(JSON.parse(r.outputs.report).steps[0].failures).toEqual([
    { assertion: 'exit code', expected: '0', actual: '3' },
  ]);
  expect(r.summary).toMatch(/<td>exit code<\/td><td>0<\/td><td>3<\/td>/);
  expect(jobsLeft()).toBe(0);
}, 60_000);

test('an image that cannot be pulled fails with the hint, and the Job is deleted', async () => {
  const r = await runAction('smoke-test', {
    inputs: { image: 'smoke:pull', namespace: 'shop', kubeconfig: sim.kubeconfigPath },
    timeoutMs: 60_000,
  });
  expect(r.code).toBe(1);
  const step = JSON.parse(r.outputs.report).steps[0];
  expect(step.error).toMatch(/cannot start: (ErrImagePull|ImagePullBackOff).*rebuild and push the image/);
  expect(jobsLeft()).toBe(0);
}, 60_000);

test('Job mode without a reachable kubeconfig is refused before anything is created', async () => {
  const r = await runAction('smoke-test', {
    inputs: { image: 'smoke:pass', release, kubeconfig: '/nonexistent/config' },
  });
  expect(r.code).toBe(1);
  expect(r.failedMessage).toMatch(/^kubeconfig: file .*nonexistent\/config does not exist$/);
  expect(jobsLeft()).toBe(0);
});

test('an image that is not an image reference is refused naming the input; nothing reaches the API server', async () => {
  const before = sim.requests.length;
  const r = await runAction('smoke-test', {
    inputs: { image: 'x; touch /tmp/pwned', release, kubeconfig: sim.kubeconfigPath },
  });
  expect(r.code).toBe(1);
  expect(r.failedMessage).toMatch(
    /^Input 'image' must be an image reference: "x; touch \/tmp\/pwned" is not a valid image reference \(bad name component "x; touch "\); expected \[registry\/\]name\[:tag\]\[@sha256:<64 hex>\], got "x; touch \/tmp\/pwned"$/,
  );
  expect(sim.requests.slice(before).filter((q) => q.method !== 'GET')).toEqual([]);
  expect(jobsLeft()).toBe(0);
});

test('a Service base-url reaches the Service through the API server’s proxy, its namespace from the release', async () => {
  const app = await startTestApp();
  try {
    sim.store.create(R.services, {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'web', namespace: 'shop' },
      spec: { selector: { app: 'web' }, ports: [{ port: 80 }] },
    });
    sim.backends.setService('shop', 'web', app.url);
    writeFileSync(
      path.join(workspace, 'svc.yaml'),
      'tests:\n  - {name: echo, request: {path: "/echo?n=1"}, expect: {status: 200, json: [{path: $.path, equals: /echo}]}}\n',
    );
    const r = await runAction('smoke-test', {
      inputs: { file: 'svc.yaml', 'base-url': 'web:80', release, kubeconfig: sim.kubeconfigPath },
      workspace,
    });
    expect(r.failedMessage).toBeUndefined();
    expect(r.outputs).toMatchObject({ passed: '1', failed: '0' });
    expect(app.hits.get('/echo')).toBe(1);
    expect(sim.requests.filter((q) => q.path.endsWith('/services/web:80/proxy/echo'))).toEqual([
      expect.objectContaining({ path: '/api/v1/namespaces/shop/services/web:80/proxy/echo', code: 200 }),
    ]);
  } finally {
    await app.stop();
  }
});
