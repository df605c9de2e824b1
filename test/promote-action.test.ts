import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
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
import { COLOUR_LABEL } from '@upgrade-actions/promote';
import { FakeGitHubRelease } from './fixtures/github-release-api';
import { runAction } from './harness/run-action';
import { startTestApp, type TestApp } from './servers/test-app';

// The promote action from dist/, as the runner runs it, against the simulator (pods backed by real local
// apps) and a local GitHub REST server for the merge and the Deployment.
let sim: KubeSim;
let client: KubeClient;
let gh: FakeGitHubRelease;
let workspace: string;
const apps: Record<string, TestApp> = {};
/** An app whose /switch answers 200 twice, then 500: it passes a 1-round validation and fails in the watch. */
let leaky: Server;
let leakyServed = 0;

const manifests = (name: string, image: string) => `
apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}, namespace: default}
spec:
  replicas: 2
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec:
      containers: [{name: app, image: "${image}", ports: [{containerPort: 8080}]}]
---
apiVersion: v1
kind: Service
metadata: {name: ${name}, namespace: default}
spec:
  selector: {app: ${name}}
  ports: [{name: http, port: 80, targetPort: 8080}]
`;

async function setup(name: string) {
  await applyManifests(client, parseManifests(manifests(name, 'web:v1'), 'blue.yaml'), {
    fieldManager: 'test',
    namespace: 'default',
  });
  const t = await resolveWorkload(client, new Discovery(client), {
    type: 'deploy',
    name,
    namespace: 'default',
  });
  await followRolloutStatus(client, t, { timeoutMs: 20_000, onMessage: () => {} });
}

function inputs(name: string, image: string, extra: Record<string, string> = {}) {
  writeFileSync(path.join(workspace, `${name}.yaml`), manifests(name, image));
  return {
    manifests: `${name}.yaml`,
    kubeconfig: sim.kubeconfigPath,
    'analysis-urls': `${name}-preview:80/switch`,
    'analysis-interval': '1s',
    'failure-threshold': '2',
    validation: '1s',
    watch: '1s',
    'scale-down-delay': '0s',
    ...extra,
  };
}

const env = () => ({
  GITHUB_API_URL: gh.url,
  GITHUB_REPOSITORY: 'acme/app',
  GITHUB_SHA: 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678',
});
const event = { pull_request: { number: 42 } };
const selector = async (name: string) =>
  (
    await client.get<{ spec: { selector: Record<string, string> } }>(
      `/api/v1/namespaces/default/services/${name}`,
    )
  ).spec.selector;

beforeAll(async () => {
  for (const v of ['v1', 'v2', 'v3']) apps[v] = await startTestApp();
  apps.v3.failFrom();
  leaky = createServer((req, res) => {
    res.writeHead(req.url === '/switch' && ++leakyServed > 2 ? 500 : 200).end();
  });
  await new Promise<void>((r) => leaky.listen(0, '127.0.0.1', r));
  const leakyUrl = `http://127.0.0.1:${(leaky.address() as AddressInfo).port}`;
  sim = await startKubeSim({
    speed: 50,
    controllers: {
      events: false,
      scenario: {
        ...Object.fromEntries(Object.entries(apps).map(([v, a]) => [`web:${v}`, { backend: a.url }])),
        'web:leak': { backend: leakyUrl },
      },
    },
  });
  client = new KubeClient(loadClusterAccess({ path: sim.kubeconfigPath }));
  workspace = mkdtempSync(path.join(tmpdir(), 'promote-action-'));
});

beforeEach(async () => {
  gh = await new FakeGitHubRelease().start();
});
afterEach(() => gh.stop());

afterAll(async () => {
  client?.close();
  await sim?.stop();
  for (const a of Object.values(apps)) await a.stop();
  await new Promise((r) => leaky?.close(r));
  rmSync(workspace, { recursive: true, force: true });
});

