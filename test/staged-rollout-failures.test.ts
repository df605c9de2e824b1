import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadClusterAccess, parseManifests } from '@upgrade-actions/kube';
import type { KubeSim } from '@upgrade-actions/kube-sim';
import { stagedRollout, type StagedRolloutOptions } from '@upgrade-actions/verify';
import { cliPath, runCommand } from './harness/cli';
import { deploymentYaml } from './harness/manifests';
import { node24 } from './harness/run-action';
import { imageIn, recordingLogger, startStageClusters, type StageClusters } from './harness/stages';

// The staged rollout when something else than a gate goes wrong, on TWO simulated clusters: an engine that
// throws after the deploy wrote (the API server failing), a rollback that fails too (what to run by hand,
// run here exactly as printed), the per-stage deploy timeout, and the summary the CLI prints and writes.

let clusters: StageClusters;
let dev: KubeSim;
let prod: KubeSim;
let dir: string;

const manifests = parseManifests(
  deploymentYaml({ namespace: 'default', progressDeadlineSeconds: 600 }),
  'web.yaml',
);
const lines: string[] = [];
/** Runs once, right after the deploy's apply is written (to break the API server at that moment). */
let afterApply: (() => void) | undefined;
const options = (image: string): StagedRolloutOptions => ({
  stages: [
    { name: 'development', kubeconfig: dev.kubeconfigPath, soakMs: 0 },
    { name: 'production', kubeconfig: prod.kubeconfigPath, soakMs: 0 },
  ],
  manifests,
  namespace: 'default',
  images: `web=${image}`,
  healthUrls: [],
  intervalMs: 300,
  failureThreshold: 2,
  logger: recordingLogger(lines, (m) => {
    if (m.endsWith('serverside-applied') && afterApply) {
      afterApply();
      afterApply = undefined;
    }
  }),
});

