import { R } from '../resources';
import type { KObject } from '../types';
import type { Context } from './context';
import {
  isPodActive,
  isPodReady,
  matchesSelector,
  podAvailableAt,
  splitKey,
  type LabelSelector,
} from './objects';
import { claim, writeStatus } from './ownership';
import { deletionOrder, podFromTemplate, type PodTemplate } from './pods';

export const REPLICASET = 'replicaset';
const COMPONENT = 'replicaset-controller';
/** Upstream creates pods in slow-start batches up to 500 per sync (`BurstReplicas`). */
const BURST_REPLICAS = 500;

interface ReplicaSetSpec {
  replicas?: number;
  minReadySeconds?: number;
  selector?: LabelSelector;
  template?: PodTemplate;
}

/** Keeps `spec.replicas` active pods per ReplicaSet and reports them in status, as the ReplicaSet controller does. */
export function syncReplicaSet(ctx: Context, k: string): void {
  const [ns, name] = splitKey(k);
  const rs = ctx.store.get(R.replicasets, ns, name);
  if (!rs) return;
  const spec = (rs.spec ?? {}) as ReplicaSetSpec;
  const replicas = spec.replicas ?? 1;
  const minReady = spec.minReadySeconds ?? 0;

  let pods = claim(ctx, R.pods, rs, spec.selector).filter(isPodActive);
  if (!rs.metadata.deletionTimestamp) {
    const diff = pods.length - replicas;
    if (diff < 0) {
      for (let i = 0; i < Math.min(-diff, BURST_REPLICAS); i++) {
        const pod = ctx.store.create(
          R.pods,
          podFromTemplate(spec.template, rs, { generateName: `${rs.metadata.name}-` }),
        );
        pods.push(pod);
        ctx.event(rs, 'Normal', 'SuccessfulCreate', `Created pod: ${pod.metadata.name}`, COMPONENT);
      }
      if (-diff > BURST_REPLICAS) ctx.enqueue(REPLICASET, k);
    } else if (diff > 0) {
      const doomed = [...pods].sort(deletionOrder).slice(0, diff);
      for (const pod of doomed) {
        if (ctx.deletePod(pod))
          ctx.event(rs, 'Normal', 'SuccessfulDelete', `Deleted pod: ${pod.metadata.name}`, COMPONENT);
      }
      const gone = new Set(doomed.map((p) => p.metadata.uid));
      pods = pods.filter((p) => !gone.has(p.metadata.uid));
    }
  }

  const now = ctx.nowMs();
  const templateLabels = spec.template?.metadata?.labels ?? {};
  let ready = 0;
  let available = 0;
  let nextAvailable = Infinity;
  for (const pod of pods) {
    if (!isPodReady(pod)) continue;
    ready++;
    const at = podAvailableAt(pod, minReady);
    if (at === undefined) continue;
    if (at < now) available++;
    else nextAvailable = Math.min(nextAvailable, at);
  }
  // Pods turn available by the passage of time alone: come back when the next one does.
  if (nextAvailable !== Infinity) ctx.enqueueAt(REPLICASET, k, nextAvailable + 1);

  const old = (rs.status ?? {}) as Record<string, unknown>;
  const status: Record<string, unknown> = {
    replicas: pods.length,
    fullyLabeledReplicas: pods.filter((p) =>
      matchesSelector({ matchLabels: templateLabels }, p.metadata.labels),
    ).length,
    readyReplicas: ready,
    availableReplicas: available,
    observedGeneration: rs.metadata.generation ?? 1,
  };
  if (old.conditions) status.conditions = old.conditions;
  // Upstream omits zero counts (omitempty); `replicas` is always present.
  for (const f of ['fullyLabeledReplicas', 'readyReplicas', 'availableReplicas'])
    if (status[f] === 0) delete status[f];
  writeStatus(ctx.store, R.replicasets, rs, status);
}

/** Owner keys to re-sync when a pod changes. */
export function replicaSetOfPod(pod: KObject): string | undefined {
  const ref = pod.metadata.ownerReferences?.find((r) => r.controller && r.kind === 'ReplicaSet');
  return ref ? `${pod.metadata.namespace ?? ''}/${ref.name}` : undefined;
}
