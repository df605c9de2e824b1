import { R } from '../resources';
import type { KObject } from '../types';
import type { Context } from './context';
import { computeHash } from './hash';
import { listRevisions, truncateHistory, updateRevision } from './history';
import { isPodReady, podAvailableAt, podPhase, scaledValue, splitKey, type LabelSelector } from './objects';
import { claim, writeStatus } from './ownership';
import { podFromTemplate, type PodTemplate } from './pods';
import { fitsNode } from './scheduler';

export const DAEMONSET = 'daemonset';
const COMPONENT = 'daemonset-controller';
const HASH_LABEL = 'controller-revision-hash';

interface DaemonSetSpec {
  selector?: LabelSelector;
  template?: PodTemplate;
  updateStrategy?: {
    type?: 'RollingUpdate' | 'OnDelete';
    rollingUpdate?: { maxUnavailable?: number | string; maxSurge?: number | string };
  };
  minReadySeconds?: number;
  revisionHistoryLimit?: number;
}

/** Tolerations the DaemonSet controller adds to every daemon pod (`util.AddOrUpdateDaemonPodTolerations`). */
const DAEMON_TOLERATIONS = [
  { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' },
  { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' },
  { key: 'node.kubernetes.io/disk-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/memory-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/pid-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' },
];

function daemonPodSpec(template: PodTemplate | undefined, nodeName: string): Record<string, unknown> {
  const spec = structuredClone(template?.spec ?? {}) as Record<string, unknown>;
  const tolerations = [...((spec.tolerations as Array<{ key?: string; effect?: string }> | undefined) ?? [])];
  for (const t of DAEMON_TOLERATIONS)
    if (!tolerations.some((x) => x.key === t.key && x.effect === t.effect)) tolerations.push(t);
  spec.tolerations = tolerations;
  // Upstream pins each daemon pod to its node with required node affinity on metadata.name.
  spec.affinity = {
    ...((spec.affinity as object | undefined) ?? {}),
    nodeAffinity: {
      requiredDuringSchedulingIgnoredDuringExecution: {
        nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [nodeName] }] }],
      },
    },
  };
  return spec;
}

/**
 * The DaemonSet controller: one pod per node the template fits (nodeSelector, taints with the daemon
 * tolerations, cordoned nodes included), ControllerRevisions per template, RollingUpdate bounded by
 * maxUnavailable or maxSurge, OnDelete, and the status `kubectl rollout status` reads.
 */
