import { describePodTemplate } from './describe-template';
import { allReplicaSets, isOwnedBy } from './replicasets';
import { revisionOf } from './revision';
import { equalIgnoreHash, semanticEqual, withoutHashLabel } from './template-equal';
import type {
  ControllerRevision,
  DaemonSet,
  Deployment,
  PodTemplateSpec,
  ReplicaSet,
  StatefulSet,
} from './types';

export interface RollbackOptions {
  /** `--to-revision`; 0 or absent: the previous revision. */
  toRevision?: number;
  /** `--dry-run=client`: describe the template that would be restored instead of planning a patch. */
  dryRun?: boolean;
}

export interface RollbackPlan<P extends object = object[] | Record<string, unknown>> {
  /** kubectl's text after `deployment.apps/web `: `rolled back`, `skipped rollback (...)`, or the dry-run description. */
  result: string;
  /** The ReplicaSet (Deployment) or ControllerRevision (StatefulSet, DaemonSet) rolled back to. */
  replicaSet?: string;
  /** What to send: for a Deployment a JSON patch, for StatefulSet/DaemonSet the revision's strategic merge patch. */
  patch?: P;
  patchType?: 'application/json-patch+json' | 'application/strategic-merge-patch+json';
}

/** Annotations the Deployment keeps rather than taking from the ReplicaSet (kubectl's annotationsToSkip). */
export const ANNOTATIONS_TO_SKIP = new Set([
  'kubectl.kubernetes.io/last-applied-configuration',
  'deployment.kubernetes.io/revision',
  'deployment.kubernetes.io/revision-history',
  'deployment.kubernetes.io/desired-replicas',
  'deployment.kubernetes.io/max-replicas',
  'deprecated.deployment.rollback.to',
]);

const revisionNotFound = (r: number) => new Error(`unable to find specified revision ${r} in history`);

/**
 * `kubectl rollout undo` for a Deployment (DeploymentRollbacker), as a pure plan: picks the
 * ReplicaSet (previous revision, or `toRevision`), refuses a paused Deployment, skips when the
 * template already matches, and otherwise returns the JSON patch kubectl sends: replace
 * `/spec/template` (hash label removed) and `/metadata/annotations` (the ReplicaSet's annotations
 * except the skip list, whose values stay the Deployment's). Throws kubectl's errors.
 */
export function planRollback(
  deployment: Deployment,
  replicaSets: ReplicaSet[],
  opts: RollbackOptions = {},
): RollbackPlan<object[]> {
  const toRevision = opts.toRevision ?? 0;
  if (toRevision < 0) throw revisionNotFound(toRevision);
  const target = deploymentRevision(deployment, replicaSets, toRevision);
  if (opts.dryRun) {
    return { result: describePodTemplate(target.spec?.template), replicaSet: target.metadata?.name };
  }
  if (deployment.spec?.paused) {
    throw new Error(
      "you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume' and try again",
    );
  }
  if (equalIgnoreHash(target.spec?.template, deployment.spec?.template)) {
    return {
      result: `skipped rollback (current template already matches revision ${toRevision})`,
      replicaSet: target.metadata?.name,
    };
  }
  const annotations: Record<string, string> = {};
  const current = deployment.metadata?.annotations ?? {};
  for (const k of ANNOTATIONS_TO_SKIP) if (k in current) annotations[k] = current[k];
  for (const [k, v] of Object.entries(target.metadata?.annotations ?? {})) {
    if (!ANNOTATIONS_TO_SKIP.has(k)) annotations[k] = v;
  }
  return {
    result: 'rolled back',
    replicaSet: target.metadata?.name,
    patchType: 'application/json-patch+json',
    patch: [
      { op: 'replace', path: '/spec/template', value: withoutHashLabel(target.spec?.template) },
      { op: 'replace', path: '/metadata/annotations', value: annotations },
    ],
  };
}

/** kubectl's deploymentRevision: the ReplicaSet holding `toRevision`, or the second newest when 0. */
function deploymentRevision(
  deployment: Deployment,
  replicaSets: ReplicaSet[],
  toRevision: number,
): ReplicaSet {
  let latest: ReplicaSet | undefined;
  let latestRevision = -1;
  let previous: ReplicaSet | undefined;
  let previousRevision = -1;
  for (const rs of allReplicaSets(deployment, replicaSets)) {
    let v: number;
    try {
      v = revisionOf(rs);
    } catch {
      continue; // kubectl skips ReplicaSets whose revision does not parse
    }
    if (toRevision === 0) {
      if (latestRevision < v) {
        previousRevision = latestRevision;
        previous = latest;
        latestRevision = v;
        latest = rs;
      } else if (previousRevision < v) {
        previousRevision = v;
        previous = rs;
      }
    } else if (toRevision === v) {
      return rs;
    }
  }
  if (toRevision > 0) throw revisionNotFound(toRevision);
  if (!previous)
    throw new Error(
      `no rollout history found for deployment ${JSON.stringify(deployment.metadata?.name ?? '')}`,
    );
  return previous;
}

/** The pod template a ControllerRevision records (its data is `{spec: {template: {..., $patch: replace}}}`). */
export function templateOfRevision(revision: ControllerRevision): PodTemplateSpec | undefined {
  const data = revision.data as { spec?: { template?: Record<string, unknown> } } | undefined;
  const template = data?.spec?.template;
  if (!template) return undefined;
  const { $patch: _ignored, ...rest } = template;
  return rest as PodTemplateSpec;
}

/** ControllerRevisions owned by `owner`, as kubectl's controlledHistory filters them. */
export function ownedRevisions(
  owner: StatefulSet | DaemonSet,
  revisions: ControllerRevision[],
): ControllerRevision[] {
  return revisions.filter((r) => isOwnedBy(r, owner));
}

/**
 * `kubectl rollout undo` for a StatefulSet or DaemonSet (their Rollbackers): the revision to restore
 * (second highest, or `toRevision`), skipped when the current template already matches it, and the
 * revision's own data as the strategic merge patch, as kubectl sends it.
 */
export function planControllerRevisionRollback(
  obj: StatefulSet | DaemonSet,
  revisions: ControllerRevision[],
  opts: RollbackOptions = {},
): RollbackPlan<Record<string, unknown>> {
  const toRevision = opts.toRevision ?? 0;
  if (toRevision < 0) throw revisionNotFound(toRevision);
  const history = ownedRevisions(obj, revisions);
  if (toRevision === 0 && history.length <= 1) throw new Error('no last revision to roll back to');
  let target: ControllerRevision | undefined;
  if (toRevision === 0) {
    target = [...history].sort((a, b) => (a.revision ?? 0) - (b.revision ?? 0))[history.length - 2];
  } else {
    target = history.find((h) => (h.revision ?? 0) === toRevision);
  }
  if (!target) throw revisionNotFound(toRevision);
  const template = templateOfRevision(target);
  if (opts.dryRun) {
    return {
      result: `will roll back to ${describePodTemplate(template ?? obj.spec?.template)}`,
      replicaSet: target.metadata?.name,
    };
  }
  // kubectl compares the bytes of the current template's patch with the revision's data; both are
  // canonical JSON of the same typed struct, so semantic equality of the templates is the same test.
  if (semanticEqual(obj.spec?.template, template)) {
    return {
      result: `skipped rollback (current template already matches revision ${toRevision})`,
      replicaSet: target.metadata?.name,
    };
  }
  return {
    result: 'rolled back',
    replicaSet: target.metadata?.name,
    patchType: 'application/strategic-merge-patch+json',
    patch: target.data as Record<string, unknown>,
  };
}
