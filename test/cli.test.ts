import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { node24, repoRoot } from './harness/run-action';

const cli = path.join(repoRoot, 'dist', 'cli', 'index.js');
const run = (...args: string[]) => spawnSync(node24, [cli, ...args], { encoding: 'utf8' });

describe('the upgrade-actions command line', () => {
  test('--help lists every command and exits 0', () => {
    const r = run('--help');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^upgrade-actions — /);
    expect(r.stdout).toMatch(/^ {2}demo {2,}Run the pipeline demo/m);
  });

  test('no arguments prints the help and exits 1, as a usage error', () => {
    const r = run();
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('Usage: upgrade-actions <command> [options]');
  });

  test('--version prints the version from package.json', () => {
    const pkg = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { version: string };
    const r = run('--version');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(`upgrade-actions ${pkg.version}\n`);
  });

  test('an unknown command is a clear error naming the commands there are', () => {
    const r = run('deploy-everything');
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^error: unknown command "deploy-everything"; commands: .*demo/);
  });

  test('each command answers --help with its usage', () => {
    const r = run('demo', '--help');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^upgrade-actions demo/);
  });
});
