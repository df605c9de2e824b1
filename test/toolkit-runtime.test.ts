import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { parseAnnotations, parseFileCommands, repoRoot, runScript } from './harness/run-action';

/** Stack frames printed anywhere but in a `::debug::` line (which the runner hides unless debugging). */
function stackOutsideDebug(log: string): string[] {
  return log.split('\n').filter((l) => /^\s+at /.test(l));
}

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
      'Input \'mode\' must be one of ok, user-error, bug, post-fails, refused, enoent, forbidden, no-tool-cache, slow-cancel, got "sideways"\nInput \'count\' must be a whole number from 1 to 5, got "9"',
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

  test('an internal failure names itself as one and keeps its stack in the debug log only', async () => {
    const r = await runScript(main, { inputs: { mode: 'bug' } });
    expect(r.code).toBe(1);
    expect(r.failedMessage).toMatch(
      /^TypeError: cannot read properties of undefined \(an internal error: re-run with debug/,
    );
    expect(stackOutsideDebug(r.stdout)).toEqual([]);
    expect(r.stdout).toMatch(/::debug::TypeError: cannot read properties of undefined%0A\s+at /);
  });

  test.each([
    ['refused', /^fetch failed: connection refused to 127\.0\.0\.1:\d+\. Check that the server is running/],
    ['enoent', /^open '.*missing\/dir\/report\.xml': no such file or directory \(ENOENT\)\. Check the path/],
    ['forbidden', /^Error from server \(Forbidden\): jobs\.batch is forbidden\. Check the RBAC permissions/],
    [
      'no-tool-cache',
      /^the runner environment variable RUNNER_TOOL_CACHE is not set\. Run on a GitHub Actions runner/,
    ],
  ])(
    'an operational fault (%s) is one ::error:: line saying what failed and what to check, no stack',
    async (mode, line) => {
      const r = await runScript(main, { inputs: { mode }, env: { RUNNER_TOOL_CACHE: '' } });
      expect(r.code).toBe(1);
      expect(r.failedMessage).toMatch(line);
      expect(r.annotations.filter((a) => a.level === 'error')).toHaveLength(1);
      expect(stackOutsideDebug(r.stdout + r.stderr)).toEqual([]);
      expect(r.stdout).toMatch(/::debug::\w*Error/);
    },
  );

  test('cancelled: SIGINT then SIGTERM (as the runner sends them) is said once, and the cleanup runs to its end', async () => {
    const r = await runScript(main, {
      inputs: { mode: 'slow-cancel' },
      onSpawn: (child) => {
        let out = '';
        child.stdout?.on('data', (d: Buffer) => {
          out += d.toString();
          if (/working until cancelled/.test(out) && child.signalCode === null && !out.includes('::error')) {
            child.kill('SIGINT');
            setTimeout(() => child.kill('SIGTERM'), 150);
            out += '::error sent';
          }
        });
      },
    });
    expect(r.code).toBe(1);
    expect(r.annotations.filter((a) => a.level === 'error').map((a) => a.message)).toEqual([
      expect.stringMatching(/^cancelled \(SIGINT\) during "Working": the step stopped/),
    ]);
    expect(r.stdout).toContain('cleanup done');
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
