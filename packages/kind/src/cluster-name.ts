import { createHash } from 'node:crypto';
import { ConfigurationError } from '@upgrade-actions/common';

/** kind's own rule (pkg/internal/apis/config/validate.go) and the length past which kind warns. */
export const CLUSTER_NAME_RE = /^[a-z0-9.-]+$/;
export const CLUSTER_NAME_MAX = 50;

export interface RunIdentity {
  runId?: string;
  runAttempt?: string;
  job?: string;
  /** GITHUB_ACTION: the step's id, distinct for two kind-cluster steps in one job. */
  action?: string;
  /** RUNNER_NAME: distinct for matrix legs of one job. */
  runner?: string;
}

/**
 * `upgrade-<run_id>-<run_attempt>-<hash>`: unique per run and attempt, and per job, step and runner
 * through the short hash, so parallel jobs and re-runs never collide on one Docker host.
 */
export function defaultClusterName(id: RunIdentity): string {
  const hash = createHash('sha256')
    .update([id.job ?? '', id.action ?? '', id.runner ?? ''].join('\0'))
    .digest('hex')
    .slice(0, 6);
  return sanitizeClusterName(`upgrade-${id.runId || 'local'}-${id.runAttempt || '1'}-${hash}`);
}

/** Lower-cases, replaces what kind rejects with `-`, and keeps it within kind's length. */
export function sanitizeClusterName(raw: string): string {
  const s = raw
    .toLowerCase()
    .replace(/[^a-z0-9.-]+/g, '-')
    .replace(/^[-.]+/, '');
  return s.slice(0, CLUSTER_NAME_MAX).replace(/[-.]+$/, '') || 'upgrade';
}

/** A name the user chose is checked, never silently changed. */
export function validateClusterName(name: string): string {
  if (!CLUSTER_NAME_RE.test(name) || name.length > CLUSTER_NAME_MAX)
    throw new ConfigurationError(
      `Input 'cluster-name' must be at most ${CLUSTER_NAME_MAX} characters of a-z, 0-9, '.' and '-' ` +
        `(kind's rule), got ${JSON.stringify(name)}`,
    );
  return name;
}

/** The kubeconfig context kind writes for a cluster. */
export function contextName(cluster: string): string {
  return `kind-${cluster}`;
}
