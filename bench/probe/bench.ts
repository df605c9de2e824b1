// The probe benchmarks proper; bench/probe/run.mjs bundles and runs this file (see there).
import http from 'node:http';
import { buildChecks, runProbe } from '@upgrade-actions/probe';
import { startTestApp } from '../../test/servers/test-app';
import { startMetricsApp } from '../../test/servers/metrics-app';
import { startPrometheus } from '../../test/prometheus/prometheus';

export interface DetectionFigures {
  intervalMs: number;
  threshold: number;
  boundMs: number;
  runs: number[];
}

const inputs = (urls: string[]) => ({ urls, expectedStatus: '200', timeout: '5s' });

/**
 * Time from the service starting to fail (the test app's /switch turns to 503) to the probe
 * returning should-rollback, for a watch at `intervalMs` with `threshold`. The failure starts at a
 * random point inside an interval, as it would in production.
 */
export async function benchDetection(
  intervalMs: number,
  threshold: number,
  runs: number,
): Promise<DetectionFigures> {
  const app = await startTestApp();
  const out: number[] = [];
  try {
    for (let i = 0; i < runs; i++) {
      app.reset();
      let failedAt = 0;
      let timer: NodeJS.Timeout | undefined;
      const report = await runProbe({
        checks: buildChecks(inputs([`${app.url}/switch`])),
        mode: 'watch',
        durationMs: 10 * threshold * intervalMs,
        intervalMs,
        failureThreshold: threshold,
        onRound: (n) => {
          if (n === 2) {
            timer = setTimeout(() => {
              failedAt = performance.now();
              app.failFrom();
            }, Math.random() * intervalMs);
          }
        },
      });
      clearTimeout(timer);
      if (!report.shouldRollback) throw new Error('the probe did not detect the failure');
      out.push(performance.now() - failedAt);
    }
  } finally {
    await app.stop();
  }
  return { intervalMs, threshold, boundMs: threshold * intervalMs, runs: out };
}

export interface OverheadFigures {
  endpoints: number;
  rounds: number;
  probeRoundMs: number[];
  probeCpuPerCheckUs: number;
  rawRoundMs: number[];
  rawCpuPerRequestUs: number;
  reportedLatencyMedianMs: number;
}

function rawGet(url: string): Promise<void> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent: false }, (res) => {
        res.resume();
        res.on('end', () => resolve());
      })
      .on('error', reject);
  });
}

/**
 * One probe round over `endpoints` URLs at once, `rounds` times: wall time per round and CPU per
 * check, against the same requests sent with bare http.get (no evaluation, no report) as the floor.
 */
export async function benchOverhead(endpoints: number, rounds: number): Promise<OverheadFigures> {
  const app = await startTestApp();
  try {
    const urls = Array.from({ length: endpoints }, (_, i) => `${app.url}/healthy?i=${i}`);
    const checks = buildChecks(inputs(urls));
    // Warm-up: JIT and the server's first connections.
    await runProbe({ checks, mode: 'once' });
    await Promise.all(urls.map(rawGet));

    const probeRoundMs: number[] = [];
    const latencies: number[] = [];
    let cpu = process.cpuUsage();
    for (let r = 0; r < rounds; r++) {
      const t = performance.now();
      const report = await runProbe({ checks, mode: 'once' });
      probeRoundMs.push(performance.now() - t);
      if (report.status !== 'healthy') throw new Error(`unexpected: ${report.error}`);
      latencies.push(...report.checks.map((c) => c.latency ?? 0));
    }
    let used = process.cpuUsage(cpu);
    const probeCpuPerCheckUs = (used.user + used.system) / (rounds * endpoints);

    const rawRoundMs: number[] = [];
    cpu = process.cpuUsage();
    for (let r = 0; r < rounds; r++) {
      const t = performance.now();
      await Promise.all(urls.map(rawGet));
      rawRoundMs.push(performance.now() - t);
    }
    used = process.cpuUsage(cpu);
    latencies.sort((a, b) => a - b);
    return {
      endpoints,
      rounds,
      probeRoundMs,
      probeCpuPerCheckUs,
      rawRoundMs,
      rawCpuPerRequestUs: (used.user + used.system) / (rounds * endpoints),
      reportedLatencyMedianMs: latencies[Math.floor(latencies.length / 2)],
    };
  } finally {
    await app.stop();
  }
}

export interface PrometheusFigures {
  readyMs: number;
  firstSampleMs: number;
  threeSamplesMs: number;
}

/** How long the test helper's real Prometheus takes to serve and to hold data (what test files pay). */
export async function benchPrometheusStart(): Promise<PrometheusFigures> {
  const app = await startMetricsApp();
  const t = performance.now();
  const prom = await startPrometheus([{ job: 'web', address: app.address }]);
  const readyMs = performance.now() - t;
  try {
    await prom.waitForSamples('web', 1);
    const firstSampleMs = performance.now() - t;
    await prom.waitForSamples('web', 3);
    return { readyMs, firstSampleMs, threeSamplesMs: performance.now() - t };
  } finally {
    await prom.stop();
    await app.stop();
  }
}
