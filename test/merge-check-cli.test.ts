import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { tempDir } from './fixtures/git-repos';
import { buildScenario, scenarios } from './fixtures/git-scenarios';
import { node24, repoRoot } from './harness/run-action';

// `upgrade-actions merge-check` from the bundled CLI: the same engine as the action, at a terminal.

const cli = path.join(repoRoot, 'dist', 'cli', 'index.js');
const run = (cwd: string, ...args: string[]) =>
  spawnSync(node24, [cli, 'merge-check', ...args], { cwd, encoding: 'utf8' });

let tmp: ReturnType<typeof tempDir>;
beforeAll(() => (tmp = tempDir('merge-check-cli-')));
afterAll(() => tmp.cleanup());

describe('upgrade-actions merge-check', () => {
  test('a conflict prints a file / reason / line table and exits 3', () => {
    const repo = buildScenario(path.join(tmp.dir, 'a'), scenarios.content);
    const r = run(repo.dir, '--base', 'main', '--head', 'feature');
    expect(r.status).toBe(3);
    expect(r.stdout).toMatch(
      /^Merging feature \([0-9a-f]{7}\) into main \([0-9a-f]{7}\) conflicts in 1 file\.\n/,
    );
    expect(r.stdout).toContain('  FILE            REASON   LINE\n  app/config.txt  content  3\n');
    expect(r.stdout).toContain(`merge base   ${repo.sha('main~1')}`);
  });

  test('--no-fail exits 0, --json prints the result, -C picks the repository', () => {
    const repo = buildScenario(path.join(tmp.dir, 'b'), scenarios['rename/delete']);
    const r = run(tmp.dir, '-C', repo.dir, '--base', 'main', '--head', 'feature', '--json', '--no-fail');
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({
      conflicted: true,
      files: [{ path: 'renamed.txt', reason: 'rename/delete' }],
    });
  });

  test('a textually clean merge that breaks a manifest exits 2', () => {
    const repo = buildScenario(path.join(tmp.dir, 'm'), {
      initial: { 'package.json': '{"name": "app"}\n' },
      base: { 'b.txt': 'b\n' },
      head: { 'package.json': '{"name": "app",}\n' },
      expected: [],
    });
    const r = run(repo.dir, '--base', 'main', '--head', 'feature');
    expect(r.status).toBe(2);
    expect(r.stdout).toMatch(/is textually clean but breaks 1 manifest\.\n/);
  });

  test('an error exits 1, never a verdict code: a base that exists nowhere', () => {
    const repo = buildScenario(path.join(tmp.dir, 'e'), scenarios.content);
    const r = run(repo.dir, '--base', 'origin/nope', '--head', 'feature');
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^error: base: "origin\/nope" is not in this repository/m);
  });

  test('a clean merge exits 0', () => {
    const repo = buildScenario(path.join(tmp.dir, 'c'), {
      initial: { 'a.txt': 'a\n' },
      base: { 'b.txt': 'b\n' },
      head: { 'c.txt': 'c\n' },
      expected: [],
    });
    const r = run(repo.dir, '--base', 'main', '--head', 'feature');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/is clean\.\n/);
  });

  test.each([
    [[], /^error: --base is required/],
    [['--base', '-x'], /^error: Option '--base' argument is ambiguous/],
    [['--base=-x'], /^error: base: "-x" starts with "-"/],
    [
      ['--base', 'main', '--fetch-depth', 'ten'],
      /^error: --fetch-depth must be a whole number of at least 1, got "ten"/,
    ],
  ])('bad arguments %j are a one-line usage error', (args, message) => {
    const repo = buildScenario(
      path.join(tmp.dir, `d${args.length}${String(args[1]).length}`),
      scenarios.content,
    );
    const r = run(repo.dir, ...args);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(message);
  });
});
