// Bundles every entry point with esbuild:
//   actions/<name>/main.ts → dist/<name>/index.js  (post.ts → dist/<name>/post.js)
//   packages/cli/src/main.ts → dist/cli/index.js   (the `upgrade-actions` bin)
//   packages/<lib> marked "upgradeActions": {"library": true} → packages/<lib>/lib/index.{js,cjs}
// Output is deterministic, so CI can rebuild and fail on any difference from the committed dist/.
import { build } from 'esbuild';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outRoot = process.argv[2] ? path.resolve(process.argv[2]) : path.join(root, 'dist');

// Bundled CommonJS dependencies call require() on Node built-ins; ESM output needs one.
const banner = {
  js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
};

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  banner,
  sourcemap: false,
  logLevel: 'warning',
  tsconfig: path.join(root, 'tsconfig.json'),
  absWorkingDir: root,
};

// Each folder of dist/ is one build: its entries (index.js, post.js) and the chunks they share, side by
// side, so an action folder is complete on its own. Splitting turns every dynamic import() into a chunk
// that loads when first used: a step that fails on its first input never loads an engine, client-node,
// octokit or yaml. Minified for start-up; linked source maps (paths only, no sources) keep stacks
// readable under ::debug::.
const bundles = new Map();
const add = (name, entry, out) => {
  if (!bundles.has(name)) bundles.set(name, []);
  bundles.get(name).push({ in: entry, out });
};
for (const name of readdirSync(path.join(root, 'actions')).sort()) {
  const dir = path.join(root, 'actions', name);
  if (existsSync(path.join(dir, 'main.ts'))) add(name, path.join(dir, 'main.ts'), 'index');
  if (existsSync(path.join(dir, 'post.ts'))) add(name, path.join(dir, 'post.ts'), 'post');
}
add('cli', path.join(root, 'packages/cli/src/main.ts'), 'index');

// No wholesale delete: several builds and test runs may share a checkout. Files are overwritten in
// place (the build is deterministic), then files and folders no build wrote any more are removed.
const written = new Set();
await Promise.all(
  [...bundles].map(async ([name, entryPoints]) => {
    const outdir = path.join(outRoot, name);
    const result = await build({
      ...common,
      entryPoints,
      outdir,
      splitting: true,
      chunkNames: 'chunk-[hash]',
      minify: true,
      sourcemap: 'linked',
      sourcesContent: false,
      metafile: true,
    });
    for (const f of Object.keys(result.metafile.outputs)) written.add(path.resolve(root, f));
  }),
);

if (existsSync(outRoot)) {
  for (const d of readdirSync(outRoot)) {
    const dir = path.join(outRoot, d);
    if (!bundles.has(d)) {
      rmSync(dir, { recursive: true, force: true });
      continue;
    }
    for (const f of readdirSync(dir))
      if (!written.has(path.join(dir, f))) rmSync(path.join(dir, f), { force: true });
  }
}
const entries = [...bundles.values()].flat();

// Libraries importable by package name after `npm run build` (ESM and CommonJS).
for (const name of readdirSync(path.join(root, 'packages')).sort()) {
  const pkgFile = path.join(root, 'packages', name, 'package.json');
  if (!existsSync(pkgFile)) continue;
  const pkg = JSON.parse(readFileSync(pkgFile, 'utf8'));
  if (!pkg.upgradeActions?.library) continue;
  const src = path.join(root, 'packages', name, 'src', 'index.ts');
  const lib = path.join(root, 'packages', name, 'lib');
  rmSync(lib, { recursive: true, force: true });
  await build({ ...common, entryPoints: [src], outfile: path.join(lib, 'index.js') });
  await build({
    ...common,
    format: 'cjs',
    banner: undefined,
    entryPoints: [src],
    outfile: path.join(lib, 'index.cjs'),
  });
}
console.log(`built ${entries.length} bundles into ${path.relative(root, outRoot) || '.'}`);
