import { createHash } from 'node:crypto';
import type { KubeObject, PodTemplateSpec } from '@upgrade-actions/kube';

/**
 * The annotations rollback writes on a workload after undoing a failed revision. They live in the
 * cluster (not in the job) so that every later run — a second rollback, a re-run of deploy, promote —
 * sees that this template failed and what replaced it.
 */
export const FAILED_REVISION = 'upgrade-actions.io/failed-revision';
export const FAILED_REASON = 'upgrade-actions.io/failed-reason';
export const FAILED_AT = 'upgrade-actions.io/failed-at';
/** sha256 of the failed pod template (see templateFingerprint): what deploy refuses to roll forward to. */
export const FAILED_TEMPLATE = 'upgrade-actions.io/failed-template';
/** The revision number the workload had once the rollback finished: while it still has it, nothing changed since. */
export const ROLLED_BACK_TO = 'upgrade-actions.io/rolled-back-to';

/** Labels controllers add to templates they copy; they are not part of what the user asked for. */
const CONTROLLER_LABELS = ['pod-template-hash', 'controller-revision-hash'];

export interface FailedMark {
  failedRevision: number;
  reason: string;
  at: string;
  templateFingerprint: string;
  rolledBackTo: number;
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[k];
      if (v !== undefined) out[k] = canonical(v);
    }
    return out;
  }
  return value;
}

/**
 * A stable fingerprint of a pod template: sha256 of its JSON with keys sorted and controller-added
 * labels removed, so the template of a workload, of its ReplicaSet and of a server dry run agree.
 */
export function templateFingerprint(template: PodTemplateSpec | undefined): string {
  const t = structuredClone(template ?? {}) as PodTemplateSpec;
  const labels = t.metadata?.labels;
  if (labels) {
    for (const l of CONTROLLER_LABELS) delete labels[l];
    if (Object.keys(labels).length === 0) delete t.metadata!.labels;
  }
  if (t.metadata && Object.keys(t.metadata).length === 0) delete t.metadata;
  return (
    'sha256:' +
    createHash('sha256')
      .update(JSON.stringify(canonical(t)))
      .digest('hex')
  );
}

/** The mark on a workload, or undefined when it has none (or an incomplete one, e.g. edited by hand). */
export function readMark(obj: KubeObject): FailedMark | undefined {
  const a = obj.metadata?.annotations ?? {};
  const failed = Number(a[FAILED_REVISION]);
  const to = Number(a[ROLLED_BACK_TO]);
  if (!a[FAILED_REVISION] || !Number.isInteger(failed) || !a[FAILED_TEMPLATE]) return undefined;
  return {
    failedRevision: failed,
    reason: a[FAILED_REASON] ?? '',
    at: a[FAILED_AT] ?? '',
    templateFingerprint: a[FAILED_TEMPLATE],
    rolledBackTo: a[ROLLED_BACK_TO] && Number.isInteger(to) ? to : 0,
  };
}

/** The annotations to merge-patch onto the workload. */
export function markAnnotations(mark: FailedMark): Record<string, string> {
  return {
    [FAILED_REVISION]: String(mark.failedRevision),
    [FAILED_REASON]: mark.reason.slice(0, 1024),
    [FAILED_AT]: mark.at,
    [FAILED_TEMPLATE]: mark.templateFingerprint,
    [ROLLED_BACK_TO]: String(mark.rolledBackTo),
  };
}
