import { BUILTIN_RESOURCES } from '../resources';
import type { Store } from '../store';
import type { KObject, OwnerReference } from '../types';
import type { Context } from './context';

export const GC = 'garbagecollector';

function ownerAlive(store: Store, namespace: string | undefined, ref: OwnerReference): boolean {
  const group = ref.apiVersion.includes('/') ? ref.apiVersion.split('/')[0] : '';
  const res = BUILTIN_RESOURCES.find((r) => r.kind === ref.kind && r.group === group);
  if (!res) return true; // an owner we cannot look up is assumed alive, as the real GC does for unknown kinds
  return store.get(res, namespace, ref.name)?.metadata.uid === ref.uid;
}

/**
 * Background cascading deletion: once an owner is gone, dependents whose owners are all gone are
 * deleted (their own DELETED events then cascade further). Key: `<namespace>|<owner uid>`.
 */
export function collectGarbage(ctx: Context, k: string): void {
  const [ns, uid] = k.split('|');
  for (const res of BUILTIN_RESOURCES) {
    const dependents = ctx.store.list(res, {
      namespace: res.namespaced ? ns || undefined : undefined,
      filter: (o: KObject) => !!o.metadata.ownerReferences?.some((r) => r.uid === uid),
    });
    for (const d of dependents) {
      const refs = d.metadata.ownerReferences ?? [];
      if (refs.some((r) => r.uid !== uid && ownerAlive(ctx.store, d.metadata.namespace, r))) continue;
      try {
        ctx.store.delete(res, d.metadata.namespace, d.metadata.name);
      } catch {
        // already gone
      }
    }
  }
}
