import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { node24, repoRoot } from './harness/run-action';
import { startTestApp, type TestApp } from './servers/test-app';

// `upgrade-actions smoke` from the bundled CLI against a real HTTP server in this process.

const cli = path.join(repoRoot, 'dist', 'cli', 'index.js');
function run(...args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const p = spawn(node24, [cli, 'smoke', ...args], { stdio: ['ignore', 'pipe', 'pipe'], cwd: dir });
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
  dir = mkdtempSync(path.join(tmpdir(), 'smoke-cli-'));
});
afterAll(async () => {
  await app.stop();
  rmSync(dir, { recursive: true, force: true });
});

const write = (name: string, text: string) => {
  writeFileSync(path.join(dir, name), text);
  return name;
};

describe('upgrade-actions smoke', () => {
  test('a passing file prints the table, writes JUnit and exits 0', async () => {
    const file = write(
      'ok.yaml',
      'tests:\n  - {name: health, request: {path: /healthy}, expect: {json: [{path: $.status, equals: "${want}"}]}}\n',
    );
    const r = await run(file, '--base-url', app.url, '--var', 'want=ok', '--junit', 'out.xml');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(
      /^PHASE +STEP +RESULT +ATTEMPTS +LATENCY +ASSERTION +EXPECTED +ACTUAL\ntest +health +passed +1 +\d+\.\d\d ms/,
    );
    expect(r.stdout).toMatch(/\n1 passed, 0 failed\n$/);
    expect(readFileSync(path.join(dir, 'out.xml'), 'utf8')).toContain(
      '<testcase name="health" classname="smoke-test.test"',
    );
  });

  test('a failing test exits 1 and the JSON report shows expected and actual', async () => {
    const file = write(
      'bad.yaml',
      'tests:\n  - {name: orders, request: {path: /failing}, expect: {status: 200}}\n',
    );
    const r = await run(file, '--base-url', app.url, '--json');
    expect(r.status).toBe(1);
    expect(JSON.parse(r.stdout).steps[0].failures).toEqual([
      { assertion: 'status', expected: '200', actual: '500' },
    ]);
  });

  test('a file with a schema error is refused with its line before any request', async () => {
    const file = write(
      'broken.yaml',
      'tests:\n  - name: a\n    request: {path: /healthy}\n    expect: {statuss: 200}\n',
    );
    const r = await run(file, '--base-url', app.url);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe('error: broken.yaml:4:14: tests[0].expect: Unrecognized key: "statuss"\n');
  });

  test.each([
    [['missing.yaml'], 'error: cannot read missing.yaml (ENOENT)'],
    [['x.yaml', '--var', 'novalue'], 'error: --var: "novalue" is not NAME=VALUE'],
    [
      ['x.yaml', '--base-url', 'ftp://app'],
      'error: --base-url: "ftp://app" uses ftp; use http:// or https://',
    ],
    [
      ['x.yaml', '--base-url', 'app 80'],
      'error: --base-url: "app 80" is neither a URL (http://host/path) nor a service (name[.namespace]:port/path, e.g. web:8080/healthz)',
    ],
    [[], 'error: give one smoke test file'],
  ])('%j is refused with one clear line', async (args, message) => {
    const r = await run(...args);
    expect(r.status).toBe(1);
    expect(r.stderr.split('\n')[0]).toBe(message);
  });
});
