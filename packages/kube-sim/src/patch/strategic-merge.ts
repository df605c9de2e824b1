import { ApiError } from '../types';
import { listStrategy } from './merge-keys';

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

const RETAIN_KEYS = '$retainKeys';
const PATCH = '$patch';
const SET_ORDER = '$setElementOrder/';
const DELETE_PRIMITIVE = '$deleteFromPrimitiveList/';

/**
 * Applies a strategic merge patch (`application/strategic-merge-patch+json`) to a built-in object, the way the
 * API server does for kubectl's `set image`, `label`, `rollout restart` and client-side `apply`: maps merge,
 * lists of the built-in kinds merge by their patch merge key (containers by `name`, container ports by
 * `containerPort`, …), other lists are replaced, and the directives `$patch: replace|delete|merge`,
 * `$retainKeys`, `$setElementOrder/<list>` and `$deleteFromPrimitiveList/<list>` are honoured.
 */
export function applyStrategicMergePatch(kind: string, original: unknown, patch: unknown): unknown {
  if (!isObj(patch)) throw new ApiError(400, 'BadRequest', 'strategic merge patch must be a JSON object');
  return mergeMap(kind, isObj(original) ? structuredClone(original) : {}, patch, []);
}

function mergeMap(kind: string, original: Obj, patch: Obj, path: string[]): Obj | undefined {
  const directive = patch[PATCH];
  if (directive === 'delete') return undefined;
  if (directive === 'replace') {
    const replaced = structuredClone(patch);
    delete replaced[PATCH];
    return stripDirectives(replaced) as Obj;
  }
  const out = original;
  const retain = patch[RETAIN_KEYS];
  for (const [key, value] of Object.entries(patch)) {
    if (key === PATCH || key === RETAIN_KEYS || key.startsWith(SET_ORDER)) continue;
    if (key.startsWith(DELETE_PRIMITIVE)) {
      const field = key.slice(DELETE_PRIMITIVE.length);
      if (Array.isArray(out[field]) && Array.isArray(value)) {
        out[field] = (out[field] as unknown[]).filter((x) => !value.includes(x));
      }
      continue;
    }
    if (value === null) {
      delete out[key];
      continue;
    }
    const childPath = [...path, key];
    if (isObj(value)) {
      const merged = mergeMap(kind, isObj(out[key]) ? (out[key] as Obj) : {}, value, childPath);
      if (merged === undefined) delete out[key];
      else out[key] = merged;
    } else if (Array.isArray(value)) {
      out[key] = mergeList(kind, Array.isArray(out[key]) ? (out[key] as unknown[]) : [], value, childPath);
    } else {
      out[key] = value;
    }
  }
  for (const [key, value] of Object.entries(patch)) {
    if (key.startsWith(SET_ORDER) && Array.isArray(value)) {
      const field = key.slice(SET_ORDER.length);
      if (Array.isArray(out[field]))
        out[field] = reorder(kind, out[field] as unknown[], value, [...path, field]);
    }
  }
  if (Array.isArray(retain)) {
    for (const key of Object.keys(out)) if (!retain.includes(key)) delete out[key];
  }
  return out;
}

function mergeList(kind: string, original: unknown[], patch: unknown[], path: string[]): unknown[] {
  const strategy = listStrategy(kind, path);
  if (patch.some((x) => isObj(x) && x[PATCH] === 'replace')) {
    return stripDirectives(patch.filter((x) => !(isObj(x) && x[PATCH] === 'replace'))) as unknown[];
  }
  if (strategy.kind === 'set') {
    const out = [...original];
    for (const v of patch) if (!out.includes(v)) out.push(v);
    return out;
  }
  if (strategy.kind === 'replace') return stripDirectives(patch) as unknown[];
  const key = strategy.key;
  const out = [...original];
  for (const item of patch) {
    if (!isObj(item)) continue;
    const idx = out.findIndex((o) => isObj(o) && o[key] === item[key]);
    if (item[PATCH] === 'delete') {
      if (idx >= 0) out.splice(idx, 1);
      continue;
    }
    if (idx >= 0) {
      const merged = mergeMap(kind, out[idx] as Obj, item, path);
      if (merged === undefined) out.splice(idx, 1);
      else out[idx] = merged;
    } else {
      out.push(stripDirectives(item));
    }
  }
  return out;
}

/** Orders a merged list as `$setElementOrder` says; items it does not name keep their place after those it does. */
function reorder(kind: string, list: unknown[], order: unknown[], path: string[]): unknown[] {
  const strategy = listStrategy(kind, path);
  const keyOf = (x: unknown) => (strategy.kind === 'merge' && isObj(x) ? x[strategy.key] : x);
  const wanted = order.map((o) => (strategy.kind === 'merge' && isObj(o) ? o[strategy.key] : o));
  const ordered = wanted.flatMap((k) => list.filter((x) => keyOf(x) === k));
  const rest = list.filter((x) => !wanted.includes(keyOf(x)));
  return [...ordered, ...rest];
}

function stripDirectives(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(stripDirectives);
  if (!isObj(v)) return v;
  const out: Obj = {};
  for (const [k, x] of Object.entries(v)) {
    if (k === PATCH || k === RETAIN_KEYS || k.startsWith(SET_ORDER) || k.startsWith(DELETE_PRIMITIVE))
      continue;
    if (x === null) continue;
    out[k] = stripDirectives(x);
  }
  return out;
}
