import { ConfigurationError } from '@upgrade-actions/common';
import {
  applyManifests,
  isNotFound,
  POD_TEMPLATE_HASH_LABEL,
  revisionOf,
  type KubeClient,
  type KubeObject,
} from '@upgrade-actions/kube';
import type { Logger } from '@upgrade-actions/common';
import {
  FAILED_AT,
  FAILED_REASON,
  FAILED_REVISION,
  FAILED_TEMPLATE,
  markAnnotations,
  ROLLED_BACK_TO,
  templateFingerprint,
} from '@upgrade-actions/rollback';
import { canaryService, type Service } from '@upgrade-actions/traffic';
import { COLOUR_LABEL, selectorPatch, type Selector } from './colours';

export interface Deployment extends KubeObject {
  spec?: {
    replicas?: number;
    selector?: { matchLabels?: Selector };
    template?: { metadata?: { labels?: Selector }; spec?: unknown };
    [key: string]: unknown;
  };
  status?: {
    observedGeneration?: number;
    replicas?: number;
    updatedReplicas?: number;
    availableReplicas?: number;
    readyReplicas?: number;
  };
}

const deployments = (ns: string) => `/apis/apps/v1/namespaces/${encodeURIComponent(ns)}/deployments`;
const services = (ns: string) => `/api/v1/namespaces/${encodeURIComponent(ns)}/services`;
export const FIELD_MANAGER = 'upgrade-actions-promote';

/** A template's fingerprint as rollback's marks compare it, the colour label aside (blue and green run one template). */
export function fingerprintOf(template: unknown): string {
  const t = structuredClone(template ?? {}) as { metadata?: { labels?: Selector } };
  if (t.metadata?.labels) {
    delete t.metadata.labels[COLOUR_LABEL];
    if (!Object.keys(t.metadata.labels).length) delete t.metadata.labels;
  }
  return templateFingerprint(t as never);
}

export async function getDeployment(
  client: KubeClient,
  ns: string,
  name: string,
): Promise<Deployment | undefined> {
  try {
    return await client.get<Deployment>(`${deployments(ns)}/${encodeURIComponent(name)}`);
  } catch (e) {
    if (isNotFound(e)) return undefined;
    throw e;
  }
}

export async function getService(client: KubeClient, ns: string, name: string): Promise<Service | undefined> {
  try {
    return await client.get<Service>(`${services(ns)}/${encodeURIComponent(name)}`);
  } catch (e) {
    if (isNotFound(e)) return undefined;
    throw e;
  }
}

/**
 * The selector that picks the active workload's pods alone. A colour workload carries the colour label;
 * the workload deploy created (no colour) is pinned by its current ReplicaSet's pod-template-hash, as Argo
 * Rollouts pins its active Service — which needs its rollout to be complete (one ReplicaSet with pods).
 */
export async function pinSelector(
  client: KubeClient,
  ns: string,
  base: Selector,
  active: Deployment,
): Promise<Selector> {
  const name = active.metadata?.name ?? '';
  const colour = active.spec?.template?.metadata?.labels?.[COLOUR_LABEL];
  if (colour) return { ...base, [COLOUR_LABEL]: colour };
  const s = active.status ?? {};
  const want = active.spec?.replicas ?? 1;
  const complete =
    (s.observedGeneration ?? 0) >= (active.metadata?.generation ?? 0) &&
    (s.updatedReplicas ?? 0) === want &&
    (s.replicas ?? 0) === want &&
    (s.availableReplicas ?? 0) === want;
  if (!complete) {
    throw new ConfigurationError(
      `deployment ${name} is still rolling out (${s.updatedReplicas ?? 0}/${want} updated, ${s.availableReplicas ?? 0} available); promote once it is complete`,
    );
  }
  const list = await client.get<{ items: KubeObject[] }>(
    `/apis/apps/v1/namespaces/${encodeURIComponent(ns)}/replicasets`,
  );
  const owned = list.items.filter((rs) =>
    rs.metadata?.ownerReferences?.some((o) => o.controller && o.uid === active.metadata?.uid),
  );
  const revision = revisionOf(active);
  const current = owned.find((rs) => revisionOf(rs) === revision);
  const hash = current?.metadata?.labels?.[POD_TEMPLATE_HASH_LABEL];
  if (!hash)
    throw new Error(`deployment ${name}: no ReplicaSet for revision ${revision} to pin the Service to`);
  return { ...base, [POD_TEMPLATE_HASH_LABEL]: hash };
}

/** One merge patch of the Service: its selector (optional) and promote's annotations, together. */
export async function patchService(
  client: KubeClient,
  svc: Service,
  change: { selector?: Selector; annotations?: Record<string, string | null> },
): Promise<Service> {
  const patch: Record<string, unknown> = {};
  if (change.annotations) patch.metadata = { annotations: change.annotations };
  if (change.selector) patch.spec = { selector: selectorPatch(svc.spec?.selector ?? {}, change.selector) };
  const ns = svc.metadata?.namespace ?? 'default';
  return client.request<Service>('PATCH', `${services(ns)}/${encodeURIComponent(svc.metadata?.name ?? '')}`, {
    body: patch,
    contentType: 'application/merge-patch+json',
  });
}

/** `<service>-preview`: the Service's ports, selecting exactly `selector` (green while validated, then the active colour). */
export async function applyPreview(
  client: KubeClient,
  svc: Service,
  selector: Selector,
  logger: Logger,
): Promise<string> {
  const name = `${svc.metadata?.name}-preview`;
  const preview = canaryService({ ...svc, spec: { ...svc.spec, selector: {} } }, name, selector);
  const ns = svc.metadata?.namespace ?? 'default';
  await applyManifests(client, [{ object: preview, source: 'promote', document: 1 }], {
    fieldManager: FIELD_MANAGER,
    namespace: ns,
    logger,
  });
  return name;
}

export async function applyWorkload(
  client: KubeClient,
  ns: string,
  obj: KubeObject,
  logger: Logger,
): Promise<void> {
  await applyManifests(client, [{ object: obj, source: 'promote', document: 1 }], {
    fieldManager: FIELD_MANAGER,
    namespace: ns,
    logger,
  });
}

export async function scale(client: KubeClient, ns: string, name: string, replicas: number): Promise<void> {
  await client.request('PATCH', `${deployments(ns)}/${encodeURIComponent(name)}`, {
    body: { spec: { replicas } },
    contentType: 'application/merge-patch+json',
  });
}

/** rollback's failed-template mark on the green workload, so deploy and promote refuse the template later. */
export async function markFailed(
  client: KubeClient,
  ns: string,
  green: Deployment,
  fingerprint: string,
  reason: string,
  at: string,
): Promise<void> {
  await client.request('PATCH', `${deployments(ns)}/${encodeURIComponent(green.metadata?.name ?? '')}`, {
    body: {
      metadata: {
        annotations: markAnnotations({
          failedRevision: revisionOf(green) || 1,
          reason,
          at,
          templateFingerprint: fingerprint,
          rolledBackTo: 0,
        }),
      },
    },
    contentType: 'application/merge-patch+json',
  });
}

/** Removes a failed-template mark (left by an older release on the idle colour now reused). */
export async function clearMark(client: KubeClient, ns: string, name: string): Promise<void> {
  const annotations = Object.fromEntries(
    [FAILED_REVISION, FAILED_REASON, FAILED_AT, FAILED_TEMPLATE, ROLLED_BACK_TO].map((k) => [k, null]),
  );
  await client.request('PATCH', `${deployments(ns)}/${encodeURIComponent(name)}`, {
    body: { metadata: { annotations } },
    contentType: 'application/merge-patch+json',
  });
}
