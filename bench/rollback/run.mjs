// Rollback benchmark, on the simulator in real time with real kubectl as the peer: time to recover
// from a failed rollout (progress deadline exceeded) to the previous revision fully available again,
// for each replica count, our rollback engine against `kubectl rollout undo` + `kubectl rollout status`.
//
//   node bench/rollback/run.mjs [replica counts, default 10,100] [runs, default 1]
//
// The engine and simulator are bundled from source with esbuild first. Results go to
// bench/RESULTS.md (section rollback).
import { bundleAndImport, recordResults } from '../lib.mjs';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';

const counts = (process.argv[2] ?? '10,100').split(',').map(Number);
const runs = Number(process.argv[3] ?? 1);
const tmp = mkdtempSync(path.join(tmpdir(), 'bench-rollback-'));
try {
  const { benchRecover } = await bundleAndImport('bench/rollback/bench.ts', tmp);
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const rows = [];
  for (const replicas of counts) {
    for (const how of ['upgrade-actions rollback', 'kubectl undo + status']) {
      const all = [];
      for (let i = 0; i < runs; i++) all.push(await benchRecover(replicas, how));
      const pick = (k) => median(all.map((f) => f[k]));
      rows.push({
        how,
        replicas,
        totalMs: pick('totalMs'),
        controllerMs: pick('controllerMs'),
        beforeMs: pick('beforeMs'),
        afterMs: pick('afterMs'),
        requests: pick('requests'),
      });
      const r = rows.at(-1);
      console.error(`${replicas} replicas, ${how}: ${(r.totalMs / 1000).toFixed(2)} s`);
    }
  }
  const pad = (s, n) => String(s).padEnd(n);
  const s = (ms) => `${(ms / 1000).toFixed(2)} s`;
  const lines = [
    'Recovering from a failed rollout (progress deadline exceeded) to the previous revision fully available:',
    `  ${pad('replicas', 10)}${pad('recovery', 26)}${pad('total', 10)}${pad('controller', 12)}${pad('before', 10)}${pad('after', 10)}${pad('overhead', 10)}requests`,
    ...rows.map(
      (r) =>
        `  ${pad(r.replicas, 10)}${pad(r.how, 26)}${pad(s(r.totalMs), 10)}${pad(s(r.controllerMs), 12)}${pad(s(r.beforeMs), 10)}${pad(s(r.afterMs), 10)}${pad(s(r.totalMs - r.controllerMs), 10)}${r.requests}`,
    ),
  ];
  console.log(lines.join('\n'));
  const worst = Math.max(
    ...rows.filter((r) => r.how.startsWith('upgrade')).map((r) => r.totalMs - r.controllerMs),
  );
  console.log(
    `\nLargest overhead of ours beyond the controller: ${s(worst)} (target: under 1 s) — ${worst < 1000 ? 'met' : 'NOT met'}`,
  );

  recordResults('rollback', [
    '## rollback: time to recover',
    '',
    `Command: \`node bench/rollback/run.mjs ${counts.join(',')} ${runs}\` (Node ${process.version}, ${cpus().length} CPUs, load average ${loadavg()[0].toFixed(1)} at the end, kubectl 1.32, ${new Date().toISOString().slice(0, 10)}). Median of ${runs} run(s); each row is a fresh simulator in real time (pods Ready 1 s after scheduling, maxSurge/maxUnavailable 25%).`,
    '',
    '```',
    ...lines,
    '',
    `Largest overhead of ours beyond the controller: ${s(worst)} (target: under 1 s) — ${worst < 1000 ? 'met' : 'NOT met'}`,
    '```',
    '',
    '"total" runs from starting the recovery to it returning. "controller" is what the Deployment controller and kubelet take: from an independent watch seeing the template change back to the status first reporting the rollout complete. "before" is everything until the template changes (ours: checks, the Lease, the dry-run plan, the undo patch; kubectl: process start, discovery, the undo); "after" is from completion to returning (ours: the watch hearing it, re-reading, verifying, writing the failed-revision mark, releasing the Lease; kubectl: rollout status hearing it and exiting). "overhead" = total − controller. Requests are everything the recovery sent to the API server (kubectl keeps a discovery cache in ~/.kube/cache, so its count depends on that cache). The simulator runs in the same Node process as our engine and shares its CPU; kubectl runs in its own processes.',
  ]);
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
