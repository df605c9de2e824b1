import type { ResourceRegistry } from '../registry';
import type { ResourceType } from '../types';

/** The Kubernetes version the simulator claims; kubectl v1.32 is on the machine and within skew. */
export const SIM_VERSION = { major: '1', minor: '32', gitVersion: 'v1.32.0-kube-sim' };

export function versionInfo(): Record<string, string> {
  return {
    ...SIM_VERSION,
    gitCommit: '0000000000000000000000000000000000000000',
    gitTreeState: 'clean',
    buildDate: '2026-01-01T00:00:00Z',
    goVersion: 'go1.23.0',
    compiler: 'gc',
    platform: 'linux/amd64',
  };
}

export function apiVersions(host: string): Record<string, unknown> {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: host }],
  };
}

function apiGroup(g: { group: string; versions: string[] }): Record<string, unknown> {
  const versions = g.versions.map((v) => ({ groupVersion: `${g.group}/${v}`, version: v }));
  return { name: g.group, versions, preferredVersion: versions[0] };
}

export function apiGroupList(registry: ResourceRegistry): Record<string, unknown> {
  return { kind: 'APIGroupList', apiVersion: 'v1', groups: registry.groups().map(apiGroup) };
}

export function apiGroupDoc(registry: ResourceRegistry, group: string): Record<string, unknown> | undefined {
  const g = registry.groups().find((x) => x.group === group);
  return g ? { kind: 'APIGroup', apiVersion: 'v1', ...apiGroup(g) } : undefined;
}

/** How a subresource is advertised: `deployments/scale` is an `autoscaling/v1` `Scale`, `pods/log` a `Pod`, … */
function subresourceEntry(t: ResourceType, sub: string): Record<string, unknown> {
  const base = { name: `${t.resource}/${sub}`, singularName: '', namespaced: t.namespaced };
  switch (sub) {
    case 'scale':
      return {
        ...base,
        group: 'autoscaling',
        version: 'v1',
        kind: 'Scale',
        verbs: ['get', 'patch', 'update'],
      };
    case 'log':
      return { ...base, kind: 'Pod', verbs: ['get'] };
    case 'eviction':
      return { ...base, group: 'policy', version: 'v1', kind: 'Eviction', verbs: ['create'] };
    case 'proxy':
      return {
        ...base,
        kind: t.kind === 'Pod' ? 'PodProxyOptions' : 'ServiceProxyOptions',
        verbs: ['create', 'delete', 'get', 'patch', 'update'],
      };
    default:
      return { ...base, kind: t.kind, verbs: ['get', 'patch', 'update'] };
  }
}

export function apiResourceList(
  registry: ResourceRegistry,
  group: string,
  version: string,
): Record<string, unknown> | undefined {
  const types = registry.all().filter((t) => t.group === group && t.version === version);
  if (!types.length) return undefined;
  const resources: Record<string, unknown>[] = [];
  for (const t of types) {
    resources.push({
      name: t.resource,
      singularName: t.singular ?? t.kind.toLowerCase(),
      namespaced: t.namespaced,
      kind: t.kind,
      verbs: t.verbs,
      ...(t.shortNames?.length ? { shortNames: t.shortNames } : {}),
      ...(t.categories?.length ? { categories: t.categories } : {}),
      storageVersionHash: '',
    });
    for (const sub of t.subresources ?? []) resources.push(subresourceEntry(t, sub));
  }
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: group ? `${group}/${version}` : version,
    resources,
  };
}

/** `Accept` asking for aggregated discovery (one request for all resources of `/api` or `/apis`). */
export function wantsAggregated(accept: string | undefined): 'v2' | 'v2beta1' | undefined {
  for (const part of (accept ?? '').split(',')) {
    const params = part.split(';').map((p) => p.trim());
    if (!params.includes('g=apidiscovery.k8s.io') || !params.includes('as=APIGroupDiscoveryList')) continue;
    if (params.includes('v=v2')) return 'v2';
    if (params.includes('v=v2beta1')) return 'v2beta1';
  }
  return undefined;
}

export function aggregatedContentType(version: 'v2' | 'v2beta1'): string {
  return `application/json;g=apidiscovery.k8s.io;v=${version};as=APIGroupDiscoveryList`;
}

function discoveryResource(t: ResourceType): Record<string, unknown> {
  return {
    resource: t.resource,
    responseKind: { group: t.group, version: t.version, kind: t.kind },
    scope: t.namespaced ? 'Namespaced' : 'Cluster',
    singularResource: t.singular ?? t.kind.toLowerCase(),
    verbs: t.verbs,
    ...(t.shortNames?.length ? { shortNames: t.shortNames } : {}),
    ...(t.categories?.length ? { categories: t.categories } : {}),
    subresources: (t.subresources ?? []).map((sub) => {
      const e = subresourceEntry(t, sub);
      return {
        subresource: sub,
        responseKind: {
          group: (e.group as string) ?? t.group,
          version: (e.version as string) ?? t.version,
          kind: e.kind,
        },
        verbs: e.verbs,
      };
    }),
  };
}

/**
 * Aggregated discovery (`apidiscovery.k8s.io` `APIGroupDiscoveryList`): the legacy core group for `/api`,
 * every other group for `/apis`, each version with its resources. kubectl asks for it first and then
 * needs two requests instead of one per group version.
 */
export function aggregatedDiscovery(
  registry: ResourceRegistry,
  legacy: boolean,
  version: 'v2' | 'v2beta1',
): Record<string, unknown> {
  const groups = legacy ? [{ group: '', versions: ['v1'] }] : registry.groups();
  return {
    kind: 'APIGroupDiscoveryList',
    apiVersion: `apidiscovery.k8s.io/${version}`,
    metadata: {},
    items: groups.map((g) => ({
      metadata: g.group ? { name: g.group } : {},
      versions: g.versions.map((v) => ({
        version: v,
        resources: registry
          .all()
          .filter((t) => t.group === g.group && t.version === v)
          .map(discoveryResource),
        freshness: 'Current',
      })),
    })),
  };
}
