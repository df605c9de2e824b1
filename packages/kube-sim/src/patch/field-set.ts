import { listStrategy } from './merge-keys';

/**
 * Field sets as server-side apply tracks them: each path is a list of FieldsV1 tokens joined by a newline
 * (`f:spec`, `k:{"name":"web"}` for an item of a list keyed by merge key, `v:"x"` for a set member).
 * A path naming a list item stands for the item itself (FieldsV1's `"."` entry).
 */
export type FieldSet = Set<string>;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

export const SEP = '\n';

/** Metadata the server owns; nobody "manages" these, as upstream leaves them out of managedFields. */
const SERVER_OWNED_METADATA = new Set([
  'name',
  'namespace',
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'managedFields',
  'selfLink',
]);

/** The fields an object (or an applied configuration) sets. `status` is left to the status subresource. */
export function fieldsOf(kind: string, obj: Obj): FieldSet {
  const out: FieldSet = new Set();
  for (const [key, value] of Object.entries(obj)) {
    if (key === 'apiVersion' || key === 'kind' || key === 'status') continue;
    if (key === 'metadata' && isObj(value)) {
      for (const [mk, mv] of Object.entries(value)) {
        if (SERVER_OWNED_METADATA.has(mk)) continue;
        walk(kind, mv, ['metadata', mk], ['f:metadata', `f:${mk}`], out);
      }
      continue;
    }
    walk(kind, value, [key], [`f:${key}`], out);
  }
  return out;
}

function walk(kind: string, value: unknown, names: string[], tokens: string[], out: FieldSet): void {
  if (isObj(value) && Object.keys(value).length) {
    for (const [k, v] of Object.entries(value)) walk(kind, v, [...names, k], [...tokens, `f:${k}`], out);
    return;
  }
  if (Array.isArray(value) && value.length) {
    const strategy = listStrategy(kind, names);
    if (strategy.kind === 'merge') {
      for (const item of value) {
        if (!isObj(item)) continue;
        const itemTokens = [...tokens, `k:${JSON.stringify({ [strategy.key]: item[strategy.key] })}`];
        out.add(itemTokens.join(SEP));
        for (const [k, v] of Object.entries(item))
          walk(kind, v, [...names, k], [...itemTokens, `f:${k}`], out);
      }
      return;
    }
    if (strategy.kind === 'set') {
      for (const item of value) out.add([...tokens, `v:${JSON.stringify(item)}`].join(SEP));
      return;
    }
  }
  out.add(tokens.join(SEP));
}

/** The value a path points at, or `undefined` when the object does not have it. */
export function valueAt(obj: unknown, path: string): unknown {
  let cur: unknown = obj;
  for (const tok of path.split(SEP)) {
    if (tok.startsWith('f:')) {
      if (!isObj(cur)) return undefined;
      cur = cur[tok.slice(2)];
    } else if (tok.startsWith('k:')) {
      if (!Array.isArray(cur)) return undefined;
      const key = JSON.parse(tok.slice(2)) as Obj;
      cur = cur.find((x) => isObj(x) && Object.entries(key).every(([k, v]) => x[k] === v));
    } else if (tok.startsWith('v:')) {
      if (!Array.isArray(cur)) return undefined;
      const want = tok.slice(2);
      cur = cur.find((x) => JSON.stringify(x) === want);
    } else return undefined;
    if (cur === undefined) return undefined;
  }
  return cur;
}

/** Removes what a path points at (a field, a keyed list item, a set member); absent paths are ignored. */
export function removeAt(obj: unknown, path: string): void {
  const tokens = path.split(SEP);
  const parentPath = tokens.slice(0, -1).join(SEP);
  const parent = tokens.length > 1 ? valueAt(obj, parentPath) : obj;
  const last = tokens[tokens.length - 1];
  if (last.startsWith('f:') && isObj(parent)) delete parent[last.slice(2)];
  else if (Array.isArray(parent)) {
    const idx = parent.findIndex((x) => valueAt([x], last) === x);
    if (idx >= 0) parent.splice(idx, 1);
  }
}

/** `f:spec\nf:replicas` → `.spec.replicas`, `k:{"name":"web"}` → `[name="web"]`, as conflict messages print paths. */
export function formatPath(path: string): string {
  return path
    .split(SEP)
    .map((tok) => {
      if (tok.startsWith('f:')) return `.${tok.slice(2)}`;
      if (tok.startsWith('k:')) {
        const key = JSON.parse(tok.slice(2)) as Obj;
        return `[${Object.entries(key)
          .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
          .join(',')}]`;
      }
      return `[=${tok.slice(2)}]`;
    })
    .join('');
}

/** FieldsV1 JSON (`{"f:spec":{"f:replicas":{}}}`) → field set. */
export function fromFieldsV1(fields: unknown, prefix: string[] = [], out: FieldSet = new Set()): FieldSet {
  if (!isObj(fields)) return out;
  for (const [tok, sub] of Object.entries(fields)) {
    if (tok === '.') {
      out.add(prefix.join(SEP));
      continue;
    }
    const path = [...prefix, tok];
    if (isObj(sub) && Object.keys(sub).length) fromFieldsV1(sub, path, out);
    else out.add(path.join(SEP));
  }
  return out;
}

/** Field set → FieldsV1 JSON, with `"."` marking a list item that is itself a member. */
export function toFieldsV1(set: FieldSet): Obj {
  const root: Obj = {};
  const paths = [...set].sort();
  for (const path of paths) {
    let cur = root;
    for (const tok of path.split(SEP)) cur = (cur[tok] ??= {}) as Obj;
  }
  for (const path of paths) {
    const node = valueAtTokens(root, path.split(SEP));
    if (node && Object.keys(node).length) node['.'] = {};
  }
  return root;
}

function valueAtTokens(root: Obj, tokens: string[]): Obj | undefined {
  let cur: Obj | undefined = root;
  for (const t of tokens) cur = cur?.[t] as Obj | undefined;
  return cur;
}
