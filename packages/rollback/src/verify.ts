import type { DaemonSet, Deployment, KubeObject, StatefulSet } from '@upgrade-actions/kube';
import { templateFingerprint } from './marks';

export interface Verification {
  verified: boolean;
  message: string;
}

/**
 * Whether a rolled-back workload really runs something other than the failed template with every
 * replica available and the controller caught up (pure; the engine calls it on the object it re-read).
 */
export function verifyRolledBack(obj: KubeObject, failedFingerprint: string): Verification {
  const template = (obj as Deployment).spec?.template;
  if (templateFingerprint(template) === failedFingerprint) {
    return { verified: false, message: 'the workload still runs the failed pod template' };
  }
  const generation = obj.metadata?.generation ?? 0;
  const observed = (obj.status as { observedGeneration?: number } | undefined)?.observedGeneration ?? 0;
  if (observed < generation) {
    return { verified: false, message: `the controller has not observed generation ${generation} yet` };
  }
  let want: number;
  let have: number;
  let updated: number;
  if (obj.kind === 'Deployment') {
    const d = obj as Deployment;
    want = d.spec?.replicas ?? 1;
    have = d.status?.availableReplicas ?? 0;
    updated = d.status?.updatedReplicas ?? 0;
  } else if (obj.kind === 'StatefulSet') {
    const s = obj as StatefulSet;
    want = s.spec?.replicas ?? 1;
    have = s.status?.readyReplicas ?? 0;
    updated = s.status?.updatedReplicas ?? 0;
  } else {
    const ds = obj as DaemonSet;
    want = ds.status?.desiredNumberScheduled ?? 0;
    have = ds.status?.numberAvailable ?? 0;
    updated = ds.status?.updatedNumberScheduled ?? 0;
  }
  if (updated < want || have < want) {
    return {
      verified: false,
      message: `${have} of ${want} replicas available, ${updated} of ${want} updated`,
    };
  }
  return { verified: true, message: `${have} of ${want} replicas available on the restored template` };
}
