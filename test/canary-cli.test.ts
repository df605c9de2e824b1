import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startKubeSim, type KubeSim } from '@upgrade-actions/kube-sim';
import { node24, repoRoot } from './harness/run-action';
import { startTestApp, type TestApp } from './servers/test-app';

// `upgrade-actions canary` at a terminal: the built CLI as a user runs it, against the simulator.

let sim: KubeSim;
let app: TestApp;
let dir: string;

function cli(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  // Asynchronous: the simulator answers from this process.
  return new Promise((resolve) => {
    execFile(
      node24,
      [path.join(repoRoot, 'dist', 'cli', 'index.js'), 'canary', ...argv, '--kubeconfig', sim.kubeconfigPath],
      { cwd: dir, env: { PATH: process.env.PATH ?? '', HOME: dir } },
      (err, stdout, stderr) =>
        resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

const yaml = (image: string) => `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: default}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: web, image: "${image}"}]}
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: default}
spec: {selector: {app: web}, ports: [{port: 80, targetPort: 8080}]}
`;

beforeAll(async () => {
  app = await startTestApp();
  sim = await startKubeSim({
    speed: 50,
    controllers: { events: false, scenario: { 'web:*': { backend: app.url } } },
  });
  dir = mkdtempSync(path.join(tmpdir(), 'canary-cli-'));
  writeFileSync(path.join(dir, 'v1.yaml'), yaml('web:1'));
  writeFileSync(path.join(dir, 'v2.yaml'), yaml('web:2'));
});

afterAll(async () => {
  await sim?.stop();
  await app?.stop();
  rmSync(dir, { recursive: true, force: true });
});

test('a first release is applied directly; the next is canaried and promoted, JSON on stdout', async () => {
  const first = await cli('-f', 'v1.yaml', '--url', 'web-canary:80/healthy');
  expect(first.code).toBe(0);
  expect(JSON.parse(first.stdout)).toMatchObject({
    phase: 'promoted',
    message: 'first release: applied without a canary',
  });
  const r = await cli(
    '-f',
    'v2.yaml',
    '--url',
    'web-canary:80/healthy',
    '--steps',
    '50,100',
    '--step-interval',
    '1s',
    '--analysis-interval',
    '500ms',
  );
  expect(r.code).toBe(0);
  expect(r.stdout.endsWith('}\n')).toBe(true);
  const out = JSON.parse(r.stdout);
  expect(out).toMatchObject({ phase: 'promoted', weight: 100, step: 1 });
  expect(out.release.workloads[0]).toMatchObject({ name: 'web', images: { web: 'web:2' } });
  expect(r.stderr).toContain('Step 2/2: 100% of traffic to the canary');
}, 60_000);

test('errors name the flags, before the cluster is touched', async () => {
  const steps = await cli('-f', 'v2.yaml', '--url', 'x:80/', '--steps', '10,5,100');
  expect(steps.code).not.toBe(0);
  expect(steps.stderr).toMatch(/--steps: 5 after 10: steps must be strictly increasing/);
  const router = await cli('-f', 'v2.yaml', '--url', 'x:80/', '--traffic-router', 'smi');
  expect(router.stderr).toMatch(
    /--traffic-router: "smi" is not a router; accepted: replicas, nginx, istio, gateway-api/,
  );
  const unknown = await cli('-f', 'v2.yaml', '--bogus');
  expect(unknown.stderr).toMatch(/--bogus/);
  expect(unknown.stderr).toContain('upgrade-actions canary -f MANIFESTS [options]');
  const url = await cli('-f', 'v2.yaml', '--url', 'not a target');
  expect(url.stderr).toMatch(/--url: "not a target" is neither a URL/);
  expect(url.stderr + steps.stderr).not.toMatch(/\n\s+at /);
});

test('Ctrl-C mid-step: said once, the Lease given back, exit 130; the next run resumes the step', async () => {
  writeFileSync(path.join(dir, 'v3.yaml'), yaml('web:3'));
  const args = ['-f', 'v3.yaml', '--url', 'web-canary:80/healthy', '--steps', '50,100'];
  const child = spawn(
    node24,
    [
      path.join(repoRoot, 'dist', 'cli', 'index.js'),
      'canary',
      ...args,
      '--step-interval',
      '10m',
      '--analysis-interval',
      '300ms',
      '--kubeconfig',
      sim.kubeconfigPath,
    ],
    { cwd: dir, env: { PATH: process.env.PATH ?? '', HOME: dir } },
  );
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
    // Twice, as an impatient user presses it: the second must not cut the cleanup short.
    if (/step 1 round 2: /.test(stderr) && child.signalCode === null && !stderr.includes('cancelled')) {
      child.kill('SIGINT');
      setTimeout(() => child.kill('SIGINT'), 50);
    }
  });
  const code = await new Promise<number | null>((r) => child.once('close', (c) => r(c)));
  expect(code).toBe(130);
  expect(stderr.match(/cancelled \(SIGINT\): canary stopped/g)).toHaveLength(1);
  expect(stderr).not.toMatch(/^\s+at /m);
  // A lock-timeout of 1 s would fail if the interrupted run still held the Lease.
  const again = await cli(
    ...args,
    '--step-interval',
    '1s',
    '--analysis-interval',
    '300ms',
    '--lock-timeout',
    '1s',
  );
  expect(again.stderr).toContain('Resuming the canary of deployment.apps/web at step 1 of 2 (50%)');
  expect(again.code).toBe(0);
  expect(JSON.parse(again.stdout)).toMatchObject({ phase: 'promoted' });
});
