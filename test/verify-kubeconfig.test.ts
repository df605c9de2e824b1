import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { KubeClient, loadClusterAccess } from '@upgrade-actions/kube';
import { startKubeSim, type KubeSim } from '@upgrade-actions/kube-sim';
import { parseRelease } from '@upgrade-actions/release';
import { runAction, runActionWithPost } from './harness/run-action';
import { startTestApp, type TestApp } from './servers/test-app';

/**
 * The root action (dist/verify) with a given kubeconfig: no cluster is created or deleted; the
 * stages run against kube-sim, the health probe and smoke tests against a real local HTTP server.
 */
let sim: KubeSim;
let client: KubeClient;
let app: TestApp;
let workspace: string;

const deployment = (ns: string, image: string, extra = '') => `apiVersion: v1
kind: Namespace
metadata: {name: ${ns}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: ${ns}}
spec:
  replicas: 2
  progressDeadlineSeconds: 20
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: web, image: "${image}"}]}
${extra}`;

beforeAll(async () => {
  sim = await startKubeSim({
    speed: 50,
    controllers: { events: false, scenario: { '*/bad:*': { pullError: true } } },
  });
  client = new KubeClient(loadClusterAccess({ path: sim.kubeconfigPath }));
  app = await startTestApp();
  workspace = mkdtempSync(path.join(tmpdir(), 'verify-kubeconfig-'));
  mkdirSync(path.join(workspace, 'k8s'));
  // The web pods answer with the test app, as kube-proxy would route the Service to them.
  sim.controllers!.scenario.set('ghcr.io/acme/web:1.0', { backend: app.url });
  writeFileSync(
    path.join(workspace, 'k8s', 'good.yaml'),
    deployment(
      'shop',
      'ghcr.io/acme/web:1.0',
      '---\napiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: shop}\nspec: {selector: {app: web}, ports: [{port: 80}]}\n',
    ),
  );
  writeFileSync(path.join(workspace, 'k8s', 'bad.yaml'), deployment('broken', 'ghcr.io/acme/bad:2.0'));
  writeFileSync(
    path.join(workspace, 'k8s', 'removed.yaml'),
    deployment(
      'legacy',
      'ghcr.io/acme/web:1.0',
      `---
apiVersion: extensions/v1beta1
kind: Ingress
metadata: {name: web, namespace: legacy}
spec: {backend: {serviceName: web, servicePort: 80}}
`,
    ),
  );
  writeFileSync(
    path.join(workspace, 'smoke.yaml'),
    `baseUrl: ${app.url}\ntests:\n  - name: healthy answers ok\n    request: {path: /healthy}\n    expect: {status: 200}\n  - name: the release is known to the tests\n    request: {path: '/echo?workload=\${release.workloads.0.namespace}/\${release.workloads.0.name}'}\n    expect: {json: [{path: $.query.workload, equals: shop/web}]}\n`,
  );
  // No baseUrl: the smoke-base-url input names the Service, reached through the API server's proxy.
  writeFileSync(
    path.join(workspace, 'smoke-service.yaml'),
    `tests:\n  - name: the service answers\n    request: {path: '/echo?who=\${who}'}\n    expect: {status: 200, json: [{path: $.query.who, equals: shop/web}, {path: $.path, equals: /echo}]}\n`,
  );
  writeFileSync(
    path.join(workspace, 'smoke-undefined.yaml'),
    `baseUrl: ${app.url}\ntests:\n  - name: token\n    request: {path: '/echo?t=\${token}'}\n`,
  );
  writeFileSync(
    path.join(workspace, 'smoke-failing.yaml'),
    `baseUrl: ${app.url}\ntests:\n  - name: failing endpoint is up\n    request: {path: /failing}\n    expect: {status: 200}\n`,
  );
});

afterAll(async () => {
  client?.close();
  await app?.stop();
  await sim?.stop();
  rmSync(workspace, { recursive: true, force: true });
});

const inputs = (extra: Record<string, string>) => ({
  kubeconfig: sim.kubeconfigPath,
  timeout: '60s',
  ...extra,
});
const stagesOf = (json: string) =>
  (JSON.parse(json) as Array<{ stage: string; result: string }>).map((s) => `${s.stage}: ${s.result}`);

async function deploymentsIn(ns: string): Promise<string[]> {
  const list = await client.get<{ items: Array<{ metadata: { name: string } }> }>(
    `/apis/apps/v1/namespaces/${ns}/deployments`,
  );
  return list.items.map((d) => d.metadata.name);
}

