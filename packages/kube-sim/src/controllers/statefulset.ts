import { builtin, R } from '../resources';
import type { KObject } from '../types';
import type { Context } from './context';
import { computeHash } from './hash';
import {
  listRevisions,
  revisionData,
  templateOf,
  truncateHistory,
  updateRevision,
  type Revision,
} from './history';
import {
  isPodReady,
  newControllerRef,
  podAvailableAt,
  podPhase,
  splitKey,
  type LabelSelector,
} from './objects';
import { claim, writeStatus } from './ownership';
import { podFromTemplate, type PodTemplate } from './pods';

export const STATEFULSET = 'statefulset';
const PVCS = builtin('', 'persistentvolumeclaims');
const COMPONENT = 'statefulset-controller';
export const REVISION_LABEL = 'controller-revision-hash';

interface StatefulSetSpec {
  replicas?: number;
  selector?: LabelSelector;
  template?: PodTemplate;
  serviceName?: string;
  podManagementPolicy?: 'OrderedReady' | 'Parallel';
  updateStrategy?: { type?: 'RollingUpdate' | 'OnDelete'; rollingUpdate?: { partition?: number } };
  minReadySeconds?: number;
  revisionHistoryLimit?: number;
  volumeClaimTemplates?: Array<{
    metadata: { name: string; labels?: Record<string, string> };
    spec?: unknown;
  }>;
}

interface StatefulSetStatus {
  observedGeneration?: number;
  replicas: number;
  readyReplicas?: number;
  currentReplicas?: number;
  updatedReplicas?: number;
  availableReplicas: number;
  currentRevision?: string;
  updateRevision?: string;
  collisionCount?: number;
}

const ordinalOf = (set: KObject, pod: KObject): number => {
  const m = new RegExp(`^${set.metadata.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}-(\\d+)$`).exec(
    pod.metadata.name,
  );
  return m ? Number(m[1]) : -1;
};
const revisionOf = (pod: KObject): string | undefined => pod.metadata.labels?.[REVISION_LABEL];
const isCreated = (pod: KObject | undefined): pod is KObject => !!pod;
const isTerminating = (pod: KObject): boolean => !!pod.metadata.deletionTimestamp;
const isRunningAndReady = (pod: KObject): boolean => podPhase(pod) === 'Running' && isPodReady(pod);

/**
 * The StatefulSet controller (`defaultStatefulSetControl`): ControllerRevisions for current and update
 * revisions; pods `<set>-<ordinal>` created in order and each waited for (OrderedReady) or all at once
 * (Parallel); scale-down from the highest ordinal; RollingUpdate from the highest ordinal down to the
 * partition, one pod at a time; OnDelete replaces pods only when someone deletes them.
 */
