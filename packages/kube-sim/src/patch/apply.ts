import { ApiError, type KObject } from '../types';
import { listStrategy } from './merge-keys';
import {
  fieldsOf,
  formatPath,
  fromFieldsV1,
  removeAt,
  SEP,
  toFieldsV1,
  valueAt,
  type FieldSet,
} from './field-set';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

export interface ManagedFieldsEntry {
  manager: string;
  operation: 'Apply' | 'Update';
  apiVersion: string;
  time: string;
  fieldsType: 'FieldsV1';
  fieldsV1: Obj;
  subresource?: string;
}

interface Owner {
  entry: ManagedFieldsEntry;
  set: FieldSet;
}

function owners(obj: KObject): Owner[] {
  const entries = (obj.metadata.managedFields ?? []) as ManagedFieldsEntry[];
  return entries.map((entry) => ({ entry, set: fromFieldsV1(entry.fieldsV1) }));
}

function writeOwners(obj: KObject, list: Owner[]): void {
  const kept = list.filter((o) => o.set.size > 0);
  const entries = kept.map((o) => ({ ...o.entry, fieldsV1: toFieldsV1(o.set) }));
  if (entries.length) obj.metadata.managedFields = entries;
  else delete obj.metadata.managedFields;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
const isItemPath = (p: string) => !p.split(SEP).pop()!.startsWith('f:');

/** How the API server names a manager in conflict messages (`"kubectl-scale" using apps/v1` for updates). */
function printManager(e: ManagedFieldsEntry): string {
  const name =
    JSON.stringify(e.manager) + (e.subresource ? ` with subresource ${JSON.stringify(e.subresource)}` : '');
  return e.operation === 'Update' ? `${name} using ${e.apiVersion}` : name;
}

function conflictError(conflicts: Array<{ owner: ManagedFieldsEntry; path: string }>): ApiError {
  let message: string;
  if (conflicts.length === 1) {
    message = `Apply failed with 1 conflict: conflict with ${printManager(conflicts[0].owner)}: ${formatPath(conflicts[0].path)}`;
  } else {
    const byManager = new Map<string, string[]>();
    for (const c of conflicts) {
      const m = printManager(c.owner);
      byManager.set(m, [...(byManager.get(m) ?? []), formatPath(c.path)]);
    }
    const lines: string[] = [];
    for (const m of [...byManager.keys()].sort()) {
      lines.push(`conflicts with ${m}:`);
      for (const p of byManager.get(m)!) lines.push(`- ${p}`);
    }
    message = `Apply failed with ${conflicts.length} conflicts: ${lines.join('\n')}`;
  }
  return new ApiError(409, 'Conflict', message, {
    causes: conflicts.map((c) => ({
      reason: 'FieldManagerConflict',
      message: `conflict with ${printManager(c.owner)}`,
      field: formatPath(c.path),
    })),
  });
}

/** Merges an applied configuration into a live object: maps merge, keyed lists merge by key, the rest replaces. */
function mergeApplied(kind: string, live: unknown, applied: unknown, names: string[]): unknown {
  if (isObj(applied)) {
    const out: Obj = isObj(live) ? live : {};
    for (const [k, v] of Object.entries(applied)) {
      if (v === null) delete out[k];
      else out[k] = mergeApplied(kind, out[k], v, [...names, k]);
    }
    return out;
  }
  if (Array.isArray(applied)) {
    const strategy = listStrategy(kind, names);
    if (strategy.kind === 'replace' || !Array.isArray(live)) return structuredClone(applied);
    const out = [...live];
    for (const item of applied) {
      if (strategy.kind === 'set') {
        if (!out.some((x) => same(x, item))) out.push(item);
        continue;
      }
      const idx = out.findIndex((x) => isObj(x) && isObj(item) && x[strategy.key] === item[strategy.key]);
      if (idx >= 0) out[idx] = mergeApplied(kind, out[idx], item, names);
      else out.push(structuredClone(item));
    }
    return out;
  }
  return applied;
}

export interface ApplyRequest {
  manager: string;
  force: boolean;
  apiVersion: string;
  now: string;
}

/**
 * Server-side apply (`application/apply-patch+yaml`): checks the applied fields against the other managers
 * (409 Conflict listing each field and its owner unless `force`), removes fields this manager applied
 * before but no longer does (when nobody else owns them), merges the configuration, and records the
 * manager's new field set in `metadata.managedFields`. `live` is undefined when apply creates the object.
 */
export function serverSideApply(
  kind: string,
  live: KObject | undefined,
  applied: KObject,
  req: ApplyRequest,
): KObject {
  if (!req.manager) {
    throw new ApiError(
      400,
      'BadRequest',
      'PATCH, application/apply-patch+yaml requests require a fieldManager',
    );
  }
  const appliedSet = fieldsOf(kind, applied as unknown as Obj);
  const base: KObject = live
    ? structuredClone(live)
    : { apiVersion: applied.apiVersion, kind: applied.kind, metadata: { name: applied.metadata.name } };
  const all = owners(base);
  const isMine = (o: Owner) => o.entry.manager === req.manager && o.entry.operation === 'Apply';
  const mine = all.find(isMine);
  const others = all.filter((o) => !isMine(o));

  const conflicts: Array<{ owner: ManagedFieldsEntry; path: string; o: Owner }> = [];
  for (const path of appliedSet) {
    if (isItemPath(path)) continue;
    const liveValue = valueAt(base, path);
    if (liveValue === undefined || same(liveValue, valueAt(applied, path))) continue;
    for (const o of others) if (o.set.has(path)) conflicts.push({ owner: o.entry, path, o });
  }
  if (conflicts.length && !req.force) throw conflictError(conflicts);
  for (const c of conflicts) c.o.set.delete(c.path);

  // Fields this manager stops applying go away, unless another manager still owns them (or something below them).
  const ownedByOthers = (p: string) =>
    others.some((o) => [...o.set].some((q) => q === p || q.startsWith(p + SEP)));
  const dropped = [...(mine?.set ?? [])].filter((p) => !appliedSet.has(p) && !ownedByOthers(p));
  // Shallowest first: removing a list item takes its fields with it.
  for (const p of dropped.sort((a, b) => a.length - b.length)) removeAt(base, p);

  const merged = mergeApplied(kind, base, stripServerMetadata(applied), []) as KObject;
  const mineNow: Owner = {
    entry: {
      manager: req.manager,
      operation: 'Apply',
      apiVersion: req.apiVersion,
      time: req.now,
      fieldsType: 'FieldsV1',
      fieldsV1: {},
    },
    set: appliedSet,
  };
  const rest = all.filter((o) => !isMine(o));
  writeOwners(merged, mine ? all.map((o) => (isMine(o) ? mineNow : o)) : [...rest, mineNow]);
  return merged;
}

function stripServerMetadata(applied: KObject): KObject {
  const c = structuredClone(applied);
  for (const k of ['uid', 'resourceVersion', 'generation', 'creationTimestamp', 'managedFields'])
    delete c.metadata[k];
  return c;
}

/**
 * Records a non-apply write (create, update, patch) by `manager`: the fields it changed become its own
 * (operation `Update`) and leave the other managers' sets; fields that no longer exist leave every set.
 */
export function trackUpdate(
  kind: string,
  old: KObject | undefined,
  next: KObject,
  manager: string,
  apiVersion: string,
  now: string,
  subresource?: string,
): void {
  const nextSet = fieldsOf(kind, next as unknown as Obj);
  // A list item is "changed" only when it is new; a change inside it belongs to the fields that changed.
  const changed = [...nextSet].filter((p) =>
    !old ? true : isItemPath(p) ? valueAt(old, p) === undefined : !same(valueAt(old, p), valueAt(next, p)),
  );
  const all = owners(next);
  for (const o of all) {
    const isThis =
      o.entry.manager === manager && o.entry.operation === 'Update' && o.entry.subresource === subresource;
    for (const p of [...o.set]) if (!nextSet.has(p) || (changed.includes(p) && !isThis)) o.set.delete(p);
  }
  if (changed.length && manager) {
    let entry = all.find(
      (o) =>
        o.entry.manager === manager && o.entry.operation === 'Update' && o.entry.subresource === subresource,
    );
    if (!entry) {
      const base = {
        manager,
        operation: 'Update' as const,
        apiVersion,
        time: now,
        fieldsType: 'FieldsV1' as const,
        fieldsV1: {},
      };
      entry = { entry: subresource ? { ...base, subresource } : base, set: new Set() };
      all.push(entry);
    }
    entry.entry.time = now;
    for (const p of changed) entry.set.add(p);
  }
  writeOwners(next, all);
}