async function namespaces(): Promise<string[]> {
  const list = await client.get<{ items: Array<{ metadata: { name: string } }> }>('/api/v1/namespaces');
  return list.items.map((n) => n.metadata.name);
}
const teardownOf = (json: string) =>
  (JSON.parse(json) as Array<{ stage: string; detail: string }>).find((s) => s.stage === 'teardown')!.detail;

test('good manifests pass every stage, output the release, and leave the given cluster as it was', async () => {
  const { main, post } = await runActionWithPost('verify', {
    workspace,
    inputs: inputs({
      manifests: 'k8s/good.yaml',
      // One target through the API server's service proxy, one plain URL.
      'health-urls': `web.shop:80/healthy\n${app.url}/healthy`,
      'smoke-file': 'smoke.yaml',
    }),
  });
  expect(main.failedMessage).toBeUndefined();
  expect(main.code).toBe(0);
  expect(main.outputs.verdict).toBe('passed');
  expect(main.outputs['failed-stage']).toBe('');
  expect(main.outputs['cluster-name']).toBe('');
  expect(main.outputs['kubernetes-version']).toMatch(/^v1\.\d+\.\d+/);
  expect(stagesOf(main.outputs.stages)).toEqual([
    'cluster: skipped',
    'api-check: passed',
    'deploy: passed',
    'health: passed',
    'smoke: passed',
    'teardown: passed',
  ]);
  const release = parseRelease(main.outputs.release);
  expect(release.workloads).toMatchObject([
    {
      kind: 'Deployment',
      name: 'web',
      namespace: 'shop',
      revisionAfter: 1,
      images: { web: 'ghcr.io/acme/web:1.0' },
    },
  ]);
  // The health stage also checked the release's pods (the basic level), then both targets.
  const health = JSON.parse(main.outputs.stages)[3] as { detail: string };
  expect(health.detail).toBe('3 check(s) healthy');
  expect(app.hits.get('/healthy')).toBeGreaterThanOrEqual(3);
  expect(app.hits.get('/echo')).toBe(1);
  // One summary: the verdict and one table of the six stages.
  expect(main.summary).toContain('Upgrade verification: ✅ passed');
  expect(main.summary.match(/<table>/g)).toHaveLength(1);
  for (const s of ['cluster', 'api-check', 'deploy', 'health', 'smoke', 'teardown'])
    expect(main.summary).toContain(`<td>${s}</td>`);
  // What this run created in the given cluster is deleted again, last applied first.
  expect(teardownOf(main.outputs.stages)).toBe(
    'deleted 3 object(s) this run created: shop/service/web, shop/deployment.apps/web, namespace/shop',
  );
  expect(post.code).toBe(0);
  expect(post.stdout).toContain('no cluster was planned: nothing to clean up');
  expect(await deploymentsIn('shop')).toEqual([]);
  expect(await namespaces()).not.toContain('shop');
});

test('the smoke stage reaches the deployed Service through the API server, by smoke-base-url', async () => {
  app.reset();
  const r = await runAction('verify', {
    workspace,
    inputs: inputs({
      manifests: 'k8s/good.yaml',
      'smoke-file': 'smoke-service.yaml',
      'smoke-base-url': 'web.shop:80',
      'smoke-variables': 'who=shop/web',
    }),
  });
  expect(r.failedMessage).toBeUndefined();
  expect(stagesOf(r.outputs.stages).slice(2, 5)).toEqual([
    'deploy: passed',
    'health: skipped',
    'smoke: passed',
  ]);
  // The request went through the service proxy to the pods' real backend.
  expect(app.hits.get('/echo')).toBe(1);
  expect(sim.requests.filter((q) => q.path.endsWith('/services/web:80/proxy/echo'))).toEqual([
    expect.objectContaining({
      method: 'GET',
      path: '/api/v1/namespaces/shop/services/web:80/proxy/echo',
      query: '?who=shop/web',
      code: 200,
    }),
  ]);
});

