import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { commands } from '../packages/cli/src/commands/index';
import { runTracingLoads } from './harness/loaded-sources';
import { repoRoot } from './harness/run-action';

// Start-up pays only for what a step uses: the figures are in bench/startup; this checks the shape that
// gives them, from the source maps of the files each process actually loaded (no timing here).

/** What every action may load before its inputs are valid: the toolkit and what it stands on. */
const TOOLKIT = new Set([
  'packages/toolkit',
  'packages/common',
  // Image references are checked while inputs are parsed (an override `x; touch …` never reaches an engine);
  // the package stands on common alone.
  'packages/images',
  '@actions/core',
  '@actions/http-client',
  '@actions/io',
  '@actions/exec',
  'undici',
  'tunnel',
  'zod',
]);

/** Every action with a main entry (the root action.yml is verify). */
const actions = readdirSync(path.join(repoRoot, 'actions')).filter((n) =>
  existsSync(path.join(repoRoot, 'actions', n, 'main.ts')),
);

/** An input of the action that rejects "maybe" (a boolean, or api-check's fail-on choice). */
function badInput(name: string): string {
  const meta = path.join(repoRoot, name === 'verify' ? '.' : name, 'action.yml');
  const inputs = (parse(readFileSync(meta, 'utf8')) as { inputs: Record<string, { default?: unknown }> })
    .inputs;
  const found = Object.entries(inputs).find(
    ([k, i]) => ['true', 'false'].includes(String(i.default)) || k === 'fail-on',
  );
  if (!found) throw new Error(`${meta}: no boolean input`);
  return found[0];
}

function hasKubeconfigInput(name: string): boolean {
  const meta = path.join(repoRoot, name === 'verify' ? '.' : name, 'action.yml');
  return 'kubeconfig' in (parse(readFileSync(meta, 'utf8')) as { inputs: Record<string, unknown> }).inputs;
}

describe('an action that fails on its input loads no engine', () => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(path.join(tmpdir(), 'startup-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test.each(actions)('%s', (name) => {
    const env: Record<string, string> = { GITHUB_ACTIONS: 'true', GITHUB_WORKSPACE: dir };
    for (const f of ['GITHUB_OUTPUT', 'GITHUB_STATE', 'GITHUB_STEP_SUMMARY']) {
      env[f] = path.join(dir, `${name}-${f}`);
      writeFileSync(env[f], '');
    }
    const input = badInput(name);
    env[`INPUT_${input.toUpperCase()}`] = 'maybe';
    const r = runTracingLoads([path.join(repoRoot, 'dist', name, 'index.js')], env);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain(`::error::`);
    expect(r.stdout).toContain(`'${input}'`);
    // verify shares kind-cluster's tool inputs (actions/kind-cluster/inputs.ts);
    // promote shares canary's analysis and notification inputs (actions/canary/analysis-inputs.ts).
    const own =
      name === 'verify'
        ? ['actions/verify', 'actions/kind-cluster']
        : name === 'promote'
          ? ['actions/promote', 'actions/canary']
          : [`actions/${name}`];
    // No engine of ours, no client-node, no octokit: a kubeconfig input is masked whole while inputs are
    // parsed (packages/common) and per credential only after the kube engine is imported.
    const extra = [...r.sources].filter((s) => !TOOLKIT.has(s) && !own.includes(s));
    expect(extra).toEqual([]);
    if (hasKubeconfigInput(name)) expect(r.sources).not.toContain('@kubernetes/client-node');
  });
});

describe('the command line loads a command only when it runs', () => {
  const cli = path.join(repoRoot, 'dist', 'cli', 'index.js');

  test.each([['--version'], ['--help']])('%s loads nothing but the command list', (flag) => {
    const r = runTracingLoads([cli, flag]);
    expect(r.status).toBe(0);
    expect([...r.sources].sort()).toEqual(['packages/cli', 'packages/common']);
  });

  test('a command loads its own engine and not the others', () => {
    const r = runTracingLoads([cli, 'merge-check', '--help']);
    expect(r.status).toBe(0);
    expect(r.sources).toContain('packages/git');
    for (const other of ['packages/kube', 'packages/kube-sim', '@kubernetes/client-node', 'packages/deploy'])
      expect(r.sources).not.toContain(other);
  });

  test('the list --help prints matches each command module (name and summary)', async () => {
    for (const entry of commands) {
      const cmd = await entry.load();
      expect({ name: cmd.name, summary: cmd.summary }).toEqual({ name: entry.name, summary: entry.summary });
    }
  });
});
