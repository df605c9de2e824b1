import { equalIgnoreHash } from './template-equal';
import type { Deployment, KubeObject, ReplicaSet } from './types';

/** The owner reference marked `controller: true`, if any (metav1.GetControllerOf). */
export function controllerOf(obj: KubeObject) {
  return obj.metadata?.ownerReferences?.find((r) => r.controller === true);
}

/**
 * Whether `child` belongs to `owner`. A child with a controller reference must name the owner's uid
 * (metav1.IsControlledBy). A child with none is accepted when the caller has already chosen it
 * (a pure function handed hand-made objects); the cluster adapter lists only owned children.
 */
export function isOwnedBy(child: KubeObject, owner: KubeObject): boolean {
  const ref = controllerOf(child);
  if (!ref) return true;
  const uid = owner.metadata?.uid;
  if (uid) return ref.uid === uid;
  return ref.kind === owner.kind && ref.name === owner.metadata?.name;
}

/** Oldest first by creationTimestamp, names breaking ties (replicaSetsByCreationTimestamp). */
export function sortByCreation<T extends KubeObject>(list: T[]): T[] {
  return [...list].sort((a, b) => {
    const ta = Date.parse(a.metadata?.creationTimestamp ?? '') || 0;
    const tb = Date.parse(b.metadata?.creationTimestamp ?? '') || 0;
    if (ta !== tb) return ta - tb;
    const na = a.metadata?.name ?? '';
    const nb = b.metadata?.name ?? '';
    return na < nb ? -1 : na > nb ? 1 : 0;
  });
}

/**
 * A Deployment's ReplicaSets split as kubectl's deploymentutil.GetAllReplicaSets does: the new one
 * is the oldest whose template matches the Deployment's (ignoring the hash label); the rest are old,
 * in creation order.
 */
export function splitReplicaSets(
  deployment: Deployment,
  replicaSets: ReplicaSet[],
): { newRS?: ReplicaSet; oldRSs: ReplicaSet[] } {
  const owned = sortByCreation(replicaSets.filter((rs) => isOwnedBy(rs, deployment)));
  const newRS = owned.find((rs) => equalIgnoreHash(rs.spec?.template, deployment.spec?.template));
  return { newRS, oldRSs: owned.filter((rs) => rs !== newRS) };
}

/** All of a Deployment's ReplicaSets, old ones first and the new one last, as kubectl iterates them. */
export function allReplicaSets(deployment: Deployment, replicaSets: ReplicaSet[]): ReplicaSet[] {
  const { newRS, oldRSs } = splitReplicaSets(deployment, replicaSets);
  return newRS ? [...oldRSs, newRS] : oldRSs;
}
