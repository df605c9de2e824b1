import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseManifests } from '@upgrade-actions/kube';
import type { KubeSim } from '@upgrade-actions/kube-sim';
import { parseStages, stagedRollout, type StagedRolloutOptions } from '@upgrade-actions/verify';
import { runCommand } from './harness/cli';
import { appYaml } from './harness/manifests';
import { imageIn, recordingLogger, startStageClusters, type StageClusters } from './harness/stages';

// The staged rollout (SEEDS.md §5 scenario 2) end to end on TWO simulated clusters, development and
// production, each with its own kubeconfig: a good release passes both gates; a release that fails the soak
// of the first stage is rolled back there and never reaches the second. Soak times are seconds here.

let clusters: StageClusters;
let dev: KubeSim;
let prod: KubeSim;

const manifests = parseManifests(appYaml({ namespace: 'default', progressDeadlineSeconds: 60 }), 'web.yaml');
const lines: string[] = [];
const options = (image: string): StagedRolloutOptions => ({
  stages: [
    { name: 'development', kubeconfig: dev.kubeconfigPath, soakMs: 1500 },
    { name: 'production', kubeconfig: prod.kubeconfigPath, soakMs: 0 },
  ],
  manifests,
  namespace: 'default',
  images: `web=${image}`,
  healthUrls: ['web:80/healthy'],
  intervalMs: 300,
  failureThreshold: 2,
  logger: recordingLogger(lines),
});

beforeAll(async () => {
  clusters = await startStageClusters((backend) => ({
    'web:1': { backend },
    'web:2': { backend },
    // Never Ready: the rollout fails at its progress deadline whatever the machine's load (pods that crash
    // soon after becoming Ready could let a slow follower see the rollout complete first).
    'web:never-ready': { ready: false, backend },
    'web:late-crash': { crashAfterMs: 20_000, backend },
  }));
  ({ dev, prod } = clusters);
});
afterAll(() => clusters?.stop());

test('a good release passes development and reaches production', async () => {
  const out = await stagedRollout(options('web:1'));
  expect(out.map((o) => [o.name, o.result])).toEqual([
    ['development', 'promoted'],
    ['production', 'promoted'],
  ]);
  expect(await imageIn(dev)).toBe('web:1');
  expect(await imageIn(prod)).toBe('web:1');
  expect(lines).toContain('✓ development passed its gate');
}, 60_000);

test('a release that fails its soak in development is rolled back there and never reaches production', async () => {
  lines.length = 0;
  const out = await stagedRollout(options('web:late-crash'));
  expect(out.map((o) => [o.name, o.result])).toEqual([
    ['development', 'rolled back'],
    ['production', 'not reached'],
  ]);
  expect(out[0].message).toMatch(/^soak: /);
  // The soak ran until the pods crashed: time in soak is measured, not the configured 1.5 s.
  expect(out[0].soakMs).toBeGreaterThan(0);
  expect(out[1]).toMatchObject({ soakMs: 0, durationMs: 0 });
  expect(out[0].rolledBack).toMatch(/rolled back from revision 2 to revision 1/);
  expect(await imageIn(dev)).toBe('web:1'); // restored
  expect(await imageIn(prod)).toBe('web:1'); // untouched
  expect(lines).toContain('Stopped: production not reached');
}, 60_000);

test('a release whose rollout fails in development is rolled back there too', async () => {
  const out = await stagedRollout(options('web:never-ready'));
  expect(out.map((o) => o.result)).toEqual(['rolled back', 'not reached']);
  expect(out[0].soakMs).toBe(0); // never soaked: the rollout failed first
  expect(out[0].message).toMatch(/^rollout: deployment "web" exceeded its progress deadline/);
  expect(await imageIn(dev)).toBe('web:1');
  expect(await imageIn(prod)).toBe('web:1');
}, 60_000);

test("every stage's kubeconfig is checked before the first stage is touched", async () => {
  const opts = options('web:2');
  opts.stages[1] = { ...opts.stages[1], kubeconfig: `${prod.kubeconfigPath}.missing` };
  await expect(stagedRollout(opts)).rejects.toThrow(
    /^stages\[1\] \(production\): kubeconfig: file .*\.missing does not exist/,
  );
  opts.stages[1] = { ...opts.stages[1], kubeconfig: prod.kubeconfigPath, context: 'nope' };
  await expect(stagedRollout(opts)).rejects.toThrow(/^stages\[1\] \(production\): .*nope/);
  expect(await imageIn(dev)).toBe('web:1'); // development never deployed
});

