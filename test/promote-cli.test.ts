import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startKubeSim, type KubeSim } from '@upgrade-actions/kube-sim';
import { KubeClient, loadClusterAccess } from '@upgrade-actions/kube';
import { readMark } from '@upgrade-actions/rollback';
import { runBuiltCli, runCommand } from './harness/cli';
import { appYaml } from './harness/manifests';
import { startTestApp, type TestApp } from './servers/test-app';

// `upgrade-actions promote` at a terminal against the simulator, pods backed by real local apps.
let sim: KubeSim;
let dir: string;
const apps: Record<string, TestApp> = {};

const release = (image: string) => appYaml({ image });

const cli = (name: string, ...argv: string[]) =>
  runCommand(name, [...argv, '--kubeconfig', sim.kubeconfigPath], { cwd: dir });

const fast = [
  '--analysis-url',
  'web-preview:80/switch',
  '--analysis-interval',
  '1s',
  '--validation',
  '1s',
  '--watch',
  '1s',
  '--scale-down-delay',
  '0s',
  '--failure-threshold',
  '2',
];

beforeAll(async () => {
  for (const v of ['v1', 'v2', 'v3']) apps[v] = await startTestApp();
  apps.v3.failFrom();
  sim = await startKubeSim({
    speed: 50,
    controllers: {
      events: false,
      scenario: Object.fromEntries(Object.entries(apps).map(([v, a]) => [`web:${v}`, { backend: a.url }])),
    },
  });
  dir = mkdtempSync(path.join(tmpdir(), 'promote-cli-'));
  for (const v of ['v1', 'v2', 'v3']) writeFileSync(path.join(dir, `${v}.yaml`), release(`web:${v}`));
  const d = await cli('deploy', '-f', 'v1.yaml');
  expect(d.code).toBe(0);
});

afterAll(async () => {
  await sim?.stop();
  for (const a of Object.values(apps)) await a.stop();
  rmSync(dir, { recursive: true, force: true });
});

test('a failing green exits 1 naming the check; a good one is promoted and the next starts from it', async () => {
  const bad = await cli('promote', '-f', 'v3.yaml', ...fast);
  expect(bad.code).toBe(1);
  expect(JSON.parse(bad.stdout)).toEqual({ phase: 'aborted', active: 'web', previous: 'web-green' });
  expect(bad.stderr).toMatch(
    /^error: web-preview:80\/switch failed 2 times in a row \(status 503.*; web serves\n$/,
  );

  const good = await cli('promote', '-f', 'v2.yaml', ...fast);
  expect({ code: good.code, stderr: good.stderr }).toEqual({ code: 0, stderr: '' });
  expect(JSON.parse(good.stdout)).toEqual({ phase: 'promoted', active: 'web-green', previous: 'web' });
  expect(good.log.join('\n')).toMatch(/Switched web to web-green/);
  // web-green now runs v2: the mark v3 left on it is gone, so deploy and rollback do not misread it.
  const client = new KubeClient(loadClusterAccess({ path: sim.kubeconfigPath }));
  const green = await client.get('/apis/apps/v1/namespaces/default/deployments/web-green');
  client.close();
  expect(readMark(green)).toBeUndefined();
});

test('--abort with nothing in flight changes nothing and exits 0', async () => {
  const r = await cli('promote', '-f', 'v2.yaml', ...fast, '--abort');
  expect(r.code).toBe(0);
  expect(r.log.join('\n')).toMatch(/No promotion of web is in flight/);
});

test.each([
  [['-f', 'v2.yaml'], 'error: --analysis-url: nothing to analyse'],
  [
    ['-f', 'v2.yaml', ...fast, '--failure-threshold', '0'],
    'error: --failure-threshold: must be a whole number >= 1, got "0"',
  ],
  [['-f', 'v2.yaml', ...fast, '--watch', 'soon'], 'error: --watch: "soon" is not a duration'],
  [
    ['-f', 'v2.yaml', '--analysis-url', '{{ colour }}:80/x'],
    'error: --analysis-url: unknown template variable {{ colour }}',
  ],
])('errors name the flag: %j', async (args, message) => {
  const { code, stderr } = await runBuiltCli(['promote', ...args, '--kubeconfig', sim.kubeconfigPath], {
    cwd: dir,
  });
  expect(code).toBe(1);
  expect(stderr).toContain(message);
});
