import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { promisify } from 'node:util';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startKubeSim, type KubeSim } from '@upgrade-actions/kube-sim';
import { FakeGitHubRelease } from './fixtures/github-release-api';
import { runAction } from './harness/run-action';
import { startTestApp, type TestApp } from './servers/test-app';

// The canary action from dist/, as the runner runs it, against the simulator (served from this process,
// so kubectl runs asynchronously) with real HTTP backends behind the pods and a real webhook receiver.

let sim: KubeSim;
let good: TestApp;
let bad: TestApp;
let workspace: string;
let hook: Server;
let hookUrl: string;
const received: unknown[] = [];

async function kubectl(...args: string[]): Promise<string> {
  const { stdout } = await promisify(execFile)(
    'kubectl',
    ['--kubeconfig', sim.kubeconfigPath, '-n', 'shop', ...args],
    {
      env: { ...process.env, KUBECACHEDIR: path.join(workspace, '.kube-cache') },
    },
  );
  return stdout;
}

const manifest = (image: string) => `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  replicas: 3
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

async function deployStable(image: string) {
  writeFileSync(path.join(workspace, 'stable.yaml'), manifest(image));
  await kubectl('delete', 'deployment', 'web', '--ignore-not-found', '--wait=false');
  await kubectl('apply', '-f', path.join(workspace, 'stable.yaml'));
  await kubectl('rollout', 'status', 'deployment/web', '--timeout=30s');
}

const inputs = (image: string, extra: Record<string, string> = {}) => {
  writeFileSync(path.join(workspace, 'web.yaml'), manifest(image));
  return {
    manifests: 'web.yaml',
    kubeconfig: sim.kubeconfigPath,
    steps: '50,100',
    'step-interval': '1s',
    'analysis-interval': '1s',
    'failure-threshold': '2',
    'analysis-urls': 'web-canary:80/switch',
    ...extra,
  };
};

beforeAll(async () => {
  good = await startTestApp();
  bad = await startTestApp();
  bad.failFrom();
  hook = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      received.push(JSON.parse(body));
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r));
  hookUrl = `http://127.0.0.1:${(hook.address() as { port: number }).port}/services/T0/B0/secret`;
  sim = await startKubeSim({
    speed: 50,
    controllers: {
      events: false,
      scenario: {
        'web:v1': { backend: good.url },
        'web:v2': { backend: good.url },
        'web:bad': { backend: bad.url },
      },
    },
  });
  workspace = mkdtempSync(path.join(tmpdir(), 'canary-action-'));
  await promisify(execFile)('kubectl', ['--kubeconfig', sim.kubeconfigPath, 'create', 'namespace', 'shop']);
});

afterAll(async () => {
  await sim?.stop();
  await good?.stop();
  await bad?.stop();
  await new Promise((r) => hook?.close(r));
  rmSync(workspace, { recursive: true, force: true });
});

test('a good release: promoted, with outputs, a summary with a chart, and the log step by step', async () => {
  await deployStable('web:v1');
  const r = await runAction('canary', { workspace, inputs: inputs('web:v2') });
  expect(r.failedMessage).toBeUndefined();
  expect(r.code).toBe(0);
  expect(r.outputs).toMatchObject({ phase: 'promoted', weight: '100', step: '1' });
  const analysis = JSON.parse(r.outputs.analysis) as Array<{
    weight: number;
    rounds: number;
    checks: unknown[];
  }>;
  expect(analysis.map((s) => s.weight)).toEqual([50, 100]);
  expect(analysis.every((s) => s.rounds >= 1)).toBe(true);
  const release = JSON.parse(r.outputs.release);
  expect(release.workloads[0]).toMatchObject({ kind: 'Deployment', name: 'web', namespace: 'shop' });
  expect(r.summary).toContain('Canary of deployment/web: promoted (100% on the new version)');
  expect(r.summary).toContain('```mermaid\nxychart-beta');
  expect(r.summary).toContain('<th>Step</th><th>Weight</th>');
  expect(r.groups).toEqual(
    expect.arrayContaining(['Canary: deployment.apps/web-canary', 'Promote: deployment.apps/web']),
  );
  expect(r.stdout).toContain('Step 2/2: 100% of traffic to the canary');
  expect(
    JSON.parse(await kubectl('get', 'deployment', 'web', '-o', 'json')).spec.template.spec.containers[0]
      .image,
  ).toBe('web:v2');
});

test('a bad release: aborted at the gate, exit 1 naming the gate and its value, notification sent', async () => {
  await deployStable('web:v1');
  received.length = 0;
  const r = await runAction('canary', { workspace, inputs: inputs('web:bad', { 'slack-webhook': hookUrl }) });
  expect(r.code).toBe(1);
  expect(r.failedMessage).toMatch(
    /^canary aborted: web-canary:80\/switch failed 2 rounds in a row: status 503/,
  );
  expect(r.outputs).toMatchObject({ phase: 'aborted', weight: '0', step: '0' });
  expect(r.summary).toContain('stopped by web-canary:80/switch: status 503');
  // The webhook is a secret: masked (the runner's ::add-mask:: line is the only place it appears).
  expect(
    r.stdout
      .split('\n')
      .filter((l) => !l.startsWith('::add-mask::'))
      .join('\n'),
  ).not.toContain(hookUrl);
  expect(received).toHaveLength(1);
  expect(JSON.stringify(received[0])).toContain(
    'canary aborted: web-canary:80/switch failed 2 rounds in a row',
  );
  expect(r.stderr + r.stdout).not.toMatch(/\n\s+at /); // no stack trace
});

