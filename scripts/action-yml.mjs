// Writes <name>/action.yml from the action's one definition (actions/<name>/inputs.ts), so the public
// metadata never drifts from the schema (test/action-metadata.test.ts checks they agree).
//   node scripts/action-yml.mjs <name> "<display name>"
import { build } from 'esbuild';
import { mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { stringify } from 'yaml';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const [name, title] = process.argv.slice(2);
if (!name || !title) {
  console.error('usage: node scripts/action-yml.mjs <action> "<display name>"');
  process.exit(2);
}
const dir = mkdtempSync(path.join(tmpdir(), 'action-yml-'));
try {
  const out = path.join(dir, 'inputs.mjs');
  const entry = path.join(dir, 'entry.ts');
  writeFileSync(
    entry,
    `export * from ${JSON.stringify(path.join(root, 'actions', name, 'inputs.ts'))};\nexport { inputMeta } from '@upgrade-actions/toolkit';\n`,
  );
  await build({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: 'esm',
    outfile: out,
    tsconfig: path.join(root, 'tsconfig.json'),
    absWorkingDir: root,
    logLevel: 'warning',
    banner: {
      js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
    },
  });
  const mod = await import(pathToFileURL(out).href);
  const def = Object.values(mod).find((v) => v && typeof v === 'object' && 'inputs' in v && 'outputs' in v);
  const inputs = Object.fromEntries(
    Object.entries(def.inputs).map(([k, schema]) => {
      const m = mod.inputMeta(schema);
      return [
        k,
        {
          description: m.description,
          required: m.required ?? false,
          ...(m.default !== undefined ? { default: m.default } : {}),
        },
      ];
    }),
  );
  const outputs = Object.fromEntries(Object.entries(def.outputs).map(([k, d]) => [k, { description: d }]));
  const hasPost = existsSync(path.join(root, 'actions', name, 'post.ts'));
  const yml = {
    name: title,
    description: def.description,
    inputs,
    outputs,
    runs: {
      using: 'node24',
      main: `../dist/${name}/index.js`,
      ...(hasPost ? { post: `../dist/${name}/post.js` } : {}),
    },
  };
  const target = name === 'verify' ? path.join(root, 'action.yml') : path.join(root, name, 'action.yml');
  if (name === 'verify') yml.runs.main = 'dist/verify/index.js';
  const { mkdirSync } = await import('node:fs');
  mkdirSync(path.dirname(target), { recursive: true });
  writeFileSync(
    target,
    stringify(yml, { lineWidth: 0, defaultStringType: 'PLAIN', defaultKeyType: 'PLAIN' }),
  );
  console.log(`wrote ${path.relative(root, target)}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