export function syncStatefulSet(ctx: Context, k: string): void {
  const [ns, name] = splitKey(k);
  const set = ctx.store.get(R.statefulsets, ns, name);
  if (!set) return;
  const spec = (set.spec ?? {}) as StatefulSetSpec;
  const oldStatus = (set.status ?? {}) as Partial<StatefulSetStatus>;
  const replicaCount = spec.replicas ?? 1;
  const monotonic = (spec.podManagementPolicy ?? 'OrderedReady') !== 'Parallel';
  const minReady = spec.minReadySeconds ?? 0;
  const now = ctx.nowMs();
  const isAvailable = (pod: KObject): boolean => {
    const at = podAvailableAt(pod, minReady);
    if (at !== undefined && at >= now) ctx.enqueueAt(STATEFULSET, k, at + 1);
    return isRunningAndReady(pod) && at !== undefined && at < now;
  };

  // Revisions: the current one (what status says pods run) and the update one (the spec's template).
  const revisions = listRevisions(ctx, set, spec.selector);
  const { revision: updateRev, collisionCount } = updateRevision(
    ctx,
    set,
    revisions,
    {
      template: spec.template,
      labels: spec.template?.metadata?.labels ?? {},
      hash: (cc) => computeHash(revisionData(spec.template), cc),
      labelFor: (hash) => ({ 'controller.kubernetes.io/hash': hash }),
    },
    oldStatus.collisionCount,
  );
  const all = listRevisions(ctx, set, spec.selector);
  const currentRev: Revision = all.find((r) => r.metadata.name === oldStatus.currentRevision) ?? updateRev;
  const currentTemplate = templateOf(currentRev);
  const updateTemplate = templateOf(updateRev);

  const pods = claim(ctx, R.pods, set, spec.selector);
  const status: StatefulSetStatus = {
    observedGeneration: set.metadata.generation ?? 1,
    replicas: 0,
    readyReplicas: 0,
    currentReplicas: 0,
    updatedReplicas: 0,
    availableReplicas: 0,
    currentRevision: currentRev.metadata.name,
    updateRevision: updateRev.metadata.name,
  };
  if (collisionCount !== undefined) status.collisionCount = collisionCount;

  const replicas: Array<KObject | undefined> = new Array(replicaCount).fill(undefined);
  const condemned: KObject[] = [];
  for (const pod of pods) {
    status.replicas++;
    if (isRunningAndReady(pod)) status.readyReplicas!++;
    if (isAvailable(pod)) status.availableReplicas++;
    if (!isTerminating(pod)) {
      if (revisionOf(pod) === currentRev.metadata.name) status.currentReplicas!++;
      if (revisionOf(pod) === updateRev.metadata.name) status.updatedReplicas!++;
    }
    const ord = ordinalOf(set, pod);
    if (ord >= 0 && ord < replicaCount) replicas[ord] = pod;
    else if (ord >= replicaCount) condemned.push(pod);
  }
  condemned.sort((a, b) => ordinalOf(set, b) - ordinalOf(set, a));

  const strategy = spec.updateStrategy?.type ?? 'RollingUpdate';
  const partition = spec.updateStrategy?.rollingUpdate?.partition;
  /** `newVersionedStatefulSetPod`: below the partition (or not yet rolled), pods keep the current revision. */
  const revisionForOrdinal = (ord: number): [PodTemplate, string] => {
    const keepCurrent =
      strategy === 'RollingUpdate' &&
      (partition === undefined ? ord < (oldStatus.currentReplicas ?? 0) : ord < partition);
    return keepCurrent
      ? [currentTemplate, currentRev.metadata.name]
      : [updateTemplate, updateRev.metadata.name];
  };

  const finish = (): void => {
    // Rolling update complete: the update revision becomes the current one.
    if (
      strategy === 'RollingUpdate' &&
      status.updatedReplicas === status.replicas &&
      status.readyReplicas === status.replicas
    ) {
      status.currentReplicas = status.updatedReplicas;
      status.currentRevision = status.updateRevision;
    }
    const out: Record<string, unknown> = { ...status };
    for (const f of ['readyReplicas', 'currentReplicas', 'updatedReplicas']) if (!out[f]) delete out[f];
    writeStatus(ctx.store, R.statefulsets, set, out);
    const live = new Set([
      status.currentRevision!,
      status.updateRevision!,
      ...pods.map(revisionOf).filter((r): r is string => !!r),
    ]);
    truncateHistory(ctx, listRevisions(ctx, set, spec.selector), live, spec.revisionHistoryLimit ?? 10);
  };

  if (set.metadata.deletionTimestamp) return finish();

  for (let ord = 0; ord < replicaCount; ord++) {
    const pod = replicas[ord];
    if (pod && (podPhase(pod) === 'Failed' || podPhase(pod) === 'Succeeded')) {
      if (ctx.deletePod(pod))
        ctx.event(
          set,
          'Warning',
          'RecreatingFailedPod',
          `StatefulSet ${ns}/${name} is recreating failed Pod ${pod.metadata.name}`,
          COMPONENT,
        );
      if (monotonic) return finish();
      continue;
    }
    if (!isCreated(pod)) {
      const [template, revision] = revisionForOrdinal(ord);
      createPod(ctx, set, spec, ord, template, revision);
      if (monotonic) return finish();
      continue;
    }
    if (isTerminating(pod) && monotonic) return finish();
    if (!isRunningAndReady(pod) && monotonic) return finish();
    if (!isAvailable(pod) && monotonic) return finish();
  }

  const firstUnhealthy = [...replicas, ...condemned].find(
    (p) => !p || !isRunningAndReady(p) || isTerminating(p),
  );
  for (const pod of condemned) {
    if (isTerminating(pod)) {
      if (monotonic) return finish();
      continue;
    }
    if (!isRunningAndReady(pod) && monotonic && pod !== firstUnhealthy) return finish();
    deletePod(ctx, set, pod);
    if (monotonic) return finish();
  }

  if (strategy === 'OnDelete') return finish();

  for (let ord = replicaCount - 1; ord >= (partition ?? 0); ord--) {
    const pod = replicas[ord];
    if (!pod) continue;
    if (revisionOf(pod) !== updateRev.metadata.name && !isTerminating(pod)) {
      deletePod(ctx, set, pod);
      // Its replacement must come back at the update revision (see revisionForOrdinal).
      status.currentReplicas = Math.max(0, (status.currentReplicas ?? 0) - 1);
      return finish();
    }
    if (!isRunningAndReady(pod) || !isAvailable(pod) || isTerminating(pod)) return finish();
  }
  finish();
}