test('the stages file is checked before anything runs, naming the field', () => {
  expect(
    parseStages(
      'stages:\n  - {name: development, kubeconfig: dev.yaml, soak: 30m}\n  - {name: production, kubeconfig: p.yaml, soak: 0}\n',
    ),
  ).toEqual([
    { name: 'development', kubeconfig: 'dev.yaml', soakMs: 1_800_000 },
    { name: 'production', kubeconfig: 'p.yaml', soakMs: 0 },
  ]);
  expect(
    parseStages('stages:\n  - {name: development, kubeconfig: dev.yaml, soak: 30m, timeout: 10m}\n')[0],
  ).toEqual({ name: 'development', kubeconfig: 'dev.yaml', soakMs: 1_800_000, timeoutMs: 600_000 });
  // A bad timeout names the stage and the field, with the accepted forms.
  expect(() =>
    parseStages(
      'stages:\n  - {name: development, kubeconfig: d, timeout: 10m}\n  - {name: production, kubeconfig: p, timeout: soon}\n',
    ),
  ).toThrow(/^stages\[1\] \(production\)\.timeout: "soon" is not a duration; use .* 5m/);
  expect(() => parseStages('stages:\n  - {name: dev, kubeconfig: d, timout: 10m}\n')).toThrow(
    /^stages\[0\] \(dev\)\.timout: not a stage field; a stage has name, kubeconfig, context, soak, timeout$/,
  );
  expect(() => parseStages('stages:\n  - {name: Dev, kubeconfig: d}\n')).toThrow(
    /^stages\[0\].name: a stage name/,
  );
  expect(() => parseStages('stages:\n  - {name: dev}\n')).toThrow(/^stages\[0\] \(dev\)\.kubeconfig:/);
  expect(() => parseStages('stages:\n  - {name: dev, kubeconfig: d, soak: forever}\n')).toThrow(
    /^stages\[0\] \(dev\)\.soak: "forever" is not a duration/,
  );
  expect(() => parseStages('nope: 1')).toThrow(/^stages: give "stages:"/);
});

test('upgrade-actions stages: the same rollout from a stages file, JSON out, exit 1 on a failed stage', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'stages-cli-'));
  try {
    writeFileSync(
      path.join(dir, 'stages.yaml'),
      `stages:\n  - {name: development, kubeconfig: ${dev.kubeconfigPath}, soak: 1s}\n  - {name: production, kubeconfig: ${prod.kubeconfigPath}, soak: 0}\n`,
    );
    writeFileSync(path.join(dir, 'web.yaml'), manifests.map((m) => JSON.stringify(m.object)).join('\n---\n'));
    const stages = (argv: string[], env?: Record<string, string>) =>
      runCommand('stages', argv, { cwd: dir, env });
    const good = await stages([
      '--stages',
      'stages.yaml',
      '-f',
      'web.yaml',
      '--image',
      'web=web:2',
      '--url',
      'web:80/healthy',
      '--interval',
      '300ms',
      '--failure-threshold',
      '2',
    ]);
    expect(good.code).toBe(0);
    expect(JSON.parse(good.stdout).map((o: { result: string }) => o.result)).toEqual([
      'promoted',
      'promoted',
    ]);
    expect(await imageIn(prod)).toBe('web:2');
    await expect(stages(['--stages', 'nope.yaml', '-f', 'web.yaml'])).rejects.toThrow(
      /^--stages: cannot read nope.yaml \(ENOENT\)/,
    );
    // `~/` in a kubeconfig path is the home directory (no shell expands it in YAML); a missing one is
    // found before development is deployed.
    copyFileSync(dev.kubeconfigPath, path.join(dir, 'dev.yaml'));
    writeFileSync(
      path.join(dir, 'home-stages.yaml'),
      'stages:\n  - {name: development, kubeconfig: ~/dev.yaml, soak: 0}\n  - {name: production, kubeconfig: ~/prod.yaml, soak: 0}\n',
    );
    await expect(
      stages(['--stages', 'home-stages.yaml', '-f', 'web.yaml', '--image', 'web=web:1'], { HOME: dir }),
    ).rejects.toThrow(
      `stages[1] (production): kubeconfig: file ${path.join(dir, 'prod.yaml')} does not exist`,
    );
    expect(await imageIn(dev)).toBe('web:2');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, 60_000);
