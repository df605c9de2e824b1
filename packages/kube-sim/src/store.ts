import { randomUUID } from 'node:crypto';
import { ApiError, type KObject, type ResourceType, type StoreEvent } from './types';

export interface ListOptions {
  namespace?: string;
  /** Keep objects this predicate accepts (label/field selectors are compiled to it by the server). */
  filter?: (obj: KObject) => boolean;
}

export type Listener = (event: StoreEvent) => void;

/** How far back watches can resume from a resourceVersion before getting 410 Gone. */
const DEFAULT_HISTORY = 10_000;

/**
 * The simulator's etcd: objects by resource type, one global resourceVersion counter, an event log
 * for watches (older than the log → 410 Gone), and synchronous listeners for the controllers.
 * Objects handed out are deep copies, so nobody mutates stored state by accident.
 */
export class Store {
  private rv = 1;
  private readonly objects = new Map<string, Map<string, KObject>>();
  private readonly log: Array<{ rv: number; event: StoreEvent }> = [];
  private readonly listeners = new Set<Listener>();

  constructor(
    private readonly now: () => Date = () => new Date(),
    private readonly historyLimit = DEFAULT_HISTORY,
  ) {}

  get resourceVersion(): string {
    return String(this.rv);
  }

  /** The oldest resourceVersion a watch may resume from. */
  get oldestResourceVersion(): number {
    return this.log.length ? this.log[0].rv - 1 : this.rv;
  }

  private bucket(res: ResourceType): Map<string, KObject> {
    const key = `${res.group}/${res.resource}`;
    let b = this.objects.get(key);
    if (!b) this.objects.set(key, (b = new Map()));
    return b;
  }

  private static key(namespace: string | undefined, name: string): string {
    return `${namespace ?? ''}/${name}`;
  }

  get(res: ResourceType, namespace: string | undefined, name: string): KObject | undefined {
    const o = this.bucket(res).get(Store.key(res.namespaced ? namespace : undefined, name));
    return o ? structuredClone(o) : undefined;
  }

  mustGet(res: ResourceType, namespace: string | undefined, name: string): KObject {
    const o = this.get(res, namespace, name);
    if (!o) throw notFound(res, name);
    return o;
  }

  list(res: ResourceType, opts: ListOptions = {}): KObject[] {
    const out: KObject[] = [];
    for (const o of this.bucket(res).values()) {
      if (opts.namespace && res.namespaced && o.metadata.namespace !== opts.namespace) continue;
      if (opts.filter && !opts.filter(o)) continue;
      out.push(structuredClone(o));
    }
    return out.sort((a, b) =>
      Store.key(a.metadata.namespace, a.metadata.name).localeCompare(
        Store.key(b.metadata.namespace, b.metadata.name),
      ),
    );
  }

  create(res: ResourceType, input: KObject): KObject {
    const obj = structuredClone(input);
    const meta = obj.metadata ?? (obj.metadata = { name: '' });
    if (!meta.name && meta.generateName) meta.name = meta.generateName + randomSuffix();
    if (!meta.name)
      throw new ApiError(
        422,
        'Invalid',
        `${res.kind} "" is invalid: metadata.name: Required value: name or generateName is required`,
      );
    if (!res.namespaced) delete meta.namespace;
    const b = this.bucket(res);
    const k = Store.key(meta.namespace, meta.name);
    if (b.has(k))
      throw new ApiError(409, 'AlreadyExists', `${groupResource(res)} "${meta.name}" already exists`, {
        name: meta.name,
        group: res.group,
        kind: res.resource,
      });
    meta.uid = randomUUID();
    meta.creationTimestamp = this.now()
      .toISOString()
      .replace(/\.\d+Z$/, 'Z');
    if (res.generation) meta.generation = 1;
    delete meta.deletionTimestamp;
    meta.resourceVersion = String(++this.rv);
    b.set(k, obj);
    this.emit({ type: 'ADDED', resource: res, object: obj });
    return structuredClone(obj);
  }

