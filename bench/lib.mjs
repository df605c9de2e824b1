// Shared by the benchmarks: bundling a TypeScript bench module from source, and recording a section
// of bench/RESULTS.md between `<!-- name:start -->` and `<!-- name:end -->` markers.
import { build } from 'esbuild';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Bundles `entry` (relative to the repo root) into `outDir` with esbuild and imports it. */
export async function bundleAndImport(entry, outDir) {
  const out = path.join(outDir, path.basename(entry).replace(/\.ts$/, '') + '.bundle.mjs');
  await build({
    entryPoints: [path.join(root, entry)],
    outfile: out,
    bundle: true,
    platform: 'node',
    format: 'esm',
    tsconfig: path.join(root, 'tsconfig.json'),
    logLevel: 'warning',
    banner: {
      js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
    },
  });
  return import(pathToFileURL(out).href);
}

/** Replaces (or appends) the section `name` of bench/RESULTS.md with `body` (lines or text). */
export function recordResults(name, body) {
  const file = path.join(root, 'bench', 'RESULTS.md');
  const start = `<!-- ${name}:start -->`;
  const end = `<!-- ${name}:end -->`;
  const section = [start, ...(Array.isArray(body) ? body : [body]), end].join('\n');
  const md = existsSync(file) ? readFileSync(file, 'utf8') : '# Benchmark results\n';
  const at = md.indexOf(start);
  const stop = md.indexOf(end);
  const next =
    at >= 0 && stop > at
      ? md.slice(0, at) + section + md.slice(stop + end.length)
      : md.trimEnd() + '\n\n' + section + '\n';
  writeFileSync(file, next);
}
