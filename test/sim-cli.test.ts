import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { node24, repoRoot } from './harness/run-action';

// `upgrade-actions sim` as a user starts it: the dist bundle in its own process, real kubectl against it.
const cli = path.join(repoRoot, 'dist', 'cli', 'index.js');
const crds = path.join(repoRoot, 'test', 'fixtures', 'crds');

function kubectl(kubeconfig: string, ...args: string[]) {
  const r = spawnSync('kubectl', ['--kubeconfig', kubeconfig, ...args], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`kubectl ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

interface Started {
  child: ChildProcess;
  url: string;
  output: () => string;
  exited: Promise<number | null>;
}

function startSim(args: string[]): Promise<Started> {
  const child = spawn(node24, [cli, 'sim', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  // 'close', not 'exit': the output streams are drained by then.
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = /ready at (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m) resolve({ child, url: m[1], output: () => out, exited });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    void exited.then((code) => reject(new Error(`sim exited ${code} before it was ready:\n${out}`)));
  });
}

async function until<T>(what: string, f: () => T | undefined, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = f();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('upgrade-actions sim', () => {
  test('serves kubectl with the scenario given, serves the routers kinds, and cleans up on SIGTERM', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'sim-cli-'));
    const kc = path.join(dir, 'kubeconfig');
    const scenario = path.join(dir, 'scenario.yaml');
    writeFileSync(scenario, '# bad release\nghcr.io/acme/web:2.0.0:\n  ready: false\n');
    const sim = await startSim(['--kubeconfig', kc, '--scenario', scenario, '--speed', '20']);
    try {
      expect(kubectl(kc, 'config', 'view', '--minify', '-o', 'jsonpath={.clusters[0].cluster.server}')).toBe(
        sim.url,
      );
      expect(kubectl(kc, 'get', 'nodes', '-o', 'name').trim().split('\n')).toHaveLength(3);
      kubectl(kc, 'create', 'deployment', 'good', '--image=ghcr.io/acme/web:1.0.0');
      kubectl(kc, 'create', 'deployment', 'bad', '--image=ghcr.io/acme/web:2.0.0');
      const readiness = (app: string) =>
        kubectl(
          kc,
          'get',
          'pods',
          '-l',
          `app=${app}`,
          '-o',
          'jsonpath={.items[*].status.containerStatuses[0].ready}',
        );
      await until('the good pod to be Ready', () => (readiness('good') === 'true' ? true : undefined));
      // The scenario's image runs but never becomes Ready; the default image did.
      await until('the bad pod to run', () =>
        kubectl(kc, 'get', 'pods', '-l', 'app=bad', '-o', 'jsonpath={.items[*].status.phase}') === 'Running'
          ? true
          : undefined,
      );
      expect(readiness('bad')).toBe('false');

      // Gateway API and Istio kinds become servable once their CRDs are applied, as in a cluster.
      kubectl(kc, 'apply', '-f', crds);
      const route = path.join(dir, 'route.yaml');
      writeFileSync(
        route,
        [
          'apiVersion: gateway.networking.k8s.io/v1',
          'kind: HTTPRoute',
          'metadata: { name: web }',
          'spec:',
          '  rules:',
          '    - backendRefs: [{ name: web, port: 80, weight: 90 }, { name: web-canary, port: 80, weight: 10 }]',
          '---',
          'apiVersion: networking.istio.io/v1',
          'kind: VirtualService',
          'metadata: { name: web }',
          'spec: { hosts: [web], http: [{ route: [{ destination: { host: web, subset: v1 }, weight: 100 }] }] }',
        ].join('\n'),
      );
      await until('the CRDs to be served', () => {
        const r = spawnSync('kubectl', ['--kubeconfig', kc, 'apply', '-f', route], { encoding: 'utf8' });
        return r.status === 0 ? true : undefined;
      });
      expect(
        kubectl(kc, 'get', 'httproute', 'web', '-o', 'jsonpath={.spec.rules[0].backendRefs[1].weight}'),
      ).toBe('10');
      expect(kubectl(kc, 'get', 'vs', 'web', '-o', 'jsonpath={.spec.hosts[0]}')).toBe('web');
    } finally {
      sim.child.kill('SIGTERM');
    }
    expect(await sim.exited).toBe(0);
    expect(sim.output()).toContain('SIGTERM: stopping the simulator');
    expect(existsSync(kc)).toBe(false);
  });

  test('a bad scenario fails at start naming the file, line, image pattern and field, and writes nothing', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'sim-cli-'));
    const scenario = path.join(dir, 'scenario.yaml');
    writeFileSync(scenario, 'nginx:\n  ready: true\nweb:2.0:\n  startDelay: 5\n');
    const kc = path.join(dir, 'kubeconfig');
    const r = spawnSync(node24, [cli, 'sim', '--kubeconfig', kc, '--scenario', scenario], {
      encoding: 'utf8',
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(
      `--scenario: ${scenario}:4:3: scenario for image "web:2.0": unknown field "startDelay"`,
    );
    expect(r.stderr).not.toMatch(/^\s+at /m);
    expect(existsSync(kc)).toBe(false);
  });

  test.each([
    [['--speed', '0'], '--speed: "0" is not a number > 0'],
    [['--nodes', 'two'], '--nodes: "two" is not a whole number >= 0'],
    [['--namespace', 'Shop_1'], '--namespace: "Shop_1" is not a valid namespace name'],
    [[], '--kubeconfig: give the path to write'],
    [['--bogus'], 'error: unknown option --bogus'],
  ])('bad options %j are refused before anything starts', (extra, message) => {
    const dir = mkdtempSync(path.join(tmpdir(), 'sim-cli-'));
    const args =
      extra.length === 0 || extra[0] === '--bogus' ? extra : ['--kubeconfig', path.join(dir, 'kc'), ...extra];
    const r = spawnSync(node24, [cli, 'sim', ...args], { encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(message);
    expect(existsSync(path.join(dir, 'kc'))).toBe(false);
  });

  test('an existing kubeconfig is never overwritten', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'sim-cli-'));
    const kc = path.join(dir, 'config');
    writeFileSync(kc, 'apiVersion: v1\nkind: Config\n# the user’s real one\n');
    const r = spawnSync(node24, [cli, 'sim', '--kubeconfig', kc], { encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('already exists');
    expect(spawnSync('cat', [kc], { encoding: 'utf8' }).stdout).toContain('the user’s real one');
  });
});
