import type { CheckResult, HealthStatus } from './types';

/** The running tally of one check across rounds. */
export interface CheckTally {
  rounds: number;
  failures: number;
  consecutiveFailures: number;
  maxConsecutiveFailures: number;
  /** When the current run of failures began (injected clock, ms); null while passing. */
  failingSince: number | null;
  /** When the check reached the threshold; once set it stays: a tripped probe does not heal. */
  trippedAt: number | null;
  last: CheckResult | null;
}

export interface Evaluation {
  threshold: number;
  tallies: Record<string, CheckTally>;
}

export interface Verdict {
  status: HealthStatus;
  shouldRollback: boolean;
  /** The longest run of consecutive failures any check reached. */
  consecutiveFailures: number;
  /** Checks that reached the threshold, in order of name. */
  tripped: string[];
}

/**
 * The consecutive-failure state machine, as in the seed's rule "roll back after 5 consecutive
 * health-check failures" and like a kubelet probe's failureThreshold: a check trips when it fails
 * `threshold` times in a row; one pass resets its run. Pure: time comes in as an argument.
 */
export function startEvaluation(names: string[], threshold: number): Evaluation {
  if (!Number.isInteger(threshold) || threshold < 1)
    throw new RangeError(`threshold must be >= 1, got ${threshold}`);
  const tallies: Record<string, CheckTally> = {};
  for (const n of names) {
    tallies[n] = {
      rounds: 0,
      failures: 0,
      consecutiveFailures: 0,
      maxConsecutiveFailures: 0,
      failingSince: null,
      trippedAt: null,
      last: null,
    };
  }
  return { threshold, tallies };
}

/** Records one round's results (by check name) observed at `now`; checks absent from `results` keep their tally. */
export function recordRound(ev: Evaluation, results: Record<string, CheckResult>, now: number): Evaluation {
  const tallies = { ...ev.tallies };
  for (const [name, result] of Object.entries(results)) {
    const t = tallies[name];
    if (!t) throw new RangeError(`unknown check ${name}`);
    if (result.unreachable) {
      // Not observed: the run of failures (or passes) neither grows nor breaks.
      tallies[name] = { ...t, rounds: t.rounds + 1, last: result };
      continue;
    }
    const consecutive = result.ok ? 0 : t.consecutiveFailures + 1;
    tallies[name] = {
      rounds: t.rounds + 1,
      failures: t.failures + (result.ok ? 0 : 1),
      consecutiveFailures: consecutive,
      maxConsecutiveFailures: Math.max(t.maxConsecutiveFailures, consecutive),
      failingSince: result.ok ? null : (t.failingSince ?? now),
      trippedAt: t.trippedAt ?? (consecutive >= ev.threshold ? now : null),
      last: result,
    };
  }
  return { threshold: ev.threshold, tallies };
}

export function verdict(ev: Evaluation): Verdict {
  const names = Object.keys(ev.tallies).sort();
  const tripped = names.filter((n) => ev.tallies[n].trippedAt !== null);
  const consecutiveFailures = Math.max(0, ...names.map((n) => ev.tallies[n].maxConsecutiveFailures));
  const unreachable = names.filter((n) => ev.tallies[n].last?.unreachable);
  return {
    status: tripped.length ? 'unhealthy' : unreachable.length ? 'unreachable' : 'healthy',
    shouldRollback: tripped.length > 0,
    consecutiveFailures,
    tripped,
  };
}