test('a good green is validated, the pull request merged, traffic switched, and the Deployment marked success', async () => {
  await setup('web');
  gh.rulesetChecks = ['build'];
  gh.checkRun('build', 'completed', 'success');
  const r = await runAction('promote', {
    inputs: inputs('web', 'web:v2', {
      'merge-pull-request': 'squash',
      environment: 'production',
      'environment-url': 'https://shop.example.com',
      token: 'ghs_secret',
    }),
    event,
    eventName: 'pull_request',
    workspace,
    env: env(),
  });
  expect(r.failedMessage).toBeUndefined();
  expect(r.code).toBe(0);
  expect(r.outputs).toMatchObject({ phase: 'promoted', active: 'web-green', previous: 'web' });
  expect(JSON.parse(r.outputs.release).workloads[0]).toMatchObject({ kind: 'Deployment', name: 'web-green' });
  expect(await selector('web')).toEqual({ app: 'web', [COLOUR_LABEL]: 'green' });
  expect(gh.pull.merged).toBe(true);
  expect(gh.requests.find((q) => q.method === 'PUT')?.body).toMatchObject({ merge_method: 'squash' });
  const d = gh.deployments[0];
  expect(r.outputs['deployment-id']).toBe(String(d.id));
  expect(d).toMatchObject({ environment: 'production', ref: env().GITHUB_SHA });
  expect((d.payload as { workloads: { name: string }[] }).workloads[0].name).toBe('web-green');
  expect(d.statuses.map((s) => s.state)).toEqual(['in_progress', 'success']);
  expect(d.statuses[1].environment_url).toBe('https://shop.example.com');
  // The merge happens after validation and before the switch.
  expect(r.stdout.indexOf('Merged pull request #42')).toBeLessThan(
    r.stdout.indexOf('Switched web to web-green'),
  );
  expect(r.stdout.indexOf('validating round')).toBeLessThan(r.stdout.indexOf('Merged pull request #42'));
  expect(r.summary).toContain('```mermaid\ngantt');
  expect(r.summary).toContain('<td>switched</td>');
  expect(r.stdout.replace(/^::add-mask::.*$/gm, '')).not.toContain('ghs_secret');
});

test('a required check that is red stops the promotion before the switch: aborted, exit 1, naming the check', async () => {
  await setup('shop');
  gh.rulesetChecks = ['build', 'e2e'];
  gh.checkRun('build', 'completed', 'success');
  gh.checkRun('e2e', 'completed', 'failure');
  const r = await runAction('promote', {
    inputs: inputs('shop', 'web:v2', {
      'merge-pull-request': 'merge',
      environment: 'production',
      token: 't',
    }),
    event,
    workspace,
    env: env(),
  });
  expect(r.code).toBe(1);
  expect(r.outputs.phase).toBe('aborted');
  expect(r.failedMessage).toBe(
    'promote shop-green aborted: merge-pull-request: required check "e2e" is failure on a1b2c3d4e5f6, not merging pull request #42; traffic never left shop',
  );
  expect(await selector('shop')).not.toHaveProperty(COLOUR_LABEL);
  expect(gh.pull.merged).toBe(false);
  expect(gh.deployments[0].statuses.map((s) => s.state)).toEqual(['in_progress', 'failure']);
});

