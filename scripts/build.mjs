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

const entries = [];
for (const name of readdirSync(path.join(root, 'actions')).sort()) {
  const dir = path.join(root, 'actions', name);
  if (existsSync(path.join(dir, 'main.ts')))
    entries.push({ in: path.join(dir, 'main.ts'), out: path.join(outRoot, name, 'index.js') });
  if (existsSync(path.join(dir, 'post.ts')))
    entries.push({ in: path.join(dir, 'post.ts'), out: path.join(outRoot, name, 'post.js') });
}
entries.push({
  in: path.join(root, 'packages/cli/src/main.ts'),
  out: path.join(outRoot, 'cli', 'index.js'),
  cli: true,
});

// No wholesale delete: several builds and test runs may share a checkout. Bundles are overwritten in
// place and folders of entries that no longer exist are removed afterwards.
const wanted = new Set(entries.map((e) => path.dirname(e.out)));
await Promise.all(
  entries.map((e) =>
    build({
      ...common,
      entryPoints: [e.in],
      outfile: e.out,
      banner: e.cli ? { js: '#!/usr/bin/env node\n' + banner.js } : banner,
    }),
  ),
);

if (existsSync(outRoot)) {
  for (const d of readdirSync(outRoot)) {
    if (!wanted.has(path.join(outRoot, d))) rmSync(path.join(outRoot, d), { recursive: true, force: true });
  }
}

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
