import type { KObject } from '../types';
import { newControllerRef, parseTime, podPhase, isPodReady, podReadyCondition } from './objects';

export interface PodTemplate {
  metadata?: { labels?: Record<string, string>; annotations?: Record<string, string>; [k: string]: unknown };
  spec?: Record<string, unknown>;
}

/** A pod for `owner` from its template (`controller.GetPodFromTemplate`). */
export function podFromTemplate(
  template: PodTemplate | undefined,
  owner: KObject,
  name: { generateName?: string; name?: string },
  extraLabels: Record<string, string> = {},
): KObject {
  const t = structuredClone(template ?? {});
  const meta: KObject['metadata'] = {
    name: name.name ?? '',
    namespace: owner.metadata.namespace,
    labels: { ...(t.metadata?.labels ?? {}), ...extraLabels },
    ownerReferences: [newControllerRef(owner)],
  };
  if (name.generateName) meta.generateName = name.generateName;
  if (t.metadata?.annotations && Object.keys(t.metadata.annotations).length)
    meta.annotations = t.metadata.annotations;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: meta,
    spec: t.spec ?? {},
    status: { phase: 'Pending', qosClass: 'BestEffort' },
  };
}

function maxRestarts(pod: KObject): number {
  const cs =
    (pod.status as { containerStatuses?: Array<{ restartCount?: number }> } | undefined)?.containerStatuses ??
    [];
  return cs.reduce((m, c) => Math.max(m, c.restartCount ?? 0), 0);
}

const PHASE_RANK: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };

/**
 * Orders pods so the ones to delete first come first (`controller.ActivePods` Less): unscheduled
 * before scheduled, Pending before Unknown before Running, not ready before ready, ready for less
 * time first, more restarts first, newer first.
 */
export function deletionOrder(a: KObject, b: KObject): number {
  const na = (a.spec as { nodeName?: string } | undefined)?.nodeName ?? '';
  const nb = (b.spec as { nodeName?: string } | undefined)?.nodeName ?? '';
  if ((na === '') !== (nb === '')) return na === '' ? -1 : 1;
  const pa = PHASE_RANK[podPhase(a)] ?? 1;
  const pb = PHASE_RANK[podPhase(b)] ?? 1;
  if (pa !== pb) return pa - pb;
  const ra = isPodReady(a);
  const rb = isPodReady(b);
  if (ra !== rb) return ra ? 1 : -1;
  if (ra && rb) {
    const ta = parseTime(podReadyCondition(a)?.lastTransitionTime) ?? 0;
    const tb = parseTime(podReadyCondition(b)?.lastTransitionTime) ?? 0;
    if (ta !== tb) return tb - ta;
  }
  const xa = maxRestarts(a);
  const xb = maxRestarts(b);
  if (xa !== xb) return xb - xa;
  const ca = parseTime(a.metadata.creationTimestamp) ?? 0;
  const cb = parseTime(b.metadata.creationTimestamp) ?? 0;
  if (ca !== cb) return cb - ca;
  return b.metadata.name.localeCompare(a.metadata.name);
}
