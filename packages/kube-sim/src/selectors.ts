import { ApiError, type KObject } from './types';

export type Predicate = (obj: KObject) => boolean;

type Requirement =
  | { op: 'in' | 'notin'; key: string; values: string[] }
  | { op: 'exists' | '!'; key: string }
  | { op: '=' | '!='; key: string; values: [string] };

const LABEL_KEY = /^([a-z0-9]([-a-z0-9.]*[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const LABEL_VALUE = /^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?$/;

function badSelector(message: string): ApiError {
  return new ApiError(400, 'BadRequest', `unable to parse requirement: ${message}`);
}

/** Splits on commas that are not inside `( … )`, as `a in (x,y),b` has one. */
function splitTopLevel(s: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of s) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      parts.push(cur);
      cur = '';
    } else cur += ch;
  }
  parts.push(cur);
  return parts.map((p) => p.trim()).filter((p) => p !== '');
}

function checkKey(key: string): string {
  if (!LABEL_KEY.test(key) || key.length > 316) throw badSelector(`invalid label key "${key}"`);
  return key;
}

function checkValue(value: string): string {
  if (!LABEL_VALUE.test(value) || value.length > 63) throw badSelector(`invalid label value: "${value}"`);
  return value;
}

function parseRequirement(term: string): Requirement {
  let m = /^(\S+)\s+(in|notin)\s*\((.*)\)$/.exec(term);
  if (m) {
    const values = m[3]
      .split(',')
      .map((v) => v.trim())
      .filter((v, i, all) => v !== '' || all.length === 1);
    return { op: m[2] as 'in' | 'notin', key: checkKey(m[1]), values: values.map(checkValue) };
  }
  m = /^!\s*(\S+)$/.exec(term);
  if (m) return { op: '!', key: checkKey(m[1]) };
  m = /^([^=!\s]+)\s*(==|=|!=)\s*(\S*)$/.exec(term);
  if (m) return { op: m[2] === '!=' ? '!=' : '=', key: checkKey(m[1]), values: [checkValue(m[3])] };
  if (/^[^=!\s()]+$/.test(term)) return { op: 'exists', key: checkKey(term) };
  throw badSelector(`found '${term}', expected: a label selector requirement`);
}

function matches(req: Requirement, labels: Record<string, string>): boolean {
  const has = Object.prototype.hasOwnProperty.call(labels, req.key);
  const v = labels[req.key];
  switch (req.op) {
    case 'exists':
      return has;
    case '!':
      return !has;
    case '=':
      return has && v === req.values[0];
    case '!=':
      return !has || v !== req.values[0];
    case 'in':
      return has && req.values.includes(v);
    case 'notin':
      return !has || !req.values.includes(v);
  }
}

/**
 * Compiles a label selector string in the full syntax the API server accepts
 * (`a=b`, `a==b`, `a!=b`, `a in (x,y)`, `a notin (x)`, `a`, `!a`, comma = AND) into a predicate.
 */
export function parseLabelSelector(selector: string | undefined | null): Predicate {
  if (!selector || !selector.trim()) return () => true;
  const reqs = splitTopLevel(selector).map(parseRequirement);
  return (obj) => {
    const labels = obj.metadata?.labels ?? {};
    return reqs.every((r) => matches(r, labels));
  };
}

/** A structured selector (`matchLabels`, `matchExpressions`) as workloads carry it in `spec.selector`. */
export interface StructuredSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: Array<{ key: string; operator: string; values?: string[] }>;
}

/** Turns `spec.selector` into a predicate over labels; an empty selector matches everything, as upstream. */
export function labelSelectorPredicate(sel: StructuredSelector | undefined): Predicate {
  const reqs: Requirement[] = [];
  for (const [key, value] of Object.entries(sel?.matchLabels ?? {}))
    reqs.push({ op: '=', key, values: [value] });
  for (const e of sel?.matchExpressions ?? []) {
    const op = e.operator.toLowerCase();
    if (op === 'in' || op === 'notin') reqs.push({ op, key: e.key, values: e.values ?? [] });
    else if (op === 'exists') reqs.push({ op: 'exists', key: e.key });
    else if (op === 'doesnotexist') reqs.push({ op: '!', key: e.key });
    else throw new ApiError(400, 'BadRequest', `"${e.operator}" is not a valid label selector operator`);
  }
  return (obj) => reqs.every((r) => matches(r, obj.metadata?.labels ?? {}));
}

/** The string form kubectl prints for a structured selector (`app=web,tier in (a,b)`). */
export function formatLabelSelector(sel: StructuredSelector | undefined): string {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(sel?.matchLabels ?? {}).sort(([a], [b]) => a.localeCompare(b)))
    parts.push(`${k}=${v}`);
  for (const e of sel?.matchExpressions ?? []) {
    const op = e.operator.toLowerCase();
    if (op === 'exists') parts.push(e.key);
    else if (op === 'doesnotexist') parts.push(`!${e.key}`);
    else parts.push(`${e.key} ${op} (${(e.values ?? []).join(',')})`);
  }
  return parts.length ? parts.join(',') : '<none>';
}

/** Reads a dotted field path (`status.phase`) from an object; absent → ''. */
function fieldValue(obj: KObject, path: string): string {
  let cur: unknown = obj;
  for (const part of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return '';
    cur = (cur as Record<string, unknown>)[part];
  }
  if (cur === undefined || cur === null) return '';
  return String(cur);
}

/** Fields every kind supports; each kind adds its own (upstream registers them per kind). */
const COMMON_FIELDS = ['metadata.name', 'metadata.namespace'];
const KIND_FIELDS: Record<string, string[]> = {
  Pod: [
    'spec.nodeName',
    'spec.restartPolicy',
    'spec.schedulerName',
    'spec.serviceAccountName',
    'spec.hostNetwork',
    'status.phase',
    'status.podIP',
    'status.nominatedNodeName',
  ],
  Event: [
    'involvedObject.kind',
    'involvedObject.namespace',
    'involvedObject.name',
    'involvedObject.uid',
    'involvedObject.apiVersion',
    'involvedObject.resourceVersion',
    'involvedObject.fieldPath',
    'reason',
    'reportingComponent',
    'source',
    'type',
  ],
  Secret: ['type'],
  Namespace: ['status.phase'],
  Node: ['spec.unschedulable'],
  ReplicaSet: ['status.replicas'],
  Job: ['status.successful'],
};

/**
 * Compiles a field selector (`metadata.name=x,status.phase!=Running`) into a predicate. Unknown fields are
 * rejected with the API server's message, so callers learn the same thing a real cluster would tell them.
 */
export function parseFieldSelector(selector: string | undefined | null, kind: string): Predicate {
  if (!selector || !selector.trim()) return () => true;
  const allowed = new Set([...COMMON_FIELDS, ...(KIND_FIELDS[kind] ?? [])]);
  const terms = selector
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean);
  const checks = terms.map((term) => {
    const m = /^([^=!]+?)\s*(==|=|!=)\s*(.*)$/.exec(term);
    if (!m)
      throw new ApiError(400, 'BadRequest', `invalid selector: '${selector}'; can't understand '${term}'`);
    const [, field, op, value] = m;
    if (!allowed.has(field)) {
      throw new ApiError(400, 'BadRequest', `field label not supported: ${field}`);
    }
    return (obj: KObject) => (fieldValue(obj, field) === value) === (op !== '!=');
  });
  return (obj) => checks.every((c) => c(obj));
}