export function syncDaemonSet(ctx: Context, k: string): void {
  const [ns, name] = splitKey(k);
  const ds = ctx.store.get(R.daemonsets, ns, name);
  if (!ds) return;
  const spec = (ds.spec ?? {}) as DaemonSetSpec;
  const old = (ds.status ?? {}) as { collisionCount?: number };
  const minReady = spec.minReadySeconds ?? 0;
  const now = ctx.nowMs();
  const available = (pod: KObject): boolean => {
    const at = podAvailableAt(pod, minReady);
    if (at !== undefined && at >= now) ctx.enqueueAt(DAEMONSET, k, at + 1);
    return at !== undefined && at < now;
  };

  const revisions = listRevisions(ctx, ds, spec.selector);
  const { revision: cur, collisionCount } = updateRevision(
    ctx,
    ds,
    revisions,
    {
      template: spec.template,
      labels: spec.template?.metadata?.labels ?? {},
      hash: (cc) => computeHash(spec.template, cc),
      labelFor: (hash) => ({ [HASH_LABEL]: hash }),
      annotations: ds.metadata.annotations,
    },
    old.collisionCount,
  );
  const hash = cur.metadata.labels?.[HASH_LABEL] ?? '';
  const isUpdated = (pod: KObject): boolean => pod.metadata.labels?.[HASH_LABEL] === hash;

  const nodes = ctx.store.list(R.nodes);
  const pods = claim(ctx, R.pods, ds, spec.selector);
  const byNode = new Map<string, KObject[]>();
  for (const pod of pods) {
    const node = nodeOfDaemonPod(pod);
    if (!node || pod.metadata.deletionTimestamp) continue;
    byNode.set(node, [...(byNode.get(node) ?? []), pod]);
  }
  const shouldRun = (node: KObject): boolean =>
    fitsNode(daemonPodSpec(spec.template, node.metadata.name), node, true);
  const deleting = !!ds.metadata.deletionTimestamp;

  if (!deleting) {
    for (const node of nodes) {
      const here = byNode.get(node.metadata.name) ?? [];
      if (!shouldRun(node)) {
        for (const p of here) remove(ctx, ds, p);
        byNode.delete(node.metadata.name);
        continue;
      }
      const failed = here.filter((p) => podPhase(p) === 'Failed');
      for (const p of failed) remove(ctx, ds, p);
      const alive = here
        .filter((p) => podPhase(p) !== 'Failed')
        .sort((a, b) =>
          (a.metadata.creationTimestamp ?? '').localeCompare(b.metadata.creationTimestamp ?? ''),
        );
      if (alive.length === 0) {
        create(ctx, ds, spec, node.metadata.name, hash);
      } else if (alive.length > 1 && !(alive.some(isUpdated) && alive.some((p) => !isUpdated(p)))) {
        // Duplicates: keep the oldest.
        for (const p of alive.slice(1)) remove(ctx, ds, p);
      }
    }
    if ((spec.updateStrategy?.type ?? 'RollingUpdate') === 'RollingUpdate')
      rollingUpdate(ctx, ds, spec, nodes.filter(shouldRun), byNode, isUpdated, available, hash);
  }

  // Status from what exists now.
  const podsNow = claim(ctx, R.pods, ds, spec.selector).filter((p) => !p.metadata.deletionTimestamp);
  const desiredNodes = new Set(nodes.filter(shouldRun).map((n) => n.metadata.name));
  let current = 0;
  let misscheduled = 0;
  let ready = 0;
  let avail = 0;
  let updated = 0;
  const seen = new Set<string>();
  for (const pod of podsNow) {
    const node = nodeOfDaemonPod(pod);
    if (!node) continue;
    if (!desiredNodes.has(node)) {
      misscheduled++;
      continue;
    }
    if (seen.has(node)) continue;
    seen.add(node);
    current++;
    if (isPodReady(pod)) {
      ready++;
      if (available(pod)) avail++;
    }
    if (isUpdated(pod)) updated++;
  }
  const status: Record<string, unknown> = {
    currentNumberScheduled: current,
    numberMisscheduled: misscheduled,
    desiredNumberScheduled: desiredNodes.size,
    numberReady: ready,
    observedGeneration: ds.metadata.generation ?? 1,
    updatedNumberScheduled: updated,
    numberAvailable: avail,
    numberUnavailable: desiredNodes.size - avail,
  };
  if (collisionCount !== undefined) status.collisionCount = collisionCount;
  for (const f of ['updatedNumberScheduled', 'numberAvailable', 'numberUnavailable'])
    if (!status[f]) delete status[f];
  writeStatus(ctx.store, R.daemonsets, ds, status);
  const live = new Set([cur.metadata.name]);
  for (const r of listRevisions(ctx, ds, spec.selector)) {
    if (podsNow.some((p) => p.metadata.labels?.[HASH_LABEL] === r.metadata.labels?.[HASH_LABEL]))
      live.add(r.metadata.name);
  }
  truncateHistory(ctx, listRevisions(ctx, ds, spec.selector), live, spec.revisionHistoryLimit ?? 10);
}