beforeAll(async () => {
  clusters = await startStageClusters((backend) => ({
    'web:1': { backend },
    'web:2': { backend },
    'web:3': { backend },
    'web:unready': { ready: false, backend },
    'web:unready-too': { ready: false, backend },
  }));
  ({ dev, prod } = clusters);
  dir = mkdtempSync(path.join(tmpdir(), 'stages-failures-'));
  const first = await stagedRollout(options('web:1'));
  expect(first.map((o) => o.result)).toEqual(['promoted', 'promoted']);
}, 60_000);
afterEach(() => {
  dev.faults.clear();
  afterApply = undefined;
  lines.length = 0;
});
afterAll(async () => {
  await clusters?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('an engine that throws after the deploy wrote: the stage is rolled back and later stages never touched', async () => {
  // Every retry of the deploy's next read answers 503: the deploy throws with its apply written.
  afterApply = () =>
    dev.faults.set({ verb: 'get', resource: 'deployments', errorRate: 1, errorCode: 503, times: 6 });
  const out = await stagedRollout(options('web:2'));
  expect(out.map((o) => [o.name, o.result])).toEqual([
    ['development', 'rolled back'],
    ['production', 'not reached'],
  ]);
  expect(out[0].message).toMatch(/^error: Error from server \(ServiceUnavailable\): .*injected fault/);
  expect(out[0].rolledBack).toMatch(/deployment\.apps\/web: rolled back from revision 2 to revision 1/);
  expect(lines.some((l) => l.startsWith('error: development: error: '))).toBe(true);
  expect(lines).toContain('## Rollback: development');
  expect(await imageIn(dev)).toBe('web:1');
  expect(await imageIn(prod)).toBe('web:1');
}, 60_000);

test('a rollback that fails too says so and prints what to run by hand; run as printed, it recovers the stage', async () => {
  // The API server answers 503 to everything once the apply is written: deploy and rollback both fail.
  afterApply = () => dev.faults.set({ verb: '*', errorRate: 1, errorCode: 503 });
  const out = await stagedRollout(options('web:3'));
  expect(out.map((o) => [o.name, o.result])).toEqual([
    ['development', 'rollback failed'],
    ['production', 'not reached'],
  ]);
  expect(out[0].rolledBack).toMatch(/^failed: /);
  expect(out[0].manualRollback).toEqual([
    `upgrade-actions rollback deployment/web -n default --to-revision 3 --kubeconfig ${dev.kubeconfigPath} --context ${loadClusterAccess({ path: dev.kubeconfigPath }).contextName} --reason 'development failed its gate: ${out[0].message!.replace(/'/g, `'\\''`)}'`,
  ]);
  const said = lines.find((l) => l.startsWith('error: development: the rollback failed: '));
  expect(said).toContain(
    'development may still run the new release; finish it by hand:\n  upgrade-actions rollback',
  );
  expect(await imageInWhenHealthy()).toBe('web:3'); // left on the new release: not silently called done
  expect(await imageIn(prod)).toBe('web:1');
  // The command, pasted into a shell as printed, with the built CLI as `upgrade-actions`.
  const command = out[0].manualRollback![0].replace(/^upgrade-actions /, `'${node24}' '${cliPath}' `);
  const r = await new Promise<{ code: number; stdout: string }>((resolve) =>
    execFile('sh', ['-c', command], (e, stdout) => resolve({ code: e ? Number(e.code) : 0, stdout })),
  );
  expect(r.code).toBe(0);
  expect(JSON.parse(r.stdout)).toEqual({ 'default/deployment.apps/web': { from: 4, to: 3, revision: 5 } });
  expect(await imageIn(dev)).toBe('web:1'); // revision 3 is web:1, restored by the first test's rollback
}, 90_000);

/** The image in development, read once the API server answers again. */
async function imageInWhenHealthy(): Promise<string> {
  dev.faults.clear();
  return imageIn(dev);
}

test("a stage's timeout limits its rollouts; a bad one is refused before the first deploy", async () => {
  const opts = options('web:unready');
  opts.stages[0] = { ...opts.stages[0], timeoutMs: 1000 };
  const out = await stagedRollout(opts);
  expect(out.map((o) => o.result)).toEqual(['rolled back', 'not reached']);
  // The stage's 1 s, not the default 5 minutes nor the 600 s progress deadline.
  expect(out[0].message).toMatch(/^rollout: timed out waiting for the condition/);
  const current = await imageIn(dev);
  expect(current).not.toBe('web:unready');

  const bad = options('web:1');
  bad.stages[1] = { ...bad.stages[1], timeoutMs: -5 };
  await expect(stagedRollout(bad)).rejects.toThrow(
    /^stages\[1\] \(production\)\.timeout: a duration such as 10m \(0: no limit\), got -5$/,
  );
  expect(await imageIn(dev)).toBe(current); // development was not deployed
}, 60_000);

test('upgrade-actions stages: the timeout from the file or --timeout, the summary printed and written with --output', async () => {
  writeFileSync(path.join(dir, 'web.yaml'), manifests.map((m) => JSON.stringify(m.object)).join('\n---\n'));
  const run = async (stagesYaml: string, extra: string[]) => {
    writeFileSync(path.join(dir, 'stages.yaml'), stagesYaml);
    return runCommand(
      'stages',
      ['--stages', 'stages.yaml', '-f', 'web.yaml', '--interval', '200ms', ...extra],
      {
        cwd: dir,
      },
    );
  };
  const before = await imageIn(dev);
  const file = (devTimeout: string, prodTimeout = '') =>
    `stages:\n  - {name: development, kubeconfig: ${dev.kubeconfigPath}, soak: 1s${devTimeout}}\n  - {name: production, kubeconfig: ${prod.kubeconfigPath}, soak: 0${prodTimeout}}\n`;
  // Refused before anything is deployed: a bad field in the file, a bad flag, an --output that cannot be.
  await expect(run(file(', timeout: 10 minutes'), ['--image', 'web=web:2'])).rejects.toThrow(
    /^--stages\[0\] \(development\)\.timeout: "10 minutes" is not a duration/,
  );
  await expect(run(file(''), ['--image', 'web=web:2', '--timeout', 'long'])).rejects.toThrow(
    /^--timeout: "long" is not a duration/,
  );
  writeFileSync(path.join(dir, 'a-file'), '');
  await expect(run(file(''), ['--image', 'web=web:2', '-o', 'a-file/summary.json'])).rejects.toThrow(
    /^--output: a-file\/summary.json is under .*a-file, which is a file/,
  );
  expect(await imageIn(dev)).toBe(before);

  // --timeout is the default of a stage that sets none: development times out in 1 s.
  const failed = await run(file(''), [
    '--image',
    'web=web:unready-too',
    '--timeout',
    '1s',
    '-o',
    'out/summary.json',
  ]);
  expect(failed.code).toBe(1);
  const written = JSON.parse(readFileSync(path.join(dir, 'out', 'summary.json'), 'utf8'));
  expect(written).toEqual(JSON.parse(failed.stdout));
  expect(written).toEqual([
    expect.objectContaining({
      name: 'development',
      result: 'rolled back',
      soakSeconds: 0,
      message: expect.stringMatching(/^rollout: timed out waiting for the condition/),
    }),
    { name: 'production', result: 'not reached', soakSeconds: 0, durationSeconds: 0 },
  ]);
  expect(failed.log).toContainEqual(
    expect.stringMatching(/^✗ development {2}rolled back {2}soak 0s {2}rollout: timed out/),
  );
  expect(failed.log).toContainEqual('· production   not reached');
  // The last word names the stage, why, and what was left.
  expect(failed.stderr).toMatch(
    /^error: stage development failed \(rollout: timed out waiting for the condition.*\); it was rolled back\n$/,
  );

  // A stage's own timeout wins over --timeout (0: no limit); a good release is promoted everywhere, soak time measured.
  const ok = await run(file(', timeout: 2m', ', timeout: 0'), [
    '--image',
    'web=web:2',
    '--timeout',
    '1ms',
    '-o',
    'out/summary.json',
  ]);
  expect(ok.code).toBe(0);
  expect(ok.stderr).toBe('');
  const summary = JSON.parse(readFileSync(path.join(dir, 'out', 'summary.json'), 'utf8'));
  expect(summary.map((s: { result: string }) => s.result)).toEqual(['promoted', 'promoted']);
  expect(summary[0].soakSeconds).toBeGreaterThan(0.5);
  expect(summary[0].release).toMatchObject({ version: 'v1', images: { 'docker.io/library/web': 'web:2' } });
  expect(ok.log).toContainEqual(expect.stringMatching(/^✓ development {2}promoted {2}soak \d+(\.\d+)?m?s$/));
  expect(await imageIn(prod)).toBe('web:2');
}, 90_000);
