// Promote benchmark, on the simulator in real time with real local HTTP backends: the time from a failed
// watch check to the Service's selector back on blue (as an independent watch sees it), and the requests
// a promotion sends to the API server.
//
//   node bench/promote/run.mjs [runs, default 3]
//
// Results go to bench/RESULTS.md (section promote).
import { bundleAndImport, recordResults } from '../lib.mjs';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';

const runs = Number(process.argv[2] ?? 3);
const tmp = mkdtempSync(path.join(tmpdir(), 'bench-promote-'));
try {
  const { benchPromote } = await bundleAndImport('bench/promote/bench.ts', tmp);
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const timing = { replicas: 3, validationMs: 5000, watchMs: 5000, intervalMs: 1000, threshold: 2 };
  const failed = [];
  for (let i = 0; i < runs; i++) {
    failed.push(await benchPromote({ ...timing, failInWatch: true }));
    console.error(`switch back, run ${i + 1}: ${JSON.stringify(failed.at(-1))}`);
  }
  const good = await benchPromote({ ...timing, failInWatch: false });
  console.error(`good promotion: ${JSON.stringify(good)}`);
  const ms = (xs) => `${median(xs)} ms (min ${Math.min(...xs)}, max ${Math.max(...xs)})`;
  const lines = [
    `Switch back to blue (failure-threshold ${timing.threshold}, analysis-interval ${timing.intervalMs / 1000}s, ${runs} runs, median):`,
    `  failed round → selector back on blue, as a watch sees it   ${ms(failed.map((f) => f.checkToBlueMs))}`,
    `  failed round → selector PATCH acknowledged (engine)        ${ms(failed.map((f) => f.engineMs))}`,
    `  backend starts failing → blue, detection included          ${ms(failed.map((f) => f.failureToBlueMs))}`,
    `  phases: ${failed.map((f) => f.phase).join(', ')}`,
    '',
    `Requests to the API server for one good promotion (${timing.replicas} replicas, validation ${timing.validationMs / 1000}s, watch ${timing.watchMs / 1000}s, every ${timing.intervalMs / 1000}s): ${good.total} (phase ${good.phase})`,
    ...Object.entries(good.requests)
      .sort((a, b) => b[1] - a[1])
      .map(([k, n]) => `  ${k.padEnd(28)}${n}`),
  ];
  console.log(lines.join('\n'));
  recordResults('promote', [
    '## promote: switch back to blue, requests per promotion',
    '',
    `Command: \`node bench/promote/run.mjs ${runs}\` (Node ${process.version}, ${cpus().length} CPUs, load average ${loadavg()[0].toFixed(1)} at the end, ${new Date().toISOString().slice(0, 10)}). Each run is a fresh simulator (pods ×20 speed) with real local HTTP apps behind blue and green; green's app starts failing at the switch.`,
    '',
    '```',
    ...lines,
    '```',
    '',
    '"Failed round" is the moment the round that tripped the gate returned (its `check-failed` event); "as a watch sees it" is an independent watch on the Service receiving the selector without green\'s colour. The seed\'s target is under 5 minutes from failure to blue; with the defaults (`analysis-interval: 30s`, `failure-threshold: 3`) detection takes up to 90 s, and the switch itself the figure above. Requests count everything the promotion sent (the Lease, reads, the one switch PATCH, state saves, green\'s server-side apply, the rollout watch) and the analysis\' service-proxy requests (one per analysis URL per round). The simulator shares the process and CPU with the engine.',
  ]);
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
