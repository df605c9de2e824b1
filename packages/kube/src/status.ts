import { groupKindOf, revisionOf } from './revision';
import type { DaemonSet, Deployment, KubeObject, StatefulSet } from './types';

export interface RolloutStatus {
  /** kubectl's line for this state, without the trailing newline kubectl prints after it. */
  message: string;
  /** True once the rollout is complete (kubectl stops watching). */
  done: boolean;
}

export interface RolloutStatusOptions {
  /** Pin to a Deployment revision (`kubectl rollout status --revision`); 0 or absent: the latest. */
  revision?: number;
}

const q = (s: string | undefined) => JSON.stringify(s ?? '');
const n = (v: number | undefined) => v ?? 0;

/**
 * The rollout state of a Deployment, StatefulSet or DaemonSet, exactly as kubectl's StatusViewer
 * (`pkg/polymorphichelpers/rollout_status.go`) computes it: same checks in the same order, same
 * messages. "Still waiting" is a return value; where kubectl fails (progress deadline, revision pin,
 * OnDelete strategy) this throws an Error carrying kubectl's text without the `error: ` prefix.
 */
export function rolloutStatus(obj: KubeObject, opts: RolloutStatusOptions = {}): RolloutStatus {
  const revision = opts.revision ?? 0;
  switch (obj.kind) {
    case 'Deployment':
      return deploymentStatus(obj as Deployment, revision);
    case 'DaemonSet':
      return daemonSetStatus(obj as DaemonSet);
    case 'StatefulSet':
      return statefulSetStatus(obj as StatefulSet);
    default:
      throw new Error(`no status viewer has been implemented for ${groupKindOf(obj)}`);
  }
}

function deploymentStatus(d: Deployment, revision: number): RolloutStatus {
  const name = d.metadata?.name;
  if (revision > 0) {
    let running: number;
    try {
      running = revisionOf(d);
    } catch (e) {
      throw new Error(`cannot get the revision of deployment ${q(name)}: ${(e as Error).message}`);
    }
    if (revision !== running)
      throw new Error(`desired revision (${revision}) is different from the running revision (${running})`);
  }
  const status = d.status ?? {};
  if (n(d.metadata?.generation) > n(status.observedGeneration)) {
    return { message: 'Waiting for deployment spec update to be observed...', done: false };
  }
  // The first Progressing condition decides, as GetDeploymentCondition returns the first match.
  const progressing = (status.conditions ?? []).find((c) => c.type === 'Progressing');
  if (progressing?.reason === 'ProgressDeadlineExceeded') {
    throw new Error(`deployment ${q(name)} exceeded its progress deadline`);
  }
  const desired = d.spec?.replicas;
  const updated = n(status.updatedReplicas);
  if (desired !== undefined && desired !== null && updated < desired) {
    return {
      message: `Waiting for deployment ${q(name)} rollout to finish: ${updated} out of ${desired} new replicas have been updated...`,
      done: false,
    };
  }
  if (n(status.replicas) > updated) {
    return {
      message: `Waiting for deployment ${q(name)} rollout to finish: ${n(status.replicas) - updated} old replicas are pending termination...`,
      done: false,
    };
  }
  if (n(status.availableReplicas) < updated) {
    return {
      message: `Waiting for deployment ${q(name)} rollout to finish: ${n(status.availableReplicas)} of ${updated} updated replicas are available...`,
      done: false,
    };
  }
  return { message: `deployment ${q(name)} successfully rolled out`, done: true };
}

function daemonSetStatus(ds: DaemonSet): RolloutStatus {
  // kubectl ignores --revision for DaemonSets.
  if (ds.spec?.updateStrategy?.type !== 'RollingUpdate') {
    throw new Error('rollout status is only available for RollingUpdate strategy type');
  }
  const name = ds.metadata?.name;
  const status = ds.status ?? {};
  if (n(ds.metadata?.generation) > n(status.observedGeneration)) {
    return { message: 'Waiting for daemon set spec update to be observed...', done: false };
  }
  const desired = n(status.desiredNumberScheduled);
  if (n(status.updatedNumberScheduled) < desired) {
    return {
      message: `Waiting for daemon set ${q(name)} rollout to finish: ${n(status.updatedNumberScheduled)} out of ${desired} new pods have been updated...`,
      done: false,
    };
  }
  if (n(status.numberAvailable) < desired) {
    return {
      message: `Waiting for daemon set ${q(name)} rollout to finish: ${n(status.numberAvailable)} of ${desired} updated pods are available...`,
      done: false,
    };
  }
  return { message: `daemon set ${q(name)} successfully rolled out`, done: true };
}

function statefulSetStatus(sts: StatefulSet): RolloutStatus {
  const strategy = sts.spec?.updateStrategy;
  if (strategy?.type !== 'RollingUpdate') {
    throw new Error('rollout status is only available for RollingUpdate strategy type');
  }
  const status = sts.status ?? {};
  // Unlike the other two, an observedGeneration of 0 always means "not yet observed".
  if (n(status.observedGeneration) === 0 || n(sts.metadata?.generation) > n(status.observedGeneration)) {
    return { message: 'Waiting for statefulset spec update to be observed...', done: false };
  }
  const replicas = sts.spec?.replicas;
  const hasReplicas = replicas !== undefined && replicas !== null;
  if (hasReplicas && n(status.readyReplicas) < replicas) {
    return { message: `Waiting for ${replicas - n(status.readyReplicas)} pods to be ready...`, done: false };
  }
  if (strategy.rollingUpdate) {
    const partition = strategy.rollingUpdate.partition;
    if (hasReplicas && partition !== undefined && partition !== null) {
      if (n(status.updatedReplicas) < replicas - partition) {
        return {
          message: `Waiting for partitioned roll out to finish: ${n(status.updatedReplicas)} out of ${replicas - partition} new pods have been updated...`,
          done: false,
        };
      }
    }
    return {
      message: `partitioned roll out complete: ${n(status.updatedReplicas)} new pods have been updated...`,
      done: true,
    };
  }
  if (status.updateRevision !== status.currentRevision) {
    return {
      message: `waiting for statefulset rolling update to complete ${n(status.updatedReplicas)} pods at revision ${status.updateRevision ?? ''}...`,
      done: false,
    };
  }
  return {
    message: `statefulset rolling update complete ${n(status.currentReplicas)} pods at revision ${status.currentRevision ?? ''}...`,
    done: true,
  };
}