test('a green that fails validation is aborted with the check and the value it saw; traffic never moved', async () => {
  await setup('cart');
  const r = await runAction('promote', { inputs: inputs('cart', 'web:v3'), workspace });
  expect(r.code).toBe(1);
  expect(r.outputs).toMatchObject({ phase: 'aborted', active: 'cart', previous: 'cart-green' });
  expect(r.failedMessage).toMatch(
    /^promote cart-green aborted: cart-preview:80\/switch failed 2 times in a row \(status 503.*; traffic never left cart$/,
  );
  expect(r.summary).toContain('crit');
  expect(r.stdout).not.toMatch(/\n\s+at /); // no stack trace in normal output
});

test('a green that fails during the watch is switched back: rolled-back, exit 1, blue serves', async () => {
  await setup('pay');
  const received: unknown[] = [];
  const hook = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      received.push(JSON.parse(body));
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r));
  const webhook = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/hook`;
  const r = await runAction('promote', {
    inputs: inputs('pay', 'web:leak', { watch: '4s', webhook }),
    workspace,
  }).finally(() => new Promise((done) => hook.close(done)));
  expect(JSON.stringify(received)).toMatch(
    /promote pay-green rolled-back: pay-preview:80\/switch failed 2 times/,
  );
  expect(r.code).toBe(1);
  expect(r.outputs).toMatchObject({ phase: 'rolled-back', active: 'pay', previous: 'pay-green' });
  expect(r.failedMessage).toMatch(
    /^promote pay-green rolled-back: pay-preview:80\/switch failed 2 times in a row \(status 500.*; traffic is back on pay$/,
  );
  expect(r.stdout).toMatch(/Switched pay back to pay \d+ ms after the failed round/);
  expect(await selector('pay')).not.toHaveProperty(COLOUR_LABEL);
  expect(r.summary).toContain('back to pay');
});

test('a run stopped by max-duration exits 0 with phase progressing, and the next run finishes it', async () => {
  await setup('api');
  const first = await runAction('promote', {
    inputs: inputs('api', 'web:v2', { 'max-duration': '1ms' }),
    workspace,
  });
  expect(first.code).toBe(0);
  expect(first.outputs.phase).toBe('progressing');
  expect(await selector('api')).not.toHaveProperty(COLOUR_LABEL);
  const second = await runAction('promote', { inputs: inputs('api', 'web:v2'), workspace });
  expect(second.code).toBe(0);
  expect(second.outputs).toMatchObject({ phase: 'promoted', active: 'api-green' });
  expect(second.stdout).toContain('Resuming the promotion of api-green (validating');
});

test('a green the analysis never reaches is aborted after 4 unobserved rounds, not switched to unseen', async () => {
  await setup('ghost');
  // web:ghost has no backend: its pods are Ready, the service proxy answers 503 for them (no app answers).
  const r = await runAction('promote', {
    inputs: inputs('ghost', 'web:ghost', { validation: '1m' }),
    workspace,
  });
  expect(r.code).toBe(1);
  expect(r.outputs.phase).toBe('aborted');
  expect(r.annotations.filter((a) => a.level === 'error').map((a) => a.message)).toEqual([
    expect.stringMatching(/the app was not reached 4 rounds in a row \(status 503/),
  ]);
  expect(await selector('ghost')).not.toHaveProperty(COLOUR_LABEL, 'green');
});

test('SIGTERM during validation: cancelled with where it stands, the Lease given back; the next run resumes and promotes', async () => {
  await setup('orders');
  const first = await runAction('promote', {
    inputs: inputs('orders', 'web:v2', { validation: '10m' }),
    workspace,
    timeoutMs: 60_000,
    onSpawn: (child) => {
      let out = '';
      child.stdout?.on('data', (d: Buffer) => {
        out += d.toString();
        if (/validating round 2: /.test(out) && child.signalCode === null) child.kill('SIGTERM');
      });
    },
  });
  expect(first.code).toBe(1);
  expect(first.annotations.filter((a) => a.level === 'error').map((a) => a.message)).toEqual([
    expect.stringMatching(/^cancelled \(SIGTERM\)/),
  ]);
  expect(first.outputs).toMatchObject({ phase: 'progressing', active: 'orders', previous: 'orders-green' });
  expect(first.stdout).toContain(
    'cancelled while validating orders-green (orders serves); the next run resumes there',
  );
  expect(first.stdout).not.toMatch(/^\s+at /m);
  expect(await selector('orders')).not.toHaveProperty(COLOUR_LABEL);
  const lease = await client.get<{ spec: { holderIdentity?: string } }>(
    '/apis/coordination.k8s.io/v1/namespaces/default/leases/upgrade-actions-deployment-orders',
  );
  expect(lease.spec.holderIdentity ?? '').toBe('');
  // A lock-timeout of 1 s would fail if the cancelled run still held the Lease.
  const second = await runAction('promote', {
    inputs: inputs('orders', 'web:v2', { 'lock-timeout': '1s' }),
    workspace,
  });
  expect(second.code).toBe(0);
  expect(second.stdout).toContain('Resuming the promotion of orders-green (validating');
  expect(second.outputs).toMatchObject({ phase: 'promoted', active: 'orders-green' });
});

test.each([
  [
    'merge-pull-request: an unknown method',
    { 'merge-pull-request': 'fast' },
    /merge-pull-request.*merge, squash or rebase/,
  ],
  [
    'merge-pull-request: no pull request',
    { 'merge-pull-request': 'merge', token: 't' },
    /^merge-pull-request: no pull request to merge/,
  ],
  ['nothing to analyse', { 'analysis-urls': '' }, /^analysis-urls: nothing to analyse/],
  [
    'an unknown template variable',
    { 'analysis-urls': '{{ colour }}-preview:80/x' },
    /unknown template variable \{\{ colour \}\}/,
  ],
])('bad input fails first, naming it: %s', async (_n, extra, message) => {
  await setup('bad');
  const before = JSON.stringify(await selector('bad'));
  const r = await runAction('promote', { inputs: inputs('bad', 'web:v2', extra), workspace, env: env() });
  expect(r.code).toBe(1);
  expect(r.failedMessage).toMatch(message);
  expect(JSON.stringify(await selector('bad'))).toBe(before);
  expect(
    await client.get('/apis/apps/v1/namespaces/default/deployments/bad-green').catch(() => 'absent'),
  ).toBe('absent');
});
