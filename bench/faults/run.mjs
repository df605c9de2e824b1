// Faults benchmark: deploy and a canary on the simulator with 10% of API requests answered 503, side by
// side with the same work on a clean API server, interleaved run by run (fresh simulator each, clock ×10).
//
//   node bench/faults/run.mjs [runs, default 5]
//
// The engines and simulator are bundled from source with esbuild first. Results go to bench/RESULTS.md
// (section faults).
import { bundleAndImport, recordResults } from '../lib.mjs';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';

const runs = Number(process.argv[2] ?? 5);
const tmp = mkdtempSync(path.join(tmpdir(), 'bench-faults-'));
try {
  const { benchFault } = await bundleAndImport('bench/faults/bench.ts', tmp);
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const all = { deploy: { clean: [], '10% 5xx': [] }, canary: { clean: [], '10% 5xx': [] } };
  for (let i = 0; i < runs; i++) {
    for (const work of ['deploy', 'canary']) {
      // Clean and faulty alternate, so a busy machine weighs on both alike.
      for (const fault of ['clean', '10% 5xx']) {
        const f = await benchFault(work, fault, i + 1);
        all[work][fault].push(f);
        console.error(
          `${work}, ${fault}, run ${i + 1}: ${(f.ms / 1000).toFixed(2)} s, ${f.requests} requests${f.injected ? ` (${f.injected} answered 503)` : ''}${f.ok ? '' : `, FAILED: ${f.error}`}`,
        );
      }
    }
  }
  const pad = (s, n) => String(s).padEnd(n);
  const s = (ms) => `${(ms / 1000).toFixed(2)} s`;
  const lines = [
    `  ${pad('work', 8)}${pad('API server', 12)}${pad('time', 10)}${pad('requests', 10)}${pad('503s', 7)}${pad('extra time', 16)}${pad('extra requests', 16)}completed`,
  ];
  for (const work of ['deploy', 'canary']) {
    const clean = all[work].clean;
    for (const fault of ['clean', '10% 5xx']) {
      const xs = all[work][fault];
      const ok = xs.filter((f) => f.ok);
      const ms = median(ok.map((f) => f.ms));
      const req = median(ok.map((f) => f.requests));
      const base = { ms: median(clean.map((f) => f.ms)), req: median(clean.map((f) => f.requests)) };
      const extra =
        fault === 'clean'
          ? ['', '']
          : [
              `+${s(ms - base.ms)} (${Math.round(((ms - base.ms) / base.ms) * 100)}%)`,
              `+${req - base.req} (${Math.round(((req - base.req) / base.req) * 100)}%)`,
            ];
      lines.push(
        `  ${pad(work, 8)}${pad(fault, 12)}${pad(ok.length ? s(ms) : '-', 10)}${pad(ok.length ? req : '-', 10)}${pad(median(xs.map((f) => f.injected)), 7)}${pad(extra[0], 16)}${pad(extra[1], 16)}${ok.length}/${xs.length}`,
      );
    }
  }
  const failures = Object.values(all)
    .flatMap((w) => w['10% 5xx'])
    .filter((f) => !f.ok)
    .map((f) => `  ${f.work}: ${f.error}`);
  console.log(lines.join('\n'));
  if (failures.length) console.log(`\nRuns that failed under the fault:\n${failures.join('\n')}`);

  recordResults('faults', [
    '## faults: what 10% of API requests failing with 503 costs',
    '',
    `Command: \`node bench/faults/run.mjs ${runs}\` (Node ${process.version}, ${cpus().length} CPUs, load average ${loadavg()[0].toFixed(1)} at the end, ${new Date().toISOString().slice(0, 10)}). Median of ${runs} run(s) of each; clean and faulty runs interleaved, each on a fresh simulator (clock ×10, 3 replicas). deploy: server-side apply of a Deployment and its rollout followed. canary: replicas router, steps 25/50/100, 0.5 s per step, analysis through the service proxy every 0.2 s.`,
    '',
    '```',
    ...lines,
    ...(failures.length ? ['', 'Runs that failed under the fault:', ...failures] : []),
    '```',
    '',
    'Time and requests are medians of the runs that completed; "503s" is how many requests the simulator answered with the injected fault. Extra requests are the client’s retries (GET, watches, server-side apply and merge patches are repeated after backoff, honouring Retry-After; POST and DELETE are not) and watches resumed; extra time is mostly the backoff (250 ms doubling). A run fails only on a 503 to a request that must not be repeated, and then cleanly: a re-run converges (test/hardening/api-faults.test.ts).',
  ]);
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