function createPod(
  ctx: Context,
  set: KObject,
  spec: StatefulSetSpec,
  ord: number,
  template: PodTemplate,
  revision: string,
): void {
  const name = `${set.metadata.name}-${ord}`;
  const pod = podFromTemplate(
    template,
    set,
    { name },
    {
      [REVISION_LABEL]: revision,
      'statefulset.kubernetes.io/pod-name': name,
      'apps.kubernetes.io/pod-index': String(ord),
    },
  );
  const podSpec = pod.spec as Record<string, unknown>;
  podSpec.hostname = name;
  if (spec.serviceName) podSpec.subdomain = spec.serviceName;
  // Each replica gets its own claims, `<claim>-<pod>`, kept when the pod goes (as upstream's default retention).
  const volumes = [...((podSpec.volumes as Array<Record<string, unknown>> | undefined) ?? [])];
  for (const t of spec.volumeClaimTemplates ?? []) {
    const claimName = `${t.metadata.name}-${name}`;
    if (!ctx.store.get(PVCS, set.metadata.namespace, claimName)) {
      ctx.store.create(PVCS, {
        apiVersion: 'v1',
        kind: 'PersistentVolumeClaim',
        metadata: {
          name: claimName,
          namespace: set.metadata.namespace,
          labels: { ...(spec.selector?.matchLabels ?? {}), ...(t.metadata.labels ?? {}) },
        },
        spec: structuredClone(t.spec ?? {}),
        status: { phase: 'Bound' },
      });
    }
    if (!volumes.some((v) => v.name === t.metadata.name))
      volumes.push({ name: t.metadata.name, persistentVolumeClaim: { claimName } });
  }
  if (volumes.length) podSpec.volumes = volumes;
  pod.metadata.ownerReferences = [newControllerRef(set)];
  ctx.store.create(R.pods, pod);
  ctx.event(
    set,
    'Normal',
    'SuccessfulCreate',
    `create Pod ${name} in StatefulSet ${set.metadata.name} successful`,
    COMPONENT,
  );
}

function deletePod(ctx: Context, set: KObject, pod: KObject): void {
  if (ctx.deletePod(pod))
    ctx.event(
      set,
      'Normal',
      'SuccessfulDelete',
      `delete Pod ${pod.metadata.name} in StatefulSet ${set.metadata.name} successful`,
      COMPONENT,
    );
}
