import type { KObject, OwnerReference } from '../types';

/** Small shared helpers over loosely typed objects: selectors, owners, times, pod readiness. */

export interface LabelSelectorRequirement {
  key: string;
  operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
  values?: string[];
}

export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: LabelSelectorRequirement[];
}

export interface Condition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason?: string;
  message?: string;
  lastUpdateTime?: string;
  lastTransitionTime?: string;
  lastProbeTime?: string | null;
}

/** A structured label selector as `metav1.LabelSelectorAsSelector` evaluates it; empty selects everything. */
export function matchesSelector(
  selector: LabelSelector | undefined,
  labels: Record<string, string> | undefined,
): boolean {
  if (!selector) return false; // a nil selector selects nothing
  const l = labels ?? {};
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) if (l[k] !== v) return false;
  for (const e of selector.matchExpressions ?? []) {
    const has = Object.prototype.hasOwnProperty.call(l, e.key);
    const values = e.values ?? [];
    switch (e.operator) {
      case 'In':
        if (!has || !values.includes(l[e.key])) return false;
        break;
      case 'NotIn':
        if (has && values.includes(l[e.key])) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

export function controllerRef(obj: KObject): OwnerReference | undefined {
  return obj.metadata.ownerReferences?.find((r) => r.controller);
}

export function isControlledBy(obj: KObject, owner: KObject): boolean {
  return controllerRef(obj)?.uid === owner.metadata.uid;
}

export function newControllerRef(owner: KObject): OwnerReference {
  return {
    apiVersion: owner.apiVersion,
    kind: owner.kind,
    name: owner.metadata.name,
    uid: owner.metadata.uid!,
    controller: true,
    blockOwnerDeletion: true,
  };
}

/** metav1.Time: RFC 3339 with whole seconds. */
export function timestamp(d: Date): string {
  return d.toISOString().replace(/\.\d+Z$/, 'Z');
}

export function parseTime(s: string | undefined): number | undefined {
  if (!s) return undefined;
  const t = Date.parse(s);
  return Number.isNaN(t) ? undefined : t;
}

export function key(obj: KObject): string {
  return `${obj.metadata.namespace ?? ''}/${obj.metadata.name}`;
}

export function splitKey(k: string): [string | undefined, string] {
  const i = k.indexOf('/');
  return [k.slice(0, i) || undefined, k.slice(i + 1)];
}

// ---- pods ----

type Pod = KObject & { spec?: Record<string, unknown>; status?: Record<string, unknown> };

export function podPhase(pod: KObject): string {
  return ((pod as Pod).status?.phase as string | undefined) ?? 'Pending';
}

export function podConditions(pod: KObject): Condition[] {
  return ((pod as Pod).status?.conditions as Condition[] | undefined) ?? [];
}

export function podReadyCondition(pod: KObject): Condition | undefined {
  return podConditions(pod).find((c) => c.type === 'Ready');
}

export function isPodReady(pod: KObject): boolean {
  return podReadyCondition(pod)?.status === 'True';
}

/** Not finished and not being deleted (`controller.FilterActivePods`). */
export function isPodActive(pod: KObject): boolean {
  const phase = podPhase(pod);
  return phase !== 'Succeeded' && phase !== 'Failed' && !pod.metadata.deletionTimestamp;
}

/** When a Ready pod counts as available: Ready for `minReadySeconds` (strictly longer, as upstream). */
export function podAvailableAt(pod: KObject, minReadySeconds: number): number | undefined {
  const c = podReadyCondition(pod);
  if (c?.status !== 'True') return undefined;
  if (!minReadySeconds) return -Infinity;
  const since = parseTime(c.lastTransitionTime);
  return since === undefined ? undefined : since + minReadySeconds * 1000;
}

export function isPodAvailable(pod: KObject, minReadySeconds: number, now: Date): boolean {
  const at = podAvailableAt(pod, minReadySeconds);
  return at !== undefined && at < now.getTime();
}

// ---- int-or-percent ----

/** `intstr.GetScaledValueFromIntOrPercent`: a number, or "N%" of `total` rounded up or down. */
export function scaledValue(
  v: number | string | undefined,
  total: number,
  roundUp: boolean,
  field: string,
): number {
  if (v === undefined || v === null) return 0;
  if (typeof v === 'number') return v;
  const m = /^(\d+)%$/.exec(v);
  if (m) {
    const x = (Number(m[1]) * total) / 100;
    return roundUp ? Math.ceil(x) : Math.floor(x);
  }
  if (/^\d+$/.test(v)) return Number(v);
  throw new Error(`invalid value for IntOrString ${field}: invalid type: string is not a percentage`);
}

/**
 * `deploymentutil.ResolveFenceposts`: maxSurge rounds up, maxUnavailable rounds down, and both zero
 * would deadlock, so maxUnavailable becomes 1.
 */
export function resolveFenceposts(
  maxSurge: number | string | undefined,
  maxUnavailable: number | string | undefined,
  desired: number,
): { surge: number; unavailable: number } {
  const surge = scaledValue(maxSurge ?? '25%', desired, true, 'maxSurge');
  let unavailable = scaledValue(maxUnavailable ?? '25%', desired, false, 'maxUnavailable');
  if (surge === 0 && unavailable === 0) unavailable = 1;
  return { surge, unavailable };
}
