import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { repoRoot, runScript } from './harness/run-action';

// Bundles are minified; with step debug logging on (RUNNER_DEBUG=1, where the stack is meant to be read)
// a stack from lazily loaded engine code points into the TypeScript sources through the linked maps.

let dir: string;
let main: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'toolkit-maps-'));
  main = path.join(dir, 'index.js');
  // Built as scripts/build.mjs builds dist: split, minified, linked maps without sources.
  await build({
    entryPoints: [{ in: path.join(repoRoot, 'test/fixtures/toolkit-engine-bug/main.ts'), out: 'index' }],
    outdir: dir,
    bundle: true,
    splitting: true,
    chunkNames: 'chunk-[hash]',
    minify: true,
    sourcemap: 'linked',
    sourcesContent: false,
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

test('with step debug logging, the stack of an engine bug points into its source file', async () => {
  const r = await runScript(main, { env: { RUNNER_DEBUG: '1' } });
  expect(r.code).toBe(1);
  expect(r.stdout).toMatch(/at \w+ \(.*test\/fixtures\/toolkit-engine-bug\/engine\.ts:3:\d+\)/);
});

test('without it, no source map is read: the stack names the minified chunk', async () => {
  const r = await runScript(main);
  expect(r.code).toBe(1);
  expect(r.stdout).toContain('engine bug on purpose');
  expect(r.stdout).not.toContain('engine.ts');
  expect(r.stdout).toMatch(/chunk-[A-Z0-9]+\.js:\d+:\d+/);
});
