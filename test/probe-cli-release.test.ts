import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { startKubeSim, type KubeSim } from '@upgrade-actions/kube-sim';
import { runBuiltCli } from './harness/cli';
import { deploymentYaml } from './harness/manifests';

// `upgrade-actions probe --release` as the action's release input: the release's pods are checked, and
// with --rollback-on-failure an unhealthy release is rolled back — from the command line too.
let sim: KubeSim;
let dir: string;

const run = (...args: string[]) =>
  runBuiltCli(args, { cwd: dir, env: { ...process.env, KUBECONFIG: sim.kubeconfigPath } });

const manifest = (image: string) =>
  deploymentYaml({ namespace: 'default', progressDeadlineSeconds: 600, image });

beforeAll(async () => {
  sim = await startKubeSim({
    speed: 50,
    controllers: { events: false, scenario: { 'ghcr.io/acme/web:2.0.0': { crashAfterMs: 500 } } },
  });
  dir = mkdtempSync(path.join(tmpdir(), 'probe-release-'));
});
afterAll(() => sim?.stop());

test('an unhealthy release is rolled back with --rollback-on-failure', async () => {
  writeFileSync(path.join(dir, 'v1.yaml'), manifest('ghcr.io/acme/web:1.0.0'));
  writeFileSync(path.join(dir, 'v2.yaml'), manifest('ghcr.io/acme/web:2.0.0'));
  expect((await run('deploy', '-f', 'v1.yaml', '--release-file', 'r1.json')).code).toBe(0);
  // v2's pods start and then crash: deploy does not wait for them, the probe sees it.
  expect((await run('deploy', '-f', 'v2.yaml', '--no-wait', '--release-file', 'r2.json')).code).toBe(0);
  await new Promise((r) => setTimeout(r, 2000));
  const r = await run('probe', '--release', 'r2.json', '--rollback-on-failure', '--failure-threshold', '1');
  expect(r.code).toBe(1);
  expect(r.stdout).toMatch(/rollback: deployment\.apps\/web rolled-back/);
  const history = await promisify(execFile)('kubectl', [
    '--kubeconfig',
    sim.kubeconfigPath,
    'get',
    'deployment',
    'web',
    '-o',
    'jsonpath={.spec.template.spec.containers[0].image}',
  ]);
  expect(history.stdout).toBe('ghcr.io/acme/web:1.0.0');
});

test.each([
  [
    ['probe', 'http://127.0.0.1:9/', '--rollback-on-failure'],
    'error: --rollback-on-failure: needs --release',
  ],
  [['probe', '--release', 'nope.json'], 'error: --release: cannot read nope.json (ENOENT)'],
])('%j → %s', async (args, message) => {
  const r = await run(...args);
  expect(r.code).toBe(1);
  expect(r.stderr).toContain(message);
});