test('bad inputs fail before the cluster is written to, naming the input', async () => {
  await deployStable('web:v1');
  const before = JSON.parse(await kubectl('get', 'deployment', 'web', '-o', 'json')).metadata.resourceVersion;
  for (const [extra, message] of [
    [{ steps: '10,5,100' }, /^steps: 5 after 10: steps must be strictly increasing/],
    [{ steps: '10,50' }, /^steps: the last step is 50; steps end at 100/],
    [{ steps: '10,150' }, /^steps: 150 is out of range/],
    [
      { 'traffic-router': 'smi' },
      /^Input 'traffic-router' must be one of replicas, nginx, istio, gateway-api/,
    ],
    [
      { 'traffic-router': 'nginx' },
      /^ingress: traffic-router nginx edits an existing ingress; give its name/,
    ],
    [
      { 'traffic-router': 'gateway-api', 'http-route': 'nope' },
      /^http-route: the cluster does not serve httproutes.gateway.networking.k8s.io \(is the Gateway API/,
    ],
    [{ 'header-match': 'no colon here' }, /^header-match: "no colon here" is not "Name: value"/],
    [{ 'analysis-urls': '' }, /^analysis-urls: nothing to analyse/],
  ] as const) {
    const r = await runAction('canary', {
      workspace,
      inputs: inputs('web:v2', extra as Record<string, string>),
    });
    expect({ extra, code: r.code }).toEqual({ extra, code: 1 });
    expect(r.failedMessage).toMatch(message);
    expect(r.stderr + r.stdout).not.toMatch(/\n\s+at /);
  }
  const after = JSON.parse(await kubectl('get', 'deployment', 'web', '-o', 'json'));
  expect(after.metadata.resourceVersion).toBe(before);
  expect(await kubectl('get', 'deployment', 'web-canary').catch(() => 'gone')).toBe('gone');
});

test('SIGTERM mid-step: cancelled with its place in the outputs, the Lease released; the next run resumes that step', async () => {
  await deployStable('web:v1');
  const r = await runAction('canary', {
    workspace,
    inputs: inputs('web:v2', { 'step-interval': '5m', 'analysis-interval': '1s' }),
    timeoutMs: 60_000,
    onSpawn: (child) => {
      let out = '';
      child.stdout?.on('data', (d: Buffer) => {
        out += d.toString();
        if (/step 1 round 2: /.test(out) && !child.killed) child.kill('SIGTERM');
      });
    },
  });
  expect(r.code).toBe(1);
  expect(
    r.annotations
      .filter((a) => a.level === 'error')
      .map((a) => a.message)
      .join('\n'),
  ).toMatch(/^cancelled \(SIGTERM\)/);
  expect(r.outputs).toMatchObject({ phase: 'progressing', weight: '50', step: '0' });
  expect(r.stdout).toMatch(/cancelled at step 1 of 2 \(50% on the canary\); the next run resumes there/);
  expect(r.stdout).not.toMatch(/^\s+at /m);
  const lease = JSON.parse(await kubectl('get', 'lease', 'upgrade-actions-deployment-web', '-o', 'json'));
  expect(lease.spec.holderIdentity ?? '').toBe('');
  // A lock-timeout of 1 s would fail if the cancelled run still held the Lease.
  const again = await runAction('canary', {
    workspace,
    inputs: inputs('web:v2', { 'step-interval': '5m', 'lock-timeout': '1s', action: 'promote' }),
  });
  expect(again.code).toBe(0);
  expect(again.stdout).toContain('Resuming the canary of deployment.apps/web at step 1 of 2 (50%)');
  expect(again.outputs.phase).toBe('promoted');
  const analysis = JSON.parse(again.outputs.analysis);
  expect(analysis[0].rounds).toBeGreaterThanOrEqual(1); // the cancelled run's rounds are kept
});

test('environment: one GitHub Deployment per canary, its statuses through a resumed run to success', async () => {
  await deployStable('web:v1');
  const gh = await new FakeGitHubRelease().start();
  try {
    const env = {
      GITHUB_API_URL: gh.url,
      GITHUB_REPOSITORY: 'acme/app',
      GITHUB_SHA: 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678',
    };
    const extra = {
      environment: 'production',
      'environment-url': 'https://shop.example.com',
      token: 'ghs_test',
      'step-interval': '3s',
      'analysis-interval': '1s',
    };
    const first = await runAction('canary', {
      workspace,
      env,
      inputs: inputs('web:v2', { ...extra, 'max-duration': '1s' }),
    });
    expect(first.code).toBe(0);
    expect(first.outputs.phase).toBe('progressing');
    expect(gh.deployments).toHaveLength(1);
    const d = gh.deployments[0];
    expect(first.outputs['deployment-id']).toBe(String(d.id));
    expect(d).toMatchObject({ environment: 'production', ref: env.GITHUB_SHA });
    expect((d.payload as { workloads: { name: string }[] }).workloads[0].name).toBe('web');
    const second = await runAction('canary', { workspace, env, inputs: inputs('web:v2', extra) });
    expect(second.outputs).toMatchObject({ phase: 'promoted', 'deployment-id': String(d.id) });
    // The resumed run reports on the same Deployment instead of creating another.
    expect(gh.deployments).toHaveLength(1);
    expect(d.statuses.map((s) => s.state)).toEqual(['in_progress', 'in_progress', 'success']);
    expect(d.statuses[2].environment_url).toBe('https://shop.example.com');
    // No token: refused before the cluster is touched.
    const bad = await runAction('canary', {
      workspace,
      env,
      inputs: inputs('web:v2', { environment: 'production' }),
    });
    expect(bad.failedMessage).toMatch(/^environment: needs token/);
  } finally {
    await gh.stop();
  }
});