/** The node a daemon pod is bound to, or pinned to by its affinity before binding. */
function nodeOfDaemonPod(pod: KObject): string | undefined {
  const spec = (pod.spec ?? {}) as {
    nodeName?: string;
    affinity?: {
      nodeAffinity?: {
        requiredDuringSchedulingIgnoredDuringExecution?: {
          nodeSelectorTerms?: Array<{ matchFields?: Array<{ key: string; values?: string[] }> }>;
        };
      };
    };
  };
  if (spec.nodeName) return spec.nodeName;
  const terms =
    spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? [];
  return terms.flatMap((t) => t.matchFields ?? []).find((f) => f.key === 'metadata.name')?.values?.[0];
}

/** `rollingUpdate` of upstream's update.go: replace old pods within maxUnavailable, or surge first with maxSurge. */
function rollingUpdate(
  ctx: Context,
  ds: KObject,
  spec: DaemonSetSpec,
  nodes: KObject[],
  byNode: Map<string, KObject[]>,
  isUpdated: (p: KObject) => boolean,
  available: (p: KObject) => boolean,
  hash: string,
): void {
  const ru = spec.updateStrategy?.rollingUpdate;
  const desired = nodes.length;
  const maxSurge = scaledValue(ru?.maxSurge ?? 0, desired, true, 'maxSurge');
  let maxUnavailable = scaledValue(
    ru?.maxUnavailable ?? (maxSurge > 0 ? 0 : 1),
    desired,
    true,
    'maxUnavailable',
  );
  if (maxSurge === 0 && maxUnavailable === 0) maxUnavailable = 1;
  const split = (n: KObject): { newPod?: KObject; oldPod?: KObject; alive: KObject[] } => {
    const alive = (byNode.get(n.metadata.name) ?? []).filter((p) => podPhase(p) !== 'Failed');
    return { newPod: alive.find(isUpdated), oldPod: alive.find((p) => !isUpdated(p)), alive };
  };

  if (maxSurge === 0) {
    let unavailable = 0;
    const replace: KObject[] = [];
    const candidates: KObject[] = [];
    for (const n of nodes) {
      const { newPod, oldPod } = split(n);
      if ((!oldPod && !newPod) || (oldPod && newPod)) unavailable++;
      else if (newPod) {
        if (!available(newPod)) unavailable++;
      } else if (oldPod) {
        if (!available(oldPod)) replace.push(oldPod);
        else if (unavailable < maxUnavailable) candidates.push(oldPod);
      }
    }
    const budget = Math.min(Math.max(0, maxUnavailable - unavailable), candidates.length);
    for (const p of [...replace, ...candidates.slice(0, budget)]) remove(ctx, ds, p);
    return;
  }

  // Surge: start the new pod next to the old one, delete the old one once the new one is available.
  let surging = 0;
  for (const n of nodes) {
    const { newPod, oldPod } = split(n);
    if (newPod && oldPod) surging++;
  }
  for (const n of nodes) {
    const { newPod, oldPod } = split(n);
    if (!oldPod) continue;
    if (newPod) {
      if (available(newPod)) remove(ctx, ds, oldPod);
    } else if (!available(oldPod) || surging < maxSurge) {
      if (available(oldPod)) surging++;
      create(ctx, ds, spec, n.metadata.name, hash);
    }
  }
}

function create(ctx: Context, ds: KObject, spec: DaemonSetSpec, nodeName: string, hash: string): void {
  const pod = podFromTemplate(
    spec.template,
    ds,
    { generateName: `${ds.metadata.name}-` },
    {
      [HASH_LABEL]: hash,
      'pod-template-generation': String(ds.metadata.generation ?? 1),
    },
  );
  pod.spec = daemonPodSpec(spec.template, nodeName);
  const created = ctx.store.create(R.pods, pod);
  ctx.event(ds, 'Normal', 'SuccessfulCreate', `Created pod: ${created.metadata.name}`, COMPONENT);
}

function remove(ctx: Context, ds: KObject, pod: KObject): void {
  if (ctx.deletePod(pod))
    ctx.event(ds, 'Normal', 'SuccessfulDelete', `Deleted pod: ${pod.metadata.name}`, COMPONENT);
}
