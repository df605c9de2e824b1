/** One analysis round: per check, whether it passed and what it saw. Small enough to keep in an annotation. */
export interface RoundRecord {
  at: string;
  checks: Record<string, CheckOutcome>;
}

export interface CheckOutcome {
  ok: boolean;
  /** What was observed, short (`status 200, 12 ms`, `0.021`, `canary 0.021 vs stable 0.002`). */
  value?: string;
  /** The limit it was judged against (`< 1%`, `≤ stable + 0.005`). */
  threshold?: string;
  /** Why it failed, one line. */
  message?: string;
  /** The app was not observed (the API server answered in its place): neither a pass nor a failure. */
  unreachable?: boolean;
}

export interface Trip {
  check: string;
  /** What the check saw last: the value that stopped the release. */
  value?: string;
  threshold?: string;
  message?: string;
  consecutiveFailures: number;
}

/**
 * The consecutive-failure gate (health-probe's rule): per check, a failure extends its run and a pass
 * resets it; an unreachable observation does neither. The first check, by name, whose run reaches
 * `threshold` trips the gate.
 */
export function recordFailures(
  consecutive: Record<string, number>,
  round: RoundRecord,
  threshold: number,
): { consecutive: Record<string, number>; trip?: Trip } {
  const next = { ...consecutive };
  for (const [name, r] of Object.entries(round.checks)) {
    if (r.unreachable) continue;
    next[name] = r.ok ? 0 : (next[name] ?? 0) + 1;
  }
  const name = Object.keys(next)
    .sort()
    .find((n) => next[n] >= threshold);
  if (!name) return { consecutive: next };
  const seen = round.checks[name];
  return {
    consecutive: next,
    trip: {
      check: name,
      ...(seen?.value !== undefined ? { value: seen.value } : {}),
      ...(seen?.threshold !== undefined ? { threshold: seen.threshold } : {}),
      ...(seen?.message !== undefined ? { message: seen.message } : {}),
      consecutiveFailures: next[name],
    },
  };
}
