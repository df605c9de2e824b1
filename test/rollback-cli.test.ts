import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startKubeSim, type KubeSim } from '@upgrade-actions/kube-sim';
import { parseRelease } from '@upgrade-actions/release';
import { runCommand } from './harness/cli';
import { deploymentYaml } from './harness/manifests';

// `upgrade-actions deploy` and `upgrade-actions rollback` at a terminal, against the simulator.

let sim: KubeSim;
let dir: string;

beforeAll(async () => {
  sim = await startKubeSim({
    speed: 50,
    controllers: { events: false, scenario: { 'bad:*': { ready: false } } },
  });
  dir = mkdtempSync(path.join(tmpdir(), 'rollback-cli-'));
  writeFileSync(path.join(dir, 'web.yaml'), deploymentYaml({ progressDeadlineSeconds: 90 }));
});

afterAll(async () => {
  await sim?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const cli = (name: string, ...argv: string[]) =>
  runCommand(name, [...argv, '--kubeconfig', sim.kubeconfigPath], { cwd: dir });

test('deploy prints the release descriptor and follows the rollout on the log', async () => {
  const r = await cli('deploy', '-f', 'web.yaml', '--image', 'web=web:1', '--change-cause', 'web 1');
  expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
  expect(parseRelease(r.stdout).workloads).toEqual([
    {
      kind: 'Deployment',
      name: 'web',
      namespace: 'default',
      revisionBefore: null,
      revisionAfter: 1,
      changeCause: 'web 1',
      images: { web: 'web:1' },
    },
  ]);
  expect(r.log).toContain('deployment "web" successfully rolled out');
});

test('a failed rollout exits 1 after rolling back; the release file then rolls back nothing more', async () => {
  const r = await cli('deploy', '-f', 'web.yaml', '--image', 'web=bad:2', '--release-file', 'release.json');
  expect(r.code).toBe(1);
  // What happened, in the order it happened, once (the log is standard error in the CLI).
  expect(r.stderr).toBe('');
  const story = r.log.filter((l) => /rollout failed|Automatic rollback|rolled back from/.test(l));
  expect(story).toEqual([
    'error: rollout failed: default/deployment.apps/web: deployment "web" exceeded its progress deadline',
    'group: Automatic rollback',
    expect.stringMatching(
      /^deployment\.apps\/web: rolled back from revision 2 to revision 1 \(now revision 3\); verified/,
    ),
  ]);
  const again = await cli('rollback', '--release', 'release.json');
  expect(again).toMatchObject({ code: 0, stdout: '{}\n' });
  expect(again.log.join('\n')).toMatch(/already rolled back: revision 2 was marked failed/);
});

test('rollback of a named workload prints what it rolled back', async () => {
  const d = await cli('deploy', '-f', 'web.yaml', '--image', 'web=web:4');
  expect({ code: d.code, stderr: d.stderr }).toEqual({ code: 0, stderr: '' });
  const r = await cli('rollback', 'deployment/web', '--reason', 'manual');
  expect(r.code).toBe(0);
  expect(JSON.parse(r.stdout)).toEqual({ 'default/deployment.apps/web': { from: 4, to: 3, revision: 5 } });
});

test.each([
  [
    ['rollback', '--release', 'release.json', 'deployment/web'],
    'rollback: give --release FILE or workloads as TYPE/NAME, one of the two',
  ],
  [['rollback'], 'rollback: give --release FILE or workloads as TYPE/NAME, one of the two'],
  [
    ['rollback', 'deployment/web', '--to-revision', 'x'],
    '--to-revision: must be a whole number >= 0, got "x"',
  ],
  [['deploy', '-f', 'missing.yaml'], 'manifests: "missing.yaml" matches no file or directory'],
  [['deploy', '-f', 'web.yaml', '--image', 'web'], '--image: "web" names no tag or digest'],
])('%j is refused with a clear error', async (argv, message) => {
  await expect(cli(argv[0], ...argv.slice(1))).rejects.toThrow(message);
});
