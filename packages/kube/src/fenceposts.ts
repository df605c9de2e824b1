import { type IntOrString, scaledValueFromIntOrPercent } from './intorstr';

export interface Fenceposts {
  /** How many pods above `desired` the rollout may create. */
  surge: number;
  /** How many of `desired` may be unavailable during the rollout. */
  unavailable: number;
}

/**
 * maxSurge / maxUnavailable as the Deployment controller resolves them (`ResolveFenceposts` in
 * pkg/controller/deployment/util): surge percentages round up, unavailable percentages round down,
 * an unset value counts as 0, and when both come to 0 unavailable becomes 1 — validation forbids two
 * explicit zeros, so a zero pair can only come from rounding, and surge may be blocked by quota.
 */
export function resolveFenceposts(
  maxSurge: IntOrString | undefined | null,
  maxUnavailable: IntOrString | undefined | null,
  desired: number,
): Fenceposts {
  const surge = scaledValueFromIntOrPercent(maxSurge ?? 0, desired, true);
  let unavailable = scaledValueFromIntOrPercent(maxUnavailable ?? 0, desired, false);
  if (surge === 0 && unavailable === 0) unavailable = 1;
  return { surge, unavailable };
}