  /**
   * Replaces an object. With `metadata.resourceVersion` set, it must match (optimistic concurrency:
   * 409 Conflict otherwise). `bumpGeneration` is decided by the caller (spec changed or not).
   */
  update(res: ResourceType, input: KObject, opts: { bumpGeneration?: boolean } = {}): KObject {
    const obj = structuredClone(input);
    const b = this.bucket(res);
    const k = Store.key(res.namespaced ? obj.metadata.namespace : undefined, obj.metadata.name);
    const old = b.get(k);
    if (!old) throw notFound(res, obj.metadata.name);
    if (obj.metadata.resourceVersion && obj.metadata.resourceVersion !== old.metadata.resourceVersion) {
      throw new ApiError(
        409,
        'Conflict',
        `Operation cannot be fulfilled on ${groupResource(res)} "${obj.metadata.name}": the object has been modified; please apply your changes to the latest version and try again`,
        { name: obj.metadata.name, group: res.group, kind: res.resource },
      );
    }
    // Immutable and server-owned metadata carry over.
    obj.metadata.uid = old.metadata.uid;
    obj.metadata.creationTimestamp = old.metadata.creationTimestamp;
    if (!res.namespaced) delete obj.metadata.namespace;
    else obj.metadata.namespace = old.metadata.namespace;
    if (res.generation)
      obj.metadata.generation = (old.metadata.generation ?? 1) + (opts.bumpGeneration ? 1 : 0);
    if (old.metadata.deletionTimestamp && !obj.metadata.deletionTimestamp)
      obj.metadata.deletionTimestamp = old.metadata.deletionTimestamp;
    if (JSON.stringify(stripRv(obj)) === JSON.stringify(stripRv(old))) return structuredClone(old); // no-op writes keep the resourceVersion, as the API server does
    obj.metadata.resourceVersion = String(++this.rv);
    b.set(k, obj);
    this.emit({ type: 'MODIFIED', resource: res, object: obj, old });
    return structuredClone(obj);
  }

  delete(res: ResourceType, namespace: string | undefined, name: string): KObject {
    const b = this.bucket(res);
    const k = Store.key(res.namespaced ? namespace : undefined, name);
    const old = b.get(k);
    if (!old) throw notFound(res, name);
    b.delete(k);
    const gone = structuredClone(old);
    gone.metadata.resourceVersion = String(++this.rv);
    this.emit({ type: 'DELETED', resource: res, object: gone, old });
    return structuredClone(gone);
  }

  /** Synchronous listener (controllers, garbage collector). Returns the unsubscribe function. */
  subscribe(fn: Listener): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /**
   * Events after `resourceVersion` for one resource type (for a watch that resumes).
   * Throws 410 Gone when the log no longer reaches that far back.
   */
  eventsSince(res: ResourceType, resourceVersion: number): StoreEvent[] {
    if (resourceVersion < this.oldestResourceVersion) {
      throw new ApiError(
        410,
        'Expired',
        `too old resource version: ${resourceVersion} (${this.oldestResourceVersion})`,
      );
    }
    return this.log
      .filter(
        (e) =>
          e.rv > resourceVersion &&
          e.event.resource.group === res.group &&
          e.event.resource.resource === res.resource,
      )
      .map((e) => structuredClone(e.event));
  }

  /** Drops history up to now, so that any watch resuming from an older version gets 410 Gone (for tests). */
  compact(): void {
    this.log.length = 0;
  }

  private emit(event: StoreEvent): void {
    this.log.push({ rv: this.rv, event: structuredClone(event) });
    if (this.log.length > this.historyLimit) this.log.splice(0, this.log.length - this.historyLimit);
    for (const l of [...this.listeners]) l(structuredClone(event));
  }
}

/** What decides a no-op write: everything but the resourceVersion and managedFields timestamps (ownership counts). */
function stripRv(o: KObject): KObject {
  const c = structuredClone(o);
  delete c.metadata.resourceVersion;
  if (Array.isArray(c.metadata.managedFields)) {
    c.metadata.managedFields = c.metadata.managedFields.map((m) => ({
      ...(m as Record<string, unknown>),
      time: undefined,
    }));
  }
  return c;
}

export function groupResource(res: ResourceType): string {
  return res.group ? `${res.resource}.${res.group}` : res.resource;
}

export function notFound(res: ResourceType, name: string): ApiError {
  return new ApiError(404, 'NotFound', `${groupResource(res)} "${name}" not found`, {
    name,
    group: res.group,
    kind: res.resource,
  });
}

const ALPHANUM = 'bcdfghjklmnpqrstvwxz2456789';
/** Kubernetes' generateName suffix alphabet (no vowels, no 0/1/3), five characters. */
export function randomSuffix(n = 5): string {
  let s = '';
  for (let i = 0; i < n; i++) s += ALPHANUM[Math.floor(Math.random() * ALPHANUM.length)];
  return s;
}
