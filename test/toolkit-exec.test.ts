import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { repoRoot, runScript, type ActionRun } from './harness/run-action';

// In an action, the programs engines run go through @actions/exec (the toolkit installs its runner in
// run()); everything callers of execFile rely on must behave as with node:child_process.

let dir: string;
let r: ActionRun;
const results = new Map<string, unknown>();

beforeAll(async () => {
  dir = realpathSync(mkdtempSync(path.join(tmpdir(), 'toolkit-exec-')));
  const main = path.join(dir, 'index.js');
  await build({
    entryPoints: [path.join(repoRoot, 'test/fixtures/toolkit-exec/main.ts')],
    outfile: main,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    tsconfig: path.join(repoRoot, 'tsconfig.json'),
    banner: {
      js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
    },
    logLevel: 'silent',
  });
  r = await runScript(main, { env: { FIXTURE_CWD: dir } });
  for (const line of r.stdout.split('\n'))
    if (line.startsWith('RESULT ')) {
      const { name, value } = JSON.parse(line.slice(7)) as { name: string; value: unknown };
      results.set(name, value);
    }
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

test('the step succeeds and every case ran', () => {
  expect(r.code).toBe(0);
  expect([...results.keys()]).toEqual([
    'stdin-bytes',
    'env',
    'cwd',
    'args',
    'ok-code',
    'failure',
    'early-exit',
    'timeout',
  ]);
});

test('each command line shows in the log as @actions/exec prints it', () => {
  expect(r.stdout).toMatch(/^\[command\]cat$/m);
  expect(r.stdout).toMatch(
    /^\[command\]\S*node -e console\.log\(JSON\.stringify\(process\.argv\.slice\(1\)\)\) \$\(id\) a b;c$/m,
  );
});

test('stdin bytes, env and cwd reach the program; output comes back as bytes', () => {
  expect(results.get('stdin-bytes')).toEqual([0x61, 0x00, 0xff, 0x62]);
  expect(results.get('env')).toBe('from env');
  expect(results.get('cwd')).toBe(dir);
});

test('arguments are data, never a shell', () => {
  expect(results.get('args')).toEqual(['$(id)', 'a b;c']);
});

test('output is captured, not echoed into the log (it may hold credentials)', () => {
  expect(results.get('ok-code')).toEqual({ code: 3, stdout: 'token-should-not-be-logged' });
  expect(r.stdout.split('\n').filter((l) => l === 'token-should-not-be-logged')).toEqual([]);
});

test('an exit code outside okCodes is an ExecError naming the program, the code and its stderr', () => {
  expect(results.get('failure')).toEqual({
    code: 2,
    message: expect.stringMatching(/node -e .* exited with code 2: it broke$/),
  });
});

test('a program that exits before reading its input does not crash the step', () => {
  expect(results.get('early-exit')).toBe(128);
});

test('a time limit still ends the program (code 128, as a signal)', () => {
  expect(results.get('timeout')).toBe(128);
});
