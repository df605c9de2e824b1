import type { Evaluation } from './evaluator';
import { verdict } from './evaluator';
import type { Check, HealthStatus, Level } from './types';

/** One check's line in the report. */
export interface CheckReport {
  name: string;
  level: Level;
  target: string;
  /** unhealthy once the check has failed `failureThreshold` times in a row. */
  status: HealthStatus;
  /** Whether the most recent observation passed. */
  passing: boolean;
  latency: number | null;
  rounds: number;
  failures: number;
  consecutiveFailures: number;
  maxConsecutiveFailures: number;
  observations: Record<string, unknown>;
  error?: string;
}

/**
 * The probe's report: the seed's probe shape `{status, latency, timestamp}` (plus `error` when
 * unhealthy) extended with every check's level, target and observations.
 */
export interface ProbeReport {
  status: HealthStatus;
  /** The slowest check of the last round, ms with two decimals; null when no check timed anything. */
  latency: number | null;
  timestamp: string;
  mode: 'once' | 'watch';
  rounds: number;
  failureThreshold: number;
  shouldRollback: boolean;
  consecutiveFailures: number;
  checks: CheckReport[];
  error?: string;
}

export function buildReport(
  checks: Check[],
  ev: Evaluation,
  meta: { mode: 'once' | 'watch'; rounds: number; now: Date },
): ProbeReport {
  const v = verdict(ev);
  const lines: CheckReport[] = checks.map((c) => {
    const t = ev.tallies[c.name];
    const line: CheckReport = {
      name: c.name,
      level: c.level,
      target: c.target,
      status: t.trippedAt !== null ? 'unhealthy' : t.last?.unreachable ? 'unreachable' : 'healthy',
      passing: t.last?.ok ?? false,
      latency: t.last?.latency ?? null,
      rounds: t.rounds,
      failures: t.failures,
      consecutiveFailures: t.consecutiveFailures,
      maxConsecutiveFailures: t.maxConsecutiveFailures,
      observations: t.last?.observations ?? {},
    };
    if (t.last?.error) line.error = t.last.error;
    return line;
  });
  const latencies = lines.map((l) => l.latency).filter((l): l is number => l !== null);
  const report: ProbeReport = {
    status: v.status,
    latency: latencies.length ? Math.max(...latencies) : null,
    timestamp: meta.now.toISOString(),
    mode: meta.mode,
    rounds: meta.rounds,
    failureThreshold: ev.threshold,
    shouldRollback: v.shouldRollback,
    consecutiveFailures: v.consecutiveFailures,
    checks: lines,
  };
  if (v.status === 'unreachable') {
    report.error = lines
      .filter((l) => l.status === 'unreachable')
      .map((l) => `${l.name}: ${l.error ?? 'the app was not reached'}`)
      .join('; ');
  }
  if (v.status === 'unhealthy') {
    report.error = v.tripped
      .map((name) => {
        const t = ev.tallies[name];
        const times = t.maxConsecutiveFailures === 1 ? 'once' : `${t.maxConsecutiveFailures} times in a row`;
        return `${name} failed ${times}: ${t.last?.error ?? 'see observations'}`;
      })
      .join('; ');
  }
  return report;
}

/** Header and rows for the job summary table (and the CLI's table). */
export function reportTable(report: ProbeReport): { header: string[]; rows: string[][] } {
  return {
    header: ['Check', 'Level', 'Target', 'Status', 'Latency', 'Failures in a row', 'Detail'],
    rows: report.checks.map((c) => [
      c.name,
      c.level,
      c.target,
      c.status,
      c.latency === null ? '' : `${c.latency.toFixed(2)} ms`,
      `${c.maxConsecutiveFailures}/${report.failureThreshold}`,
      c.error ?? (c.passing ? 'ok' : ''),
    ]),
  };
}
