import {
  isOwnedBy,
  revisionOf,
  selectorString,
  type ControllerRevision,
  type KubeClient,
  type KubeObject,
  type StatefulSet,
} from '@upgrade-actions/kube';

/**
 * The revision a workload runs now, as `kubectl rollout history` numbers it: a Deployment's
 * `deployment.kubernetes.io/revision`; for a StatefulSet the ControllerRevision named by
 * `status.updateRevision`; for a DaemonSet (which has no such field) its newest ControllerRevision.
 */
export async function currentRevision(client: KubeClient, obj: KubeObject): Promise<number> {
  if (obj.kind === 'Deployment') return revisionOf(obj);
  const ns = obj.metadata?.namespace ?? '';
  const list = await client.get<{ items?: ControllerRevision[] }>(
    `/apis/apps/v1/namespaces/${encodeURIComponent(ns)}/controllerrevisions`,
    { query: { labelSelector: selectorString((obj as StatefulSet).spec?.selector) } },
  );
  const owned = (list.items ?? []).filter((r) => !!r.metadata?.ownerReferences?.length && isOwnedBy(r, obj));
  const update = (obj as StatefulSet).status?.updateRevision;
  const named = update ? owned.find((r) => r.metadata?.name === update) : undefined;
  if (named) return named.revision ?? 0;
  return owned.reduce((max, r) => Math.max(max, r.revision ?? 0), 0);
}
