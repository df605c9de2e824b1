// Runs every benchmark under bench/<area>/run.mjs in turn (`npm run bench`), or the areas named:
// `npm run bench -- merge-check api-check`. Each benchmark prints its figures and updates bench/RESULTS.md.
import { existsSync, readdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const wanted = process.argv.slice(2);
const areas = readdirSync(here, { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(path.join(here, d.name, 'run.mjs')))
  .map((d) => d.name)
  .filter((n) => wanted.length === 0 || wanted.includes(n));
if (wanted.length && areas.length !== wanted.length) {
  console.error(
    `unknown benchmark; there are: ${readdirSync(here)
      .filter((n) => existsSync(path.join(here, n, 'run.mjs')))
      .join(', ')}`,
  );
  process.exit(1);
}
let failed = 0;
for (const area of areas) {
  console.log(`\n=== bench/${area}`);
  const r = spawnSync(process.execPath, [path.join(here, area, 'run.mjs')], { stdio: 'inherit' });
  if (r.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
