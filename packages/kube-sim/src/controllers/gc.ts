import { BUILTIN_RESOURCES } from '../resources';
import type { Store } from '../store';
import type { OwnerReference } from '../types';
import type { Context } from './context';

export const GC = 'garbagecollector';

function ownerAlive(store: Store, namespace: string | undefined, ref: OwnerReference): boolean {
  const group = ref.apiVersion.includes('/') ? ref.apiVersion.split('/')[0] : '';
  const res = BUILTIN_RESOURCES.find((r) => r.kind === ref.kind && r.group === group);
  if (!res) return true; // an owner we cannot look up is assumed alive
  return store.get(res, res.namespaced ? namespace : undefined, ref.name)?.metadata.uid === ref.uid;
}

/**
 * Background cascading deletion: once an owner is gone, dependents whose owners are all gone are
 * deleted (their own DELETED events then cascade further). Key: the owner's uid.
 */
export function collectGarbage(ctx: Context, ownerUid: string): void {
  for (const { res, obj } of ctx.index.dependents(ownerUid)) {
    const refs = obj.metadata.ownerReferences ?? [];
    if (refs.some((r) => r.uid !== ownerUid && ownerAlive(ctx.store, obj.metadata.namespace, r))) continue;
    const current = ctx.store.get(res, obj.metadata.namespace, obj.metadata.name);
    if (current?.metadata.uid !== obj.metadata.uid) continue;
    ctx.store.delete(res, obj.metadata.namespace, obj.metadata.name);
  }
}