test('a Service base URL in the file works too, built from the release’s variables', async () => {
  app.reset();
  writeFileSync(
    path.join(workspace, 'smoke-file-service.yaml'),
    `baseUrl: "\${release.workloads.0.name}.\${release.workloads.0.namespace}:80"\ntests:\n  - {name: healthy, request: {path: /healthy}, expect: {status: 200}}\n`,
  );
  const r = await runAction('verify', {
    workspace,
    inputs: inputs({ manifests: 'k8s/good.yaml', 'smoke-file': 'smoke-file-service.yaml' }),
  });
  expect(r.failedMessage).toBeUndefined();
  expect(stagesOf(r.outputs.stages)[4]).toBe('smoke: passed');
  expect(app.hits.get('/healthy')).toBe(1);
});

test('cleanup: false leaves what was applied and names every object in the teardown row', async () => {
  const r = await runAction('verify', {
    workspace,
    inputs: inputs({ manifests: 'k8s/good.yaml', cleanup: 'false' }),
  });
  expect(r.code).toBe(0);
  expect(teardownOf(r.outputs.stages)).toBe(
    'cleanup: false: left 3 applied object(s): namespace/shop, shop/deployment.apps/web, shop/service/web',
  );
  expect(await deploymentsIn('shop')).toEqual(['web']);
});

test('objects that existed before the run are left, named; only what the run created is deleted', async () => {
  // After the previous test, namespace shop, the Deployment and the Service exist; add one object more.
  writeFileSync(
    path.join(workspace, 'k8s', 'extra.yaml'),
    'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: extra, namespace: shop}\ndata: {a: "1"}\n',
  );
  const r = await runAction('verify', {
    workspace,
    inputs: inputs({ manifests: 'k8s/good.yaml\nk8s/extra.yaml' }),
  });
  expect(r.code).toBe(0);
  expect(teardownOf(r.outputs.stages)).toBe(
    'deleted 1 object(s) this run created: shop/configmap/extra; left 3 that existed before (changed by the apply): namespace/shop, shop/deployment.apps/web, shop/service/web',
  );
  expect(await deploymentsIn('shop')).toEqual(['web']);
  await client.request('DELETE', '/api/v1/namespaces/shop');
});

test('an image that cannot be pulled fails the deploy stage; health and smoke are skipped; the verdict names deploy', async () => {
  const r = await runAction('verify', {
    workspace,
    inputs: inputs({ manifests: 'k8s/bad.yaml', timeout: '10s', 'smoke-file': 'smoke.yaml' }),
  });
  expect(r.code).toBe(1);
  expect(r.outputs.verdict).toBe('failed');
  expect(r.outputs['failed-stage']).toBe('deploy');
  expect(stagesOf(r.outputs.stages)).toEqual([
    'cluster: skipped',
    'api-check: passed',
    'deploy: failed',
    'health: skipped',
    'smoke: skipped',
    'teardown: passed',
  ]);
  // The failed rollout's objects are not left behind in the given cluster.
  expect(teardownOf(r.outputs.stages)).toBe(
    'deleted 2 object(s) this run created: broken/deployment.apps/web, namespace/broken',
  );
  // The rollout's failure when it happened, then the verdict naming the stage.
  // …each naming the image and what to check.
  const pull =
    ': image "ghcr.io/acme/bad:2.0" cannot be pulled \\((ErrImagePull|ImagePullBackOff)[^)]*, pod web-\\S+\\); check the image name and tag, that it was pushed, and the registry credentials \\(imagePullSecrets\\)$';
  expect(r.annotations.filter((a) => a.level === 'error').map((a) => a.message)).toEqual([
    expect.stringMatching(
      new RegExp(
        `^rollout failed: broken/deployment\\.apps/web: deployment "web" exceeded its progress deadline${pull}`,
      ),
    ),
    expect.stringMatching(
      new RegExp(
        `^verification failed at deploy: broken/deployment\\.apps/web: deployment "web" exceeded its progress deadline${pull}`,
      ),
    ),
  ]);
  // What was deployed is still described, for a rollback step after this one.
  expect(parseRelease(r.outputs.release).workloads[0].images).toEqual({ web: 'ghcr.io/acme/bad:2.0' });
  expect(r.summary).toContain('Upgrade verification: ❌ failed at deploy');
});

