// Start-up cost of every committed bundle against the two floors it is judged by, side by side:
//   - each dist/<action>/index.js, to its first input error, against a bundle of @actions/core alone
//     that fails the same way (the floor every action on the toolkit pays);
//   - `upgrade-actions --version` and `--help` against `node -e 0`.
// Usage: node bench/startup/run.mjs [rounds]   (default 21). Whole processes, interleaved round by
// round so machine load hits every arm alike; medians. Run `npm run build` first (npm run bench does).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { parse } from 'yaml';
import { recordResults, root } from '../lib.mjs';

const rounds = Number(process.argv[2] ?? 21);
if (!Number.isInteger(rounds) || rounds < 1) {
  console.error(`rounds must be a positive whole number, got "${process.argv[2]}"`);
  process.exit(1);
}
const node = path.join(root, 'node_modules', '.bin', 'node');
const tmp = mkdtempSync(path.join(tmpdir(), 'bench-startup-'));

// The floor: @actions/core alone, bundled as our actions are (esm, minified), failing on a required input.
const floorSrc = path.join(tmp, 'core-only.mjs');
writeFileSync(
  floorSrc,
  "import * as core from '@actions/core';\n" +
    "try { core.getInput('manifests', { required: true }); } catch (e) { core.setFailed(e.message); }\n",
);
const floor = path.join(tmp, 'core-only', 'index.js');
await build({
  entryPoints: [floorSrc],
  outfile: floor,
  bundle: true,
  minify: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  nodePaths: [path.join(root, 'node_modules')],
  banner: {
    js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
  },
  logLevel: 'warning',
});

/** Every action, given a value its first boolean input (api-check: its fail-on choice) rejects → an input error. */
function actionArms() {
  const arms = [];
  for (const [name, meta] of [
    ...readdirSync(path.join(root, 'actions'))
      .filter((n) => n !== 'verify' && existsSync(path.join(root, 'actions', n, 'main.ts')))
      .map((n) => [n, path.join(root, n, 'action.yml')]),
    ['verify', path.join(root, 'action.yml')],
  ]) {
    const inputs = parse(readFileSync(meta, 'utf8')).inputs ?? {};
    const bool = Object.entries(inputs).find(
      ([k, i]) => ['true', 'false'].includes(String(i.default)) || k === 'fail-on',
    );
    if (!bool) throw new Error(`${meta}: no boolean (or fail-on) input to give a bad value`);
    const env = { [`INPUT_${bool[0].replace(/ /g, '_').toUpperCase()}`]: 'maybe' };
    arms.push({ name, file: path.join(root, 'dist', name, 'index.js'), env, input: bool[0] });
  }
  return arms;
}

const runnerEnv = () => {
  const d = mkdtempSync(path.join(tmp, 'step-'));
  const env = { PATH: process.env.PATH ?? '', HOME: tmp, GITHUB_ACTIONS: 'true', GITHUB_WORKSPACE: d };
  for (const f of ['GITHUB_OUTPUT', 'GITHUB_STATE', 'GITHUB_STEP_SUMMARY', 'GITHUB_ENV', 'GITHUB_PATH']) {
    env[f] = path.join(d, f.toLowerCase());
    writeFileSync(env[f], '');
  }
  return { env, cwd: d };
};

const arms = [
  { name: 'node -e 0', args: ['-e', '0'], group: 'cli' },
  {
    name: 'upgrade-actions --version',
    args: [path.join(root, 'dist/cli/index.js'), '--version'],
    group: 'cli',
  },
  { name: 'upgrade-actions --help', args: [path.join(root, 'dist/cli/index.js'), '--help'], group: 'cli' },
  { name: '@actions/core alone', args: [floor], group: 'action', step: true },
  ...actionArms().map((a) => ({
    name: a.name,
    args: [a.file],
    env: a.env,
    input: a.input,
    group: 'action',
    step: true,
  })),
];
for (const a of arms) {
  if (a.args[0] !== '-e' && !existsSync(a.args[0]))
    throw new Error(`${a.args[0]} is missing: run npm run build`);
  a.times = [];
}

function once(arm) {
  const { env, cwd } = arm.step ? runnerEnv() : { env: process.env, cwd: root };
  const t0 = process.hrtime.bigint();
  const r = spawnSync(node, arm.args, { env: { ...env, ...arm.env }, cwd, encoding: 'utf8' });
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  if (arm.step && !(r.status === 1 && /::error::/.test(r.stdout)))
    throw new Error(`${arm.name}: expected an input error (exit 1), got ${r.status}: ${r.stdout}${r.stderr}`);
  if (!arm.step && r.status !== 0) throw new Error(`${arm.name}: exit ${r.status}: ${r.stderr}`);
  arm.firstError ??= arm.step ? r.stdout.split('\n').find((l) => l.startsWith('::error::')) : undefined;
  return s;
}

for (const a of arms) once(a); // warm the file cache
for (let i = 0; i < rounds; i++) for (const a of arms) a.times.push(once(a));
rmSync(tmp, { recursive: true, force: true });

const median = (xs) => {
  const s = [...xs].sort((x, y) => x - y);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
for (const a of arms) a.median = median(a.times);
const nodeFloor = arms.find((a) => a.name === 'node -e 0').median;
const coreFloor = arms.find((a) => a.name === '@actions/core alone').median;
const rows = arms.map((a) => {
  const base = a.group === 'cli' ? nodeFloor : coreFloor;
  return `  ${a.name.padEnd(27)} ${a.median.toFixed(3)} s   ${(a.median / base).toFixed(2)}× ${a.group === 'cli' ? 'node -e 0' : 'core alone'}`;
});
const table = [
  `Start-up to the first input error (actions) or exit (CLI); medians of ${rounds} interleaved rounds:`,
  ...rows,
];
console.log(table.join('\n'));

recordResults('startup', [
  '## startup: loading code a step does not use',
  '',
  `Command: \`node bench/startup/run.mjs ${rounds}\` (Node ${spawnSync(node, ['--version'], { encoding: 'utf8' }).stdout.trim()}, ${cpus().length} CPUs, load average ${loadavg()[0].toFixed(1)} at the end, ${new Date().toISOString().slice(0, 10)}). Whole processes, interleaved, medians.`,
  '',
  '```',
  ...table,
  '```',
  '',
  'Targets: every action within 1.15× a bundle of `@actions/core` alone (built here as our bundles are, failing on a missing required input); `--version` and `--help` within 2× `node -e 0`. Each action gets `maybe` for its first boolean input or `fail-on` choice (' +
    arms
      .filter((a) => a.input)
      .map((a) => `${a.name}: \`${a.input}\``)
      .join(', ') +
    '), so it stops at input validation, before any engine loads. Engines, client-node, octokit and yaml sit in chunks beside each entry (dist/<name>/chunk-*.js) and load at first use.',
]);
