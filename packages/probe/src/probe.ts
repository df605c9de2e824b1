import { abortableSleep, silentLogger, type Logger } from '@upgrade-actions/common';
import { recordRound, startEvaluation, verdict, type Evaluation } from './evaluator';
import { buildReport, type ProbeReport } from './report';
import type { Check, CheckResult } from './types';

export interface ProbeOptions {
  checks: Check[];
  /** `once`: one round, any failure is unhealthy. `watch`: rounds every `intervalMs` for `durationMs`. */
  mode: 'once' | 'watch';
  durationMs?: number;
  intervalMs?: number;
  /** Consecutive failures of one check that make the probe unhealthy (watch mode; default 5). */
  failureThreshold?: number;
  logger?: Logger;
  signal?: AbortSignal;
  /** Injected for tests and benches: wall clock (ms) and an abortable sleep. */
  now?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Called after every round with the evaluation so far (progress, benches). */
  onRound?: (round: number, ev: Evaluation, results: Record<string, CheckResult>) => void;
}

async function runRound(checks: Check[], signal?: AbortSignal): Promise<Record<string, CheckResult>> {
  const results = await Promise.all(
    checks.map(async (c): Promise<CheckResult> => {
      try {
        return await c.run(signal);
      } catch (e) {
        // A check that throws (an adapter bug, an API error) is a failed observation of that check.
        return { ok: false, latency: null, observations: {}, error: (e as Error).message ?? String(e) };
      }
    }),
  );
  return Object.fromEntries(checks.map((c, i) => [c.name, results[i]]));
}

/**
 * Runs the checks and decides. Rounds start on a fixed schedule (start + k × interval) so that a
 * failure is detected within threshold × interval of its start, however long each round takes;
 * a round that overruns the interval is followed at once by the next. Watch mode stops early
 * when a check trips: there is nothing left to learn and the rollback should start.
 */
export async function runProbe(opts: ProbeOptions): Promise<ProbeReport> {
  const now = opts.now ?? Date.now;
  const sleep = opts.sleep ?? abortableSleep;
  const log = opts.logger ?? silentLogger;
  const names = opts.checks.map((c) => c.name);
  const dup = names.find((n, i) => names.indexOf(n) !== i);
  if (dup) throw new RangeError(`two checks are named ${dup}`);
  if (!opts.checks.length) throw new RangeError('no checks to run');

  for (const c of opts.checks) await c.preflight?.(opts.signal);

  const threshold = opts.mode === 'once' ? 1 : (opts.failureThreshold ?? 5);
  const interval = opts.intervalMs ?? 10_000;
  const duration = opts.durationMs ?? 0;
  let ev = startEvaluation(names, threshold);
  const start = now();
  let round = 0;
  for (;;) {
    const results = await runRound(opts.checks, opts.signal);
    round++;
    ev = recordRound(ev, results, now());
    for (const c of opts.checks) {
      const r = results[c.name];
      const t = ev.tallies[c.name];
      if (r.unreachable) log.warning(`round ${round}: ${c.name}: ${r.error}`);
      else if (r.ok)
        log.debug(`round ${round}: ${c.name} ok${r.latency !== null ? ` (${r.latency.toFixed(2)} ms)` : ''}`);
      else
        log.warning(
          `round ${round}: ${c.name} failed (${t.consecutiveFailures}/${threshold} in a row): ${r.error}`,
        );
    }
    opts.onRound?.(round, ev, results);
    if (opts.mode === 'once' || verdict(ev).shouldRollback || opts.signal?.aborted) break;
    const next = start + round * interval;
    if (next >= start + duration) break;
    await sleep(next - now(), opts.signal);
    if (opts.signal?.aborted) break;
  }
  const report = buildReport(opts.checks, ev, { mode: opts.mode, rounds: round, now: new Date(now()) });
  if (report.status === 'unhealthy') log.error(`unhealthy: ${report.error}`);
  else if (report.status === 'unreachable')
    log.warning(`unreachable, not judged (no rollback): ${report.error}`);
  else log.info(`healthy after ${round} round(s)`);
  return report;
}
