import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { parseAnnotations, parseFileCommands, repoRoot, runScript } from './harness/run-action';

let dir: string;
let main: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'toolkit-fixture-'));
  main = path.join(dir, 'index.js');
  await build({
    entryPoints: [path.join(repoRoot, 'test/fixtures/toolkit-action/main.ts')],
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
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('an action built on the toolkit, run as the runner runs it', () => {
  test('writes typed outputs (objects as JSON, multi-line strings intact), annotations and the job summary', async () => {
    const r = await runScript(main, { inputs: { count: '3' } });
    expect(r.code).toBe(0);
    expect(r.outputs).toEqual({ greeting: 'hello\nworld', data: '{"count":3,"list":[1,2]}' });
    expect(r.annotations).toContainEqual({
      level: 'error',
      message: 'Merge conflict detected',
      properties: { title: 'conflict', file: 'dir/a, b:c.txt', line: '3' },
    });
    expect(r.groups).toEqual(['Working']);
    expect(r.summary).toContain('<h2>Fixture</h2>');
    expect(r.summary).toContain('&lt;a&gt;.txt');
  });

  test('masks secret inputs before anything is logged', async () => {
    const r = await runScript(main, { inputs: { token: 'tok-12345' } });
    expect(r.stdout).toContain('::add-mask::tok-12345');
    expect(r.stdout.indexOf('::add-mask::')).toBeLessThan(r.stdout.indexOf('token is'));
  });

  test('a bad input fails before any side effect with one line naming the input and what it accepts', async () => {
    const r = await runScript(main, { inputs: { count: '9', mode: 'sideways' } });
    expect(r.code).toBe(1);
    expect(r.failedMessage).toBe(
      'Input \'mode\' must be one of ok, user-error, bug, post-fails, got "sideways"\nInput \'count\' must be a whole number from 1 to 5, got "9"',
    );
    expect(r.groups).toEqual([]);
    expect(r.outputs).toEqual({});
  });

  test('a user error is reported as one line without a stack trace', async () => {
    const r = await runScript(main, { inputs: { mode: 'user-error' } });
    expect(r.code).toBe(1);
    expect(r.failedMessage).toBe("Input 'thing' must be one of a, b");
    expect(r.stdout).not.toMatch(/at .*main\.ts|index\.js:\d+/);
  });

  test('an internal failure keeps its stack in the log, to tell bugs from mistakes', async () => {
    const r = await runScript(main, { inputs: { mode: 'bug' } });
    expect(r.code).toBe(1);
    expect(r.failedMessage).toBe('cannot read properties of undefined');
    expect(r.stdout).toMatch(/TypeError: cannot read properties of undefined\n\s+at /);
  });

  test('the post phase is recognised from saved state and runs the cleanup', async () => {
    const first = await runScript(main);
    expect(first.state).toEqual({ isPost: 'true' });
    const post = await runScript(main, { state: first.state });
    expect(post.code).toBe(0);
    expect(post.stdout).toContain('post ran');
    expect(post.outputs).toEqual({});
  });

  test('a failing cleanup is a warning and does not fail the job', async () => {
    const post = await runScript(main, { inputs: { mode: 'post-fails' }, state: { isPost: 'true' } });
    expect(post.code).toBe(0);
    expect(post.annotations).toContainEqual({
      level: 'warning',
      message: 'cleanup failed: cluster already gone',
      properties: {},
    });
  });
});

describe('the harness parsers', () => {
  test('GITHUB_OUTPUT heredoc and key=value forms are both read', () => {
    expect(parseFileCommands('a<<EOF_1\nx\ny\nEOF_1\nb=2\n')).toEqual({ a: 'x\ny', b: '2' });
  });

  test('annotation properties and data are unescaped as the runner encodes them', () => {
    expect(parseAnnotations('::warning file=a%2Cb%3A.txt,line=2::50%25 done%0Anext\n')).toEqual([
      { level: 'warning', message: '50% done\nnext', properties: { file: 'a,b:.txt', line: '2' } },
    ]);
  });
});
