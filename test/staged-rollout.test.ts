import { KubeClient, loadClusterAccess, parseManifests } from '@upgrade-actions/kube';
import { startKubeSim, type KubeSim } from '@upgrade-actions/kube-sim';
import { parseStages, stagedRollout, type StagedRolloutOptions } from '@upgrade-actions/verify';
import { startTestApp, type TestApp } from './servers/test-app';

// The staged rollout (SEEDS.md §5 scenario 2) end to end on TWO simulated clusters, development and
// production, each with its own kubeconfig: a good release passes both gates; a release that fails the soak
// of the first stage is rolled back there and never reaches the second. Soak times are seconds here.

let dev: KubeSim;
let prod: KubeSim;
let app: TestApp;

const manifests = parseManifests(
  `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: default}
spec:
  replicas: 2
  progressDeadlineSeconds: 60
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: web, image: "web:placeholder"}]}
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: default}
spec: {selector: {app: web}, ports: [{port: 80, targetPort: 8080}]}
`,
  'web.yaml',
);
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
  logger: {
    debug: () => {},
    info: (m) => lines.push(m),
    warning: (m) => lines.push(m),
    error: (m) => lines.push(`error: ${m}`),
    group: (n, fn) => {
      lines.push(`## ${n}`);
      return fn();
    },
  },
});
const imageIn = async (sim: KubeSim) => {
  const c = new KubeClient(loadClusterAccess({ path: sim.kubeconfigPath }));
  try {
    const d = await c.get<{ spec: { template: { spec: { containers: { image: string }[] } } } }>(
      '/apis/apps/v1/namespaces/default/deployments/web',
    );
    return d.spec.template.spec.containers[0].image;
  } catch {
    return 'absent';
  } finally {
    c.close();
  }
};

beforeAll(async () => {
  app = await startTestApp();
  const scenario = {
    'web:1': { backend: app.url },
    'web:2': { backend: app.url },
    'web:crash': { crashAfterMs: 300, backend: app.url },
    'web:late-crash': { crashAfterMs: 20_000, backend: app.url },
  };
  dev = await startKubeSim({ speed: 50, controllers: { events: true, scenario } });
  prod = await startKubeSim({ speed: 50, controllers: { events: true, scenario } });
});
afterAll(async () => {
  await dev?.stop();
  await prod?.stop();
  await app?.stop();
});

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
  const out = await stagedRollout(options('web:crash'));
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
  const { copyFileSync, mkdtempSync, writeFileSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const path = await import('node:path');
  const { commands } = await import('../packages/cli/src/commands/index');
  const { memoryLogger } = await import('@upgrade-actions/common');
  const dir = mkdtempSync(path.join(tmpdir(), 'stages-cli-'));
  try {
    writeFileSync(
      path.join(dir, 'stages.yaml'),
      `stages:\n  - {name: development, kubeconfig: ${dev.kubeconfigPath}, soak: 1s}\n  - {name: production, kubeconfig: ${prod.kubeconfigPath}, soak: 0}\n`,
    );
    writeFileSync(path.join(dir, 'web.yaml'), manifests.map((m) => JSON.stringify(m.object)).join('\n---\n'));
    const cmd = await commands.find((c) => c.name === 'stages')!.load();
    let stdout = '';
    const run = (image: string) =>
      cmd.run({
        argv: [
          '--stages',
          'stages.yaml',
          '-f',
          'web.yaml',
          '--image',
          `web=${image}`,
          '--url',
          'web:80/healthy',
          '--interval',
          '300ms',
          '--failure-threshold',
          '2',
        ],
        logger: memoryLogger(),
        stdout: (t) => (stdout += t),
        stderr: () => {},
        cwd: dir,
        env: {},
      });
    expect(await run('web:2')).toBe(0);
    expect(JSON.parse(stdout).map((o: { result: string }) => o.result)).toEqual(['promoted', 'promoted']);
    expect(await imageIn(prod)).toBe('web:2');
    await expect(
      cmd.run({
        argv: ['--stages', 'nope.yaml', '-f', 'web.yaml'],
        logger: memoryLogger(),
        stdout: () => {},
        stderr: () => {},
        cwd: dir,
        env: {},
      }),
    ).rejects.toThrow(/^--stages: cannot read nope.yaml \(ENOENT\)/);
    // `~/` in a kubeconfig path is the home directory (no shell expands it in YAML); a missing one is
    // found before development is deployed.
    copyFileSync(dev.kubeconfigPath, path.join(dir, 'dev.yaml'));
    writeFileSync(
      path.join(dir, 'home-stages.yaml'),
      'stages:\n  - {name: development, kubeconfig: ~/dev.yaml, soak: 0}\n  - {name: production, kubeconfig: ~/prod.yaml, soak: 0}\n',
    );
    await expect(
      cmd.run({
        argv: ['--stages', 'home-stages.yaml', '-f', 'web.yaml', '--image', 'web=web:1'],
        logger: memoryLogger(),
        stdout: () => {},
        stderr: () => {},
        cwd: dir,
        env: { HOME: dir },
      }),
    ).rejects.toThrow(
      `stages[1] (production): kubeconfig: file ${path.join(dir, 'prod.yaml')} does not exist`,
    );
    expect(await imageIn(dev)).toBe('web:2');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, 60_000);
