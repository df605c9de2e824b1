import type { ResourceRegistry } from './registry';
import { R } from './resources';
import type { Store } from './store';
import type { KObject, ResourceType } from './types';

export type Propagation = 'Orphan' | 'Background' | 'Foreground';

/** Every stored resource type once (custom resources under their storage version). */
function storedTypes(registry: ResourceRegistry): ResourceType[] {
  const seen = new Map<string, ResourceType>();
  for (const t of registry.all()) {
    const st = registry.storageType(t);
    seen.set(`${st.group}/${st.resource}`, st);
  }
  return [...seen.values()];
}

function dependents(
  store: Store,
  registry: ResourceRegistry,
  uid: string,
): Array<{ type: ResourceType; obj: KObject }> {
  const out: Array<{ type: ResourceType; obj: KObject }> = [];
  for (const type of storedTypes(registry)) {
    for (const obj of store.list(type, {
      filter: (o) => (o.metadata.ownerReferences ?? []).some((r) => r.uid === uid),
    })) {
      out.push({ type, obj });
    }
  }
  return out;
}

function removeOwner(store: Store, type: ResourceType, obj: KObject, uid: string): void {
  const next = structuredClone(obj);
  next.metadata.ownerReferences = (next.metadata.ownerReferences ?? []).filter((r) => r.uid !== uid);
  if (!next.metadata.ownerReferences.length) delete next.metadata.ownerReferences;
  store.update(type, next);
}

function tryDelete(store: Store, type: ResourceType, obj: KObject): void {
  if (store.get(type, obj.metadata.namespace, obj.metadata.name)?.metadata.uid === obj.metadata.uid) {
    store.delete(type, obj.metadata.namespace, obj.metadata.name);
  }
}

/**
 * Deletes an object with a propagation policy, as the API server and garbage collector do between them:
 * `Orphan` strips the owner reference from dependents first; `Foreground` deletes dependents (recursively)
 * before the owner; `Background` deletes the owner now and leaves dependents to the collector. Deleting a
 * namespace deletes what is in it; deleting a CRD deletes its custom resources.
 */
export function deleteWithPropagation(
  store: Store,
  registry: ResourceRegistry,
  type: ResourceType,
  obj: KObject,
  policy: Propagation,
): void {
  const uid = obj.metadata.uid!;
  if (policy === 'Orphan') {
    for (const d of dependents(store, registry, uid)) removeOwner(store, d.type, d.obj, uid);
  } else if (policy === 'Foreground') {
    for (const d of dependents(store, registry, uid)) {
      if ((d.obj.metadata.ownerReferences ?? []).length > 1) removeOwner(store, d.type, d.obj, uid);
      else deleteWithPropagation(store, registry, d.type, d.obj, 'Foreground');
    }
  }
  if (type.resource === 'namespaces' && type.group === '') {
    for (const t of storedTypes(registry).filter((x) => x.namespaced)) {
      for (const o of store.list(t, { namespace: obj.metadata.name })) tryDelete(store, t, o);
    }
  }
  if (type.resource === R.crds.resource && type.group === R.crds.group) {
    const spec = obj.spec as { group?: string; names?: { plural?: string } } | undefined;
    const crType = registry.all().find((t) => t.group === spec?.group && t.resource === spec?.names?.plural);
    if (crType)
      for (const o of store.list(registry.storageType(crType)))
        tryDelete(store, registry.storageType(crType), o);
  }
  tryDelete(store, type, obj);
}

export interface GarbageCollector {
  /** Sweeps what is pending now, synchronously; returns whether there was anything (deterministic tests). */
  flush(): boolean;
  stop(): void;
}

/**
 * The background garbage collector: after an owner is deleted, each dependent loses that owner reference
 * and, when no owner is left, is deleted itself (background again, so chains cascade). It runs on the
 * next turn of the event loop, so watchers see the owner's DELETED before its dependents'.
 */
export function startGarbageCollector(store: Store, registry: ResourceRegistry): GarbageCollector {
  const pending: string[] = [];
  let scheduled: NodeJS.Immediate | undefined;
  const sweep = (): boolean => {
    if (scheduled) clearImmediate(scheduled);
    scheduled = undefined;
    const any = pending.length > 0;
    while (pending.length) {
      const uid = pending.shift()!;
      for (const d of dependents(store, registry, uid)) {
        const live = (d.obj.metadata.ownerReferences ?? []).filter(
          (r) => r.uid !== uid && ownerExists(store, registry, r.uid),
        );
        if (live.length) removeOwner(store, d.type, d.obj, uid);
        else tryDelete(store, d.type, d.obj);
      }
    }
    return any;
  };
  const unsubscribe = store.subscribe((e) => {
    if (e.type !== 'DELETED' || !e.object.metadata.uid) return;
    pending.push(e.object.metadata.uid);
    scheduled ??= setImmediate(sweep);
  });
  return {
    flush: sweep,
    stop() {
      unsubscribe();
      if (scheduled) clearImmediate(scheduled);
      scheduled = undefined;
      pending.length = 0;
    },
  };
}

function ownerExists(store: Store, registry: ResourceRegistry, uid: string): boolean {
  for (const t of storedTypes(registry))
    if (store.list(t, { filter: (o) => o.metadata.uid === uid }).length) return true;
  return false;
}
