// Installs the locked dependencies when node_modules is missing or older than package-lock.json,
// so that `npm test` and `npm run demo` work on a fresh clone with nothing else typed.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const lock = path.join(root, 'package-lock.json');
const stamp = path.join(root, 'node_modules', '.upgrade-actions-deps');
const want = createHash('sha256').update(readFileSync(lock)).digest('hex');
const have = existsSync(stamp) ? readFileSync(stamp, 'utf8').trim() : '';
const node24 = path.join(root, 'node_modules', '.bin', 'node');

if (have !== want || !existsSync(node24)) {
  console.log(have ? 'package-lock.json changed: running npm ci' : 'node_modules missing: running npm ci');
  const r = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`npm ci failed with exit code ${r.status}`);
    process.exit(r.status ?? 1);
  }
  // npm 11 warns about install scripts but still runs them; check that the ones we rely on did.
  const v = spawnSync(node24, ['--version'], { encoding: 'utf8' });
  if (v.status !== 0 || !v.stdout.startsWith('v24.')) {
    console.error('node@24 from the npm registry did not install (node_modules/.bin/node --version failed)');
    process.exit(1);
  }
  writeFileSync(stamp, want + '\n');
}
