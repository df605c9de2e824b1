import { formatMinor, minorsBehind, type Minor } from './versions';

/** The N-2 policy: a cluster may be at most two minor releases behind the newest. */
export const MAX_MINORS_BEHIND = 2;

/** A warning when `cluster` is more than two minors behind `latest`, else null. */
export function versionSkewWarning(cluster: Minor, latest: Minor): string | null {
  const behind = minorsBehind(cluster, latest);
  if (behind <= MAX_MINORS_BEHIND) return null;
  return (
    `Kubernetes ${formatMinor(cluster)} is ${behind} minor releases behind ${formatMinor(latest)}: ` +
    `the N-2 policy allows at most ${MAX_MINORS_BEHIND}; plan an upgrade (one minor at a time, control plane first)`
  );
}
