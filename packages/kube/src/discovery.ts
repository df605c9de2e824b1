import { ConfigurationError } from '@upgrade-actions/common';
import type { KubeClient } from './client';
import { isNotFound } from './errors';

/** One REST resource, as API discovery describes it. */
export interface ResourceInfo {
  group: string;
  version: string;
  /** Plural: `deployments`. */
  resource: string;
  kind: string;
  namespaced: boolean;
  singular?: string;
  shortNames?: string[];
}

interface APIResourceList {
  resources?: {
    name: string;
    kind: string;
    namespaced: boolean;
    singularName?: string;
    shortNames?: string[];
  }[];
}

/** GA resources every conformant API server serves: known without a discovery round trip. */
const WELL_KNOWN: ResourceInfo[] = [
  ['apps', 'deployments', 'Deployment', 'deployment', ['deploy']],
  ['apps', 'statefulsets', 'StatefulSet', 'statefulset', ['sts']],
  ['apps', 'daemonsets', 'DaemonSet', 'daemonset', ['ds']],
  ['apps', 'replicasets', 'ReplicaSet', 'replicaset', ['rs']],
  ['apps', 'controllerrevisions', 'ControllerRevision', 'controllerrevision', []],
  ['', 'configmaps', 'ConfigMap', 'configmap', ['cm']],
  ['', 'secrets', 'Secret', 'secret', []],
  ['', 'services', 'Service', 'service', ['svc']],
  ['', 'serviceaccounts', 'ServiceAccount', 'serviceaccount', ['sa']],
  ['', 'pods', 'Pod', 'pod', ['po']],
  ['', 'persistentvolumeclaims', 'PersistentVolumeClaim', 'persistentvolumeclaim', ['pvc']],
].map(([group, resource, kind, singular, shortNames]) => ({
  group: group as string,
  version: 'v1',
  resource: resource as string,
  kind: kind as string,
  namespaced: true,
  singular: singular as string,
  shortNames: shortNames as string[],
}));

const matchesName = (r: ResourceInfo, name: string) =>
  r.resource === name ||
  r.singular === name ||
  r.kind.toLowerCase() === name ||
  !!r.shortNames?.includes(name);

/**
 * Maps kinds and kubectl-style type names (`deploy`, `deployments.apps`, `sts`) to REST paths using
 * the server's discovery documents, fetched lazily and cached per group/version. After creating a
 * CRD, `forget()` the group so its new kinds are found.
 */
export class Discovery {
  private cache = new Map<string, Promise<ResourceInfo[]>>();
  private groups?: Promise<string[]>;

  constructor(private readonly client: KubeClient) {}

  forget(groupVersion?: string): void {
    if (groupVersion) this.cache.delete(groupVersion);
    else this.cache.clear();
    this.groups = undefined;
  }

  /** The resources served under one group/version (`v1`, `apps/v1`). */
  resources(groupVersion: string): Promise<ResourceInfo[]> {
    let p = this.cache.get(groupVersion);
    if (!p) {
      const [group, version] = groupVersion.includes('/') ? groupVersion.split('/') : ['', groupVersion];
      const path = group ? `/apis/${group}/${version}` : `/api/${version}`;
      p = this.client.get<APIResourceList>(path).then(
        (list) =>
          (list.resources ?? [])
            .filter((r) => !r.name.includes('/'))
            .map((r) => ({
              group,
              version,
              resource: r.name,
              kind: r.kind,
              namespaced: r.namespaced,
              singular: r.singularName || r.kind.toLowerCase(),
              shortNames: r.shortNames ?? [],
            })),
        (e) => {
          this.cache.delete(groupVersion);
          if (isNotFound(e)) return [];
          throw e;
        },
      );
      this.cache.set(groupVersion, p);
    }
    return p;
  }

  /** The resource for an object's apiVersion and kind; undefined when the server does not serve it. */
  async forKind(apiVersion: string, kind: string): Promise<ResourceInfo | undefined> {
    const known = WELL_KNOWN.find(
      (r) => r.kind === kind && (r.group ? `${r.group}/v1` : 'v1') === apiVersion,
    );
    if (known) return known;
    return (await this.resources(apiVersion)).find((r) => r.kind === kind);
  }

  /** Preferred group/versions, core first, as kubectl searches them for a bare type name. */
  private preferredGroupVersions(): Promise<string[]> {
    this.groups ??= this.client
      .get<{ groups?: { preferredVersion?: { groupVersion: string } }[] }>('/apis')
      .then((g) => [
        'v1',
        ...(g.groups ?? []).map((x) => x.preferredVersion?.groupVersion).filter((x): x is string => !!x),
      ]);
    return this.groups;
  }

  /**
   * A type as typed on kubectl's command line: plural, singular, short name or kind, optionally
   * qualified by group (`deployments.apps`) or version and group (`deployments.v1.apps`).
   * Throws kubectl's `the server doesn't have a resource type "x"`.
   */
  async forType(typeArg: string): Promise<ResourceInfo> {
    const lower = typeArg.toLowerCase();
    const [name, ...rest] = lower.split('.');
    const qualifier = rest.join('.');
    const known = WELL_KNOWN.find(
      (r) => matchesName(r, name) && (!qualifier || qualifier === r.group || qualifier === `v1.${r.group}`),
    );
    if (known && (known.group || !qualifier)) return known;
    for (const gv of await this.preferredGroupVersions()) {
      const list = await this.resources(gv);
      for (const r of list) {
        if (qualifier && qualifier !== r.group && qualifier !== `${r.version}.${r.group}`) continue;
        if (
          r.resource === name ||
          r.singular === name ||
          r.kind.toLowerCase() === name ||
          r.shortNames?.includes(name)
        )
          return r;
      }
    }
    throw new ConfigurationError(`the server doesn't have a resource type "${typeArg}"`);
  }
}

/** The REST path of a collection (no name) or of one object. */
export function resourcePath(
  info: ResourceInfo,
  namespace: string | undefined,
  name?: string,
  sub?: string,
): string {
  const root = info.group ? `/apis/${info.group}/${info.version}` : `/api/${info.version}`;
  const ns = info.namespaced && namespace ? `/namespaces/${encodeURIComponent(namespace)}` : '';
  const obj = name ? `/${encodeURIComponent(name)}` : '';
  return `${root}${ns}/${info.resource}${obj}${sub ? `/${sub}` : ''}`;
}

/** `deployment.apps`, `service`: how kubectl names a resource in its output. */
export function kindGroup(info: Pick<ResourceInfo, 'kind' | 'group'>): string {
  return info.group ? `${info.kind.toLowerCase()}.${info.group}` : info.kind.toLowerCase();
}
