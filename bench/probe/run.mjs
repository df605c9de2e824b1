// probe benchmarks, on real local servers:
//   1. detection latency: time from a service starting to fail to should-rollback, against the
//      configured bound (failure-threshold × interval);
//   2. overhead at 100 endpoints probed concurrently: wall time per round and CPU per check, with
//      bare http.get of the same URLs as the floor;
//   3. the real Prometheus the tests start: time to ready and to its first samples.
//
//   node bench/probe/run.mjs [runs per detection setting, default 5] [overhead rounds, default 20]
//
// The engine is bundled from source with esbuild first. Results go to bench/RESULTS.md (section probe).
import { bundleAndImport, recordResults } from '../lib.mjs';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';

const runs = Number(process.argv[2] ?? 5);
const rounds = Number(process.argv[3] ?? 20);
const tmp = mkdtempSync(path.join(tmpdir(), 'bench-probe-'));
const ms = (x) => `${x.toFixed(1)} ms`;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const pad = (s, n) => String(s).padEnd(n);
try {
  const { benchDetection, benchOverhead, benchPrometheusStart } = await bundleAndImport(
    'bench/probe/bench.ts',
    tmp,
  );

  const lines = [
    `Detection latency (${runs} runs each; the failure starts at a random point of an interval):`,
  ];
  lines.push(
    `  ${pad('interval', 10)}${pad('threshold', 11)}${pad('bound', 10)}${pad('min', 11)}${pad('median', 11)}${pad('max', 11)}max/bound`,
  );
  for (const [interval, threshold] of [
    [1000, 5],
    [200, 5],
    [100, 3],
  ]) {
    const f = await benchDetection(interval, threshold, runs);
    const max = Math.max(...f.runs);
    lines.push(
      `  ${pad(`${interval} ms`, 10)}${pad(threshold, 11)}${pad(`${f.boundMs} ms`, 10)}${pad(ms(Math.min(...f.runs)), 11)}${pad(ms(median(f.runs)), 11)}${pad(ms(max), 11)}${(max / f.boundMs).toFixed(2)}`,
    );
  }

  const o = await benchOverhead(100, rounds);
  lines.push(
    '',
    `${o.endpoints} endpoints probed concurrently, ${o.rounds} rounds (local test server, one connection per check):`,
    `  ${pad('', 24)}${pad('round median', 14)}${pad('round max', 12)}CPU per request`,
    `  ${pad('probe (runProbe once)', 24)}${pad(ms(median(o.probeRoundMs)), 14)}${pad(ms(Math.max(...o.probeRoundMs)), 12)}${o.probeCpuPerCheckUs.toFixed(0)} µs`,
    `  ${pad('bare http.get', 24)}${pad(ms(median(o.rawRoundMs)), 14)}${pad(ms(Math.max(...o.rawRoundMs)), 12)}${o.rawCpuPerRequestUs.toFixed(0)} µs`,
    `  probe overhead per check: ${(o.probeCpuPerCheckUs - o.rawCpuPerRequestUs).toFixed(0)} µs CPU; median reported latency ${o.reportedLatencyMedianMs.toFixed(2)} ms`,
  );

  if (existsSync('/usr/bin/prometheus')) {
    const p = await benchPrometheusStart();
    lines.push(
      '',
      'Real Prometheus for tests (scrape and evaluation every 1 s):',
      `  ready ${ms(p.readyMs)}, first sample ${ms(p.firstSampleMs)}, three samples ${ms(p.threeSamplesMs)}`,
    );
  }
  console.log(lines.join('\n'));

  recordResults('probe', [
    '## probe: detection latency and overhead',
    '',
    `Command: \`node bench/probe/run.mjs ${runs} ${rounds}\` (Node ${process.version}, ${cpus().length} CPUs, load average ${loadavg()[0].toFixed(1)} at the end, ${new Date().toISOString().slice(0, 10)}).`,
    '',
    '```',
    ...lines,
    '```',
    '',
    'Detection latency is measured from the moment the test server starts answering 503 to the moment `runProbe` returns with should-rollback. Rounds start on a fixed schedule (start + k × interval), so the first failed round comes at most one interval after the failure begins and the threshold-th one (threshold − 1) intervals later: the bound threshold × interval holds as long as a round takes less than an interval. CPU per request is user + system time of the whole process (the test server runs in it too, for both rows), so the difference between the rows is what the probe adds: evaluation, report and logging.',
    'Prometheus: the first sample arrives about 5 s after start because its service discovery hands targets to the scrape manager at most every 5 s; the test files that need it start one per file and wait for three samples.',
  ]);
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
