import { R } from '../resources';
import type { KObject } from '../types';
import type { Context } from './context';
import { isPodReady, matchesSelector, newControllerRef, podPhase, splitKey } from './objects';

export const ENDPOINTS = 'endpoints';
const SERVICE_NAME = 'kubernetes.io/service-name';
const MANAGED_BY = 'endpointslice.kubernetes.io/managed-by';

interface ServicePort {
  name?: string;
  port: number;
  targetPort?: number | string;
  protocol?: string;
}

interface PodLike {
  spec?: {
    nodeName?: string;
    containers?: Array<{ ports?: Array<{ name?: string; containerPort: number; protocol?: string }> }>;
  };
  status?: { podIP?: string };
}

/** The pod port a service port reaches: a number, a named container port, or the service port itself. */
function targetPort(pod: KObject, sp: ServicePort): number | undefined {
  const t = sp.targetPort ?? sp.port;
  if (typeof t === 'number') return t;
  if (/^\d+$/.test(t)) return Number(t);
  for (const c of (pod as PodLike).spec?.containers ?? []) {
    const p = c.ports?.find((x) => x.name === t);
    if (p) return p.containerPort;
  }
  return undefined;
}

/**
 * The endpoints and EndpointSlice controllers in one: for every Service with a selector, the pods it
 * selects that have an IP, as `Endpoints` (ready in `addresses`, unready in `notReadyAddresses`,
 * terminating left out) and as one `EndpointSlice` with ready/serving/terminating conditions.
 */
export function syncEndpoints(ctx: Context, k: string): void {
  const [ns, name] = splitKey(k);
  const svc = ctx.store.get(R.services, ns, name);
  const selector = (svc?.spec as { selector?: Record<string, string> } | undefined)?.selector;
  if (!svc || !selector || !Object.keys(selector).length) {
    // Gone, or a service without selector whose endpoints the user manages.
    if (!svc) {
      const ep = ctx.store.get(R.endpoints, ns, name);
      if (ep) ctx.store.delete(R.endpoints, ns, name);
    }
    return;
  }
  const ports = ((svc.spec as { ports?: ServicePort[] }).ports ?? []).map((p) => ({
    ...p,
    protocol: p.protocol ?? 'TCP',
  }));
  const publishNotReady =
    (svc.spec as { publishNotReadyAddresses?: boolean }).publishNotReadyAddresses === true;
  const pods = ctx.store
    .list(R.pods, {
      namespace: ns,
      filter: (p) => matchesSelector({ matchLabels: selector }, p.metadata.labels),
    })
    .filter((p) => (p as PodLike).status?.podIP && podPhase(p) !== 'Succeeded' && podPhase(p) !== 'Failed');

  const address = (p: KObject) => ({
    ip: (p as PodLike).status!.podIP!,
    ...((p as PodLike).spec?.nodeName ? { nodeName: (p as PodLike).spec!.nodeName } : {}),
    targetRef: { kind: 'Pod', namespace: ns, name: p.metadata.name, uid: p.metadata.uid },
  });
  const ready = pods.filter((p) => !p.metadata.deletionTimestamp && (publishNotReady || isPodReady(p)));
  const notReady = pods.filter((p) => !p.metadata.deletionTimestamp && !publishNotReady && !isPodReady(p));
  const first = pods[0];
  const epPorts = ports
    .map((sp) => ({ name: sp.name, port: first ? targetPort(first, sp) : undefined, protocol: sp.protocol }))
    .filter((p): p is { name: string | undefined; port: number; protocol: string } => p.port !== undefined);
  const subsets =
    ready.length || notReady.length
      ? [
          {
            ...(ready.length ? { addresses: ready.map(address) } : {}),
            ...(notReady.length ? { notReadyAddresses: notReady.map(address) } : {}),
            ...(epPorts.length
              ? { ports: epPorts.map((p) => (p.name ? p : { port: p.port, protocol: p.protocol })) }
              : {}),
          },
        ]
      : undefined;
  upsert(ctx, R.endpoints, {
    apiVersion: 'v1',
    kind: 'Endpoints',
    metadata: { name, namespace: ns, labels: { ...(svc.metadata.labels ?? {}) } },
    ...(subsets ? { subsets } : {}),
  });

  const slices = ctx.store.list(R.endpointslices, {
    namespace: ns,
    filter: (s) =>
      s.metadata.labels?.[SERVICE_NAME] === name &&
      s.metadata.labels?.[MANAGED_BY] === 'endpointslice-controller.k8s.io',
  });
  const slice: KObject = {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: {
      ...(slices[0] ? { name: slices[0].metadata.name } : { name: '', generateName: `${name}-` }),
      namespace: ns,
      labels: {
        ...(svc.metadata.labels ?? {}),
        [SERVICE_NAME]: name,
        [MANAGED_BY]: 'endpointslice-controller.k8s.io',
      },
      ownerReferences: [newControllerRef(svc)],
    },
    addressType: 'IPv4',
    endpoints: pods.map((p) => {
      const terminating = !!p.metadata.deletionTimestamp;
      return {
        addresses: [(p as PodLike).status!.podIP!],
        conditions: { ready: isPodReady(p) && !terminating, serving: isPodReady(p), terminating },
        ...((p as PodLike).spec?.nodeName ? { nodeName: (p as PodLike).spec!.nodeName } : {}),
        targetRef: { kind: 'Pod', namespace: ns, name: p.metadata.name, uid: p.metadata.uid },
      };
    }),
    ports: epPorts.map((p) => ({ name: p.name ?? '', port: p.port, protocol: p.protocol })),
  };
  if (slices[0]) upsert(ctx, R.endpointslices, slice);
  else ctx.store.create(R.endpointslices, slice);
}

function upsert(ctx: Context, res: typeof R.endpoints, obj: KObject): void {
  const existing = ctx.store.get(res, obj.metadata.namespace, obj.metadata.name);
  if (!existing) {
    ctx.store.create(res, obj);
    return;
  }
  const next: KObject = {
    ...existing,
    ...obj,
    metadata: { ...existing.metadata, labels: obj.metadata.labels, resourceVersion: undefined },
  };
  if (!('subsets' in obj)) delete next.subsets;
  ctx.store.update(res, next);
}

/** Services whose selector picks `pod` (with its labels before or after the change). */
export function servicesSelecting(ctx: Context, pod: KObject, old?: KObject): string[] {
  const out: string[] = [];
  for (const svc of ctx.store.list(R.services, { namespace: pod.metadata.namespace })) {
    const selector = (svc.spec as { selector?: Record<string, string> } | undefined)?.selector;
    if (!selector || !Object.keys(selector).length) continue;
    if (
      matchesSelector({ matchLabels: selector }, pod.metadata.labels) ||
      (old && matchesSelector({ matchLabels: selector }, old.metadata.labels))
    ) {
      out.push(`${svc.metadata.namespace ?? ''}/${svc.metadata.name}`);
    }
  }
  return out;
}