test('an API removed at the cluster’s version fails api-check before anything is deployed', async () => {
  const r = await runAction('verify', { workspace, inputs: inputs({ manifests: 'k8s/removed.yaml' }) });
  expect(r.code).toBe(1);
  expect(r.outputs['failed-stage']).toBe('api-check');
  expect(stagesOf(r.outputs.stages)).toEqual([
    'cluster: skipped',
    'api-check: failed',
    'deploy: skipped',
    'health: skipped',
    'smoke: skipped',
    'teardown: skipped',
  ]);
  expect(r.failedMessage).toMatch(
    /^verification failed at api-check: 1 removed, .*Ingress web \(extensions\/v1beta1\)$/,
  );
  expect(r.annotations).toContainEqual(
    expect.objectContaining({
      level: 'error',
      properties: expect.objectContaining({
        file: 'k8s/removed.yaml',
        title: 'Removed API extensions/v1beta1 Ingress',
      }),
    }),
  );
  expect(r.outputs.release).toBe('');
  expect(await deploymentsIn('legacy')).toEqual([]);
});

test('a failing health check fails the health stage and skips the smoke tests', async () => {
  app.reset();
  const r = await runAction('verify', {
    workspace,
    inputs: inputs({
      manifests: 'k8s/good.yaml',
      'health-urls': `${app.url}/failing`,
      'smoke-file': 'smoke.yaml',
    }),
  });
  expect(r.outputs['failed-stage']).toBe('health');
  expect(stagesOf(r.outputs.stages).slice(3, 5)).toEqual(['health: failed', 'smoke: skipped']);
  expect(app.hits.get('/echo')).toBeUndefined();
});

test('a failing smoke test fails the smoke stage, naming the test', async () => {
  const r = await runAction('verify', {
    workspace,
    inputs: inputs({ manifests: 'k8s/good.yaml', 'smoke-file': 'smoke-failing.yaml' }),
  });
  expect(r.outputs['failed-stage']).toBe('smoke');
  expect(stagesOf(r.outputs.stages).slice(3, 5)).toEqual(['health: skipped', 'smoke: failed']);
  // The smoke runner reports the failed test itself; the step fails with the stage's line.
  const errors = r.annotations.filter((a) => a.level === 'error').map((a) => a.message);
  expect(errors).toHaveLength(2);
  expect(errors[0]).toMatch(
    /^test failing endpoint is up: failed after 1 attempt\(s\), .*expected 200, got 500$/,
  );
  expect(errors[1]).toBe('verification failed at smoke: 1 of 1 failed: failing endpoint is up');
});

test.each([
  [
    'manifests that match no file',
    { manifests: 'k8s/missing.yaml' },
    /^manifests: "k8s\/missing\.yaml" matches no file or directory$/,
  ],
  [
    'a smoke file that does not exist',
    { manifests: 'k8s/good.yaml', 'smoke-file': 'nope.yaml' },
    /^smoke-file: cannot read nope\.yaml \(ENOENT\)$/,
  ],
  [
    'a smoke file using a variable nothing defines',
    { manifests: 'k8s/good.yaml', 'smoke-file': 'smoke-undefined.yaml' },
    /^smoke-undefined\.yaml:3:5: tests\[0\]: variable \$\{token\} is not defined/,
  ],
  [
    'a health target that is neither a URL nor a service',
    { manifests: 'k8s/good.yaml', 'health-urls': 'ftp://example.com/' },
    /^health-urls: "ftp:\/\/example\.com\/" uses ftp; use http:\/\/ or https:\/\/$/,
  ],
  [
    'a smoke base URL that is neither a URL nor a service',
    { manifests: 'k8s/good.yaml', 'smoke-file': 'smoke-service.yaml', 'smoke-base-url': 'web shop' },
    /^smoke-base-url: "web shop" is neither a URL/,
  ],
  [
    'a smoke base URL with no smoke file',
    { manifests: 'k8s/good.yaml', 'smoke-base-url': 'web.shop:80' },
    /^smoke-base-url: used by the smoke tests; give smoke-file too$/,
  ],
  [
    'a smoke variable that is not NAME=VALUE',
    { manifests: 'k8s/good.yaml', 'smoke-file': 'smoke-service.yaml', 'smoke-variables': 'who' },
    /^smoke-variables: "who" is not NAME=VALUE$/,
  ],
  [
    'an unknown fail-on',
    { manifests: 'k8s/good.yaml', 'fail-on': 'sometimes' },
    /fail-on.*removed, deprecated/,
  ],
])('%s fails with one line before any stage runs', async (_name, extra, message) => {
  const r = await runAction('verify', { workspace, inputs: inputs(extra) });
  expect(r.code).toBe(1);
  expect(r.failedMessage).toMatch(message);
  expect(r.outputs).toEqual({});
});
