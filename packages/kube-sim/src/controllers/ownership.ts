import type { Store } from '../store';
import type { KObject, ResourceType } from '../types';
import type { Context } from './context';
import { matchesSelector, newControllerRef, type LabelSelector } from './objects';

/**
 * The objects `owner` controls, adopting orphans its selector matches (`ControllerRefManager.Claim*`):
 * an object created by hand with matching labels is taken over, as upstream controllers do. Results
 * come from the owner index and are shared: pass `mutable` to get copies that may be changed.
 */
export function claim(
  ctx: Context,
  res: ResourceType,
  owner: KObject,
  selector: LabelSelector | undefined,
  opts: { mutable?: boolean } = {},
): KObject[] {
  const owned = ctx.index.controlledBy(res, owner.metadata.uid!);
  if (!owner.metadata.deletionTimestamp) {
    for (const o of ctx.index.orphansOf(res, owner.metadata.namespace)) {
      if (o.metadata.deletionTimestamp || !matchesSelector(selector, o.metadata.labels)) continue;
      const copy = structuredClone(o);
      copy.metadata.ownerReferences = [...(copy.metadata.ownerReferences ?? []), newControllerRef(owner)];
      copy.metadata.resourceVersion = undefined;
      owned.push(ctx.store.update(res, copy));
    }
  }
  return opts.mutable ? owned.map((o) => structuredClone(o)) : owned;
}

/** Writes `status` onto the stored object unless nothing changed; returns the stored object. */
export function writeStatus(store: Store, res: ResourceType, obj: KObject, status: unknown): KObject {
  const fresh = store.get(res, obj.metadata.namespace, obj.metadata.name);
  if (!fresh || fresh.metadata.uid !== obj.metadata.uid) return obj;
  if (JSON.stringify(fresh.status) === JSON.stringify(status)) return fresh;
  fresh.status = status;
  return store.update(res, fresh);
}
