import { BUILTIN_RESOURCES } from '../resources';
import type { Store } from '../store';
import type { KObject, ResourceType, StoreEvent } from '../types';
import { controllerRef } from './objects';

interface Entry {
  res: ResourceType;
  obj: KObject;
}

const resKey = (res: ResourceType): string => `${res.group}/${res.resource}`;
const objKey = (res: ResourceType, o: KObject): string =>
  `${resKey(res)}|${o.metadata.namespace ?? ''}/${o.metadata.name}`;

/**
 * An informer-style cache keyed by owner: every object by the uids in its ownerReferences, and
 * objects without a controller (adoption candidates) by type. Controllers read their pods from here
 * instead of scanning and copying the whole store on every sync, which keeps a 100-replica rollout
 * cheap. Objects handed out are shared: treat them as read-only (clone before changing).
 */
export class OwnerIndex {
  private readonly byOwner = new Map<string, Map<string, Entry>>();
  private readonly orphans = new Map<string, Map<string, KObject>>();

  constructor(store: Store) {
    for (const res of BUILTIN_RESOURCES) for (const o of store.list(res)) this.add(res, o);
  }

  /** Keeps the index current; call from the store listener before anything reads it. */
  apply(e: StoreEvent): void {
    if (e.old) this.remove(e.resource, e.old);
    if (e.type === 'DELETED') this.remove(e.resource, e.object);
    else this.add(e.resource, e.object);
  }

  private add(res: ResourceType, o: KObject): void {
    const k = objKey(res, o);
    for (const ref of o.metadata.ownerReferences ?? []) {
      let m = this.byOwner.get(ref.uid);
      if (!m) this.byOwner.set(ref.uid, (m = new Map()));
      m.set(k, { res, obj: o });
    }
    if (!controllerRef(o)) {
      let m = this.orphans.get(resKey(res));
      if (!m) this.orphans.set(resKey(res), (m = new Map()));
      m.set(k, o);
    }
  }

  private remove(res: ResourceType, o: KObject): void {
    const k = objKey(res, o);
    for (const ref of o.metadata.ownerReferences ?? []) {
      const m = this.byOwner.get(ref.uid);
      m?.delete(k);
      if (m && m.size === 0) this.byOwner.delete(ref.uid);
    }
    this.orphans.get(resKey(res))?.delete(k);
  }

  /** Objects of type `res` whose controller is `ownerUid`, sorted by name. */
  controlledBy(res: ResourceType, ownerUid: string): KObject[] {
    const out: KObject[] = [];
    for (const { res: r, obj } of this.byOwner.get(ownerUid)?.values() ?? []) {
      if (r === res || resKey(r) === resKey(res)) if (controllerRef(obj)?.uid === ownerUid) out.push(obj);
    }
    return out.sort(byName);
  }

  /** Objects of type `res` in `namespace` without a controller. */
  orphansOf(res: ResourceType, namespace: string | undefined): KObject[] {
    return [...(this.orphans.get(resKey(res))?.values() ?? [])].filter(
      (o) => o.metadata.namespace === namespace,
    );
  }
}

function byName(a: KObject, b: KObject): number {
  return a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0;
}
