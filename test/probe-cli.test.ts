import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { node24, repoRoot } from './harness/run-action';
import { startTestApp, type TestApp } from './servers/test-app';

// `upgrade-actions probe` from the bundled CLI: the same engine as the action, at a terminal.
// Spawned asynchronously: the test server lives in this process and must keep answering.

const cli = path.join(repoRoot, 'dist', 'cli', 'index.js');
function run(...args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const p = spawn(node24, [cli, 'probe', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => (stdout += d));
    p.stderr.on('data', (d) => (stderr += d));
    p.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

let app: TestApp;
let dir: string;
beforeAll(async () => {
  app = await startTestApp();
  dir = mkdtempSync(path.join(tmpdir(), 'probe-cli-'));
});
afterAll(async () => {
  await app.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('upgrade-actions probe', () => {
  test('a healthy URL prints a table and the verdict and exits 0', async () => {
    const r = await run(`${app.url}/healthy`);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^CHECK +LEVEL +TARGET +STATUS +LATENCY +FAILURES IN A ROW +DETAIL\n/);
    expect(r.stdout).toMatch(
      new RegExp(`${app.url}/healthy +service +${app.url}/healthy +healthy +\\d+\\.\\d\\d ms +0/1 +ok`),
    );
    expect(r.stdout).toMatch(/\nhealthy \(1 round\(s\), should-rollback false, consecutive-failures 0\)\n$/);
  });

  test('a failing URL exits 1 with the reason; --no-fail exits 0', async () => {
    const r = await run(`${app.url}/failing`);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain(`unhealthy: ${app.url}/failing failed once: status 500, expected 200`);
    expect((await run(`${app.url}/failing`, '--no-fail')).status).toBe(0);
  });

  test('watch mode with --json prints the report with every round counted', async () => {
    const r = await run(
      `${app.url}/flapping`,
      '--mode',
      'watch',
      '--duration',
      '400ms',
      '--interval',
      '100ms',
      '--failure-threshold',
      '3',
      '--json',
    );
    expect(r.status).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report).toMatchObject({
      status: 'healthy',
      mode: 'watch',
      rounds: 4,
      failureThreshold: 3,
      shouldRollback: false,
    });
    expect(report.checks[0].maxConsecutiveFailures).toBe(1);
  });

  test('a checks file gives per-check settings and header values stay out of the output', async () => {
    const file = path.join(dir, 'checks.yaml');
    writeFileSync(
      file,
      `- name: echo\n  url: ${app.url}/echo\n  headers: {X-Token: hunter2}\n  bodyMatch: '"x-token":"hunter2"'\n`,
    );
    const r = await run('--checks', file, '--json', '--verbose');
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).checks[0]).toMatchObject({ name: 'echo', passing: true });
    expect(r.stdout + r.stderr).not.toContain('hunter2');
  });

  test.each([
    [['not-a-target'], 'error: TARGET: "not-a-target" is neither a URL'],
    [['http://x', '--mode', 'sometimes'], 'error: --mode must be once or watch, got "sometimes"'],
    [
      ['http://x', '--failure-threshold', '0'],
      'error: --failure-threshold must be a whole number of at least 1, got "0"',
    ],
    [['http://x', '--interval', 'often'], 'error: --interval: "often" is not a duration'],
    [['--checks', '/nonexistent.yaml'], 'error: --checks: cannot read /nonexistent.yaml (ENOENT)'],
    [
      ['web:80/healthz', '--kubeconfig', '/nonexistent'],
      'error: --kubeconfig: file /nonexistent does not exist',
    ],
  ])('%j is refused with one clear line', async (args, message) => {
    const r = await run(...args);
    expect(r.status).toBe(1);
    expect(r.stderr.split('\n')[0]).toContain(message);
  });
});

describe('one default, everywhere', () => {
  test("--duration and --interval default as the action's duration and interval do, and the docs say so", async () => {
    const { readFileSync } = await import('node:fs');
    const { parse } = await import('yaml');
    const pathMod = await import('node:path');
    const { repoRoot } = await import('./harness/run-action');
    const yml = parse(readFileSync(pathMod.join(repoRoot, 'health-probe', 'action.yml'), 'utf8')) as {
      inputs: Record<string, { default?: string }>;
    };
    const { main } = await import('../packages/cli/src/main');
    let help = '';
    const write = process.stdout.write.bind(process.stdout);
    process.stdout.write = ((t: string) => ((help += t), true)) as typeof process.stdout.write;
    try {
      await main(['probe', '--help']);
    } finally {
      process.stdout.write = write;
    }
    const docs = readFileSync(pathMod.join(repoRoot, 'docs', 'health-probe.md'), 'utf8');
    for (const name of ['duration', 'interval']) {
      const value = yml.inputs[name].default!;
      expect(help).toMatch(new RegExp(`--${name} DURATION .*\\(default: ${value}\\)`));
      expect(docs).toMatch(new RegExp(`\\| \`${name}\` +\\| \`${value}\``));
    }
  });
});
