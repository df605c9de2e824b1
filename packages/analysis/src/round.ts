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
 * How many rounds in a row a check may go unobserved (the API server answering in the app's place: no
 * endpoints, a proxy error) before the gate trips anyway. Argo Rollouts' consecutiveErrorLimit has the
 * same default: without a limit, an app that never answers would pass its analysis unseen.
 */
export const UNREACHABLE_LIMIT = 4;

/**
 * The consecutive-failure gate (health-probe's rule): per check, a failure extends its run and a pass
 * resets it; an unreachable observation does neither, but has a run of its own that trips the gate at
 * UNREACHABLE_LIMIT. The first check, by name, whose run reaches its limit trips the gate.
 */
export function recordFailures(
  consecutive: Record<string, number>,
  round: RoundRecord,
  threshold: number,
  unreachable: Record<string, number> = {},
): { consecutive: Record<string, number>; unreachable: Record<string, number>; trip?: Trip } {
  const next = { ...consecutive };
  const unseen = { ...unreachable };
  for (const [name, r] of Object.entries(round.checks)) {
    if (r.unreachable) {
      unseen[name] = (unseen[name] ?? 0) + 1;
      continue;
    }
    delete unseen[name];
    next[name] = r.ok ? 0 : (next[name] ?? 0) + 1;
  }
  const failing = Object.keys(next)
    .sort()
    .find((n) => next[n] >= threshold);
  const unobserved = Object.keys(unseen)
    .sort()
    .find((n) => unseen[n] >= UNREACHABLE_LIMIT);
  const name = failing ?? unobserved;
  if (!name) return { consecutive: next, unreachable: unseen };
  const seen = round.checks[name];
  if (!failing) {
    return {
      consecutive: next,
      unreachable: unseen,
      trip: {
        check: name,
        message: `the app was not reached ${unseen[name]} rounds in a row${seen?.value ? ` (${seen.value})` : ''}${seen?.message ? `: ${seen.message}` : ''}`,
        consecutiveFailures: unseen[name],
      },
    };
  }
  return {
    consecutive: next,
    unreachable: unseen,
    trip: {
      check: name,
      ...(seen?.value !== undefined ? { value: seen.value } : {}),
      ...(seen?.threshold !== undefined ? { threshold: seen.threshold } : {}),
      ...(seen?.message !== undefined ? { message: seen.message } : {}),
      consecutiveFailures: next[name],
    },
  };
}
