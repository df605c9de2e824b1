// Demo benchmark: the wall time of the whole `upgrade-actions demo` (the README's main command after
// install), and of each stage, read from when each stage's header line appears on stdout.
//
//   node bench/demo/run.mjs [runs, default 3]
//
// Runs the built CLI (dist/cli/index.js; `npm run bench` builds it first). Results go to bench/RESULTS.md
// (section demo). The goal: the whole loop in under a minute.
import { spawn } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import path from 'node:path';
import { recordResults, root } from '../lib.mjs';

const runs = Number(process.argv[2] ?? 3);
const cli = path.join(root, 'dist', 'cli', 'index.js');

/** One demo run: total wall time, each stage's time and verdict line, the exit code. */
function runDemo() {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [cli, 'demo'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const stages = [];
    let buffered = '';
    let stderr = '';
    const mark = () => {
      const now = performance.now();
      if (stages.length) stages.at(-1).ms = now - stages.at(-1).at;
      return now;
    };
    child.stdout.on('data', (d) => {
      buffered += d.toString('utf8');
      let nl;
      while ((nl = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 1);
        const header = /^── \d+\. (\S+)/.exec(line);
        if (header) stages.push({ name: header[1], at: mark(), ms: 0, verdict: '' });
        else if (/^\s*[✓✗]/.test(line) && stages.length) stages.at(-1).verdict = line.trim();
        else if (/^demo: /.test(line)) mark();
      }
    });
    child.stderr.on('data', (d) => (stderr += d.toString('utf8')));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, ms: performance.now() - started, stages, stderr }));
  });
}

const results = [];
for (let i = 0; i < runs; i++) {
  const r = await runDemo();
  results.push(r);
  console.error(
    `run ${i + 1}: ${(r.ms / 1000).toFixed(1)} s, exit ${r.code} — ` +
      r.stages.map((s) => `${s.name} ${(s.ms / 1000).toFixed(1)} s`).join(', '),
  );
  if (r.code !== 0) console.error(r.stderr.slice(-2000));
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const s = (ms) => `${(ms / 1000).toFixed(2)} s`;
const names = results[0].stages.map((st) => st.name);
const lines = [
  '## demo: the whole loop, `upgrade-actions demo`',
  '',
  `\`node bench/demo/run.mjs ${runs}\` on ${cpus().length} CPUs (load average ${loadavg()[0].toFixed(1)} at the end): ` +
    `the built CLI run ${runs} time(s), each stage timed from its header line to the next.`,
  '',
  '| stage | median | max |',
  '| --- | --- | --- |',
  ...names.map((n) => {
    const xs = results.map((r) => r.stages.find((st) => st.name === n)?.ms ?? 0);
    return `| ${n} | ${s(median(xs))} | ${s(Math.max(...xs))} |`;
  }),
  `| **whole demo** (process start to exit) | **${s(median(results.map((r) => r.ms)))}** | ${s(Math.max(...results.map((r) => r.ms)))} |`,
  '',
  `Every run exited ${[...new Set(results.map((r) => r.code))].join(', ')} ` +
    `(0: every stage behaved as expected). The goal is under a minute after install.`,
];
recordResults('demo', lines);
console.log(lines.join('\n'));
process.exit(results.every((r) => r.code === 0) ? 0 : 1);
