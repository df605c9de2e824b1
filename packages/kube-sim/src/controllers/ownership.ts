import type { Store } from '../store';
import type { KObject, ResourceType } from '../types';
import { controllerRef, isControlledBy, matchesSelector, newControllerRef, type LabelSelector } from './objects';

/**
 * The objects `owner` controls, adopting orphans its selector matches (`ControllerRefManager.Claim*`):
 * an object created by hand with matching labels is taken over, as upstream controllers do.
 */
export function claim(
  store: Store,
  res: ResourceType,
  owner: KObject,
  selector: LabelSelector | undefined,
  extra?: (o: KObject) => boolean,
): KObject[] {
  const ns = owner.metadata.namespace;
  const adopting = !owner.metadata.deletionTimestamp;
  const candidates = store.list(res, {
    namespace: ns,
    filter: (o) =>
      isControlledBy(o, owner) ||
      (adopting && !controllerRef(o) && !o.metadata.deletionTimestamp && matchesSelector(selector, o.metadata.labels) && (extra?.(o) ?? true)),
  });
  return candidates.map((o) => {
    if (isControlledBy(o, owner)) return o;
    o.metadata.ownerReferences = [...(o.metadata.ownerReferences ?? []), newControllerRef(owner)];
    return store.update(res, o);
  });
}

/** Writes `status` onto the stored object unless nothing changed; returns the stored object. */
export function writeStatus(store: Store, res: ResourceType, obj: KObject, status: unknown): KObject {
  const fresh = store.get(res, obj.metadata.namespace, obj.metadata.name);
  if (!fresh || fresh.metadata.uid !== obj.metadata.uid) return obj;
  if (JSON.stringify(fresh.status) === JSON.stringify(status)) return fresh;
  fresh.status = status;
  return store.update(res, fresh);
}
