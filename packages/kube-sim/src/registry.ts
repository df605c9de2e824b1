import { BUILTIN_RESOURCES, R } from './resources';
import type { Store } from './store';
import type { KObject, ResourceType } from './types';

/** One version of a CustomResourceDefinition, with what discovery and tables need from it. */
export interface CustomResourceType extends ResourceType {
  crd: string;
  storage: boolean;
  printerColumns: Array<{
    name: string;
    type: string;
    jsonPath: string;
    description?: string;
    priority?: number;
    format?: string;
  }>;
}

interface CrdSpec {
  group: string;
  scope: 'Namespaced' | 'Cluster';
  names: { plural: string; singular?: string; kind: string; shortNames?: string[]; categories?: string[] };
  versions: Array<{
    name: string;
    served?: boolean;
    storage?: boolean;
    subresources?: { status?: unknown; scale?: unknown };
    additionalPrinterColumns?: CustomResourceType['printerColumns'];
  }>;
}

/**
 * Every resource type the server serves: the built-ins plus, for each CustomResourceDefinition in the store,
 * one type per served version. CRDs are followed through a store listener, so a custom resource is served
 * the moment its definition is created (upstream takes a moment to establish it; tests need not wait).
 */
export class ResourceRegistry {
  private custom = new Map<string, CustomResourceType[]>();

  constructor(private readonly store: Store) {
    for (const crd of store.list(R.crds)) this.addCrd(crd);
    store.subscribe((e) => {
      if (
        e.resource !== R.crds &&
        !(e.resource.group === R.crds.group && e.resource.resource === R.crds.resource)
      )
        return;
      if (e.type === 'DELETED') this.removeCrd(e.object);
      else this.addCrd(e.object);
    });
  }

  all(): ResourceType[] {
    return [...BUILTIN_RESOURCES, ...[...this.custom.values()].flat()];
  }

  /** Group versions in the order discovery lists them; the first version of a group is its preferred one. */
  groups(): Array<{ group: string; versions: string[] }> {
    const out: Array<{ group: string; versions: string[] }> = [];
    for (const t of this.all()) {
      if (t.group === '') continue;
      let g = out.find((x) => x.group === t.group);
      if (!g) out.push((g = { group: t.group, versions: [] }));
      if (!g.versions.includes(t.version)) g.versions.push(t.version);
    }
    return out;
  }

  find(group: string, version: string, resource: string): ResourceType | undefined {
    return this.all().find((t) => t.group === group && t.version === version && t.resource === resource);
  }

  /** The type stored objects of this group/resource live under (custom resources: the storage version). */
  storageType(t: ResourceType): ResourceType {
    const versions = this.custom.get(`${t.resource}.${t.group}`);
    return versions?.find((v) => v.storage) ?? t;
  }

  private addCrd(crd: KObject): void {
    const spec = crd.spec as CrdSpec | undefined;
    if (!spec?.names?.plural || !spec.group) return;
    const types: CustomResourceType[] = spec.versions
      .filter((v) => v.served !== false)
      .map((v) => ({
        group: spec.group,
        version: v.name,
        resource: spec.names.plural,
        kind: spec.names.kind,
        namespaced: spec.scope !== 'Cluster',
        singular: spec.names.singular ?? spec.names.kind.toLowerCase(),
        shortNames: spec.names.shortNames,
        categories: spec.names.categories,
        subresources: [
          ...(v.subresources?.status ? ['status'] : []),
          ...(v.subresources?.scale ? ['scale'] : []),
        ],
        verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
        generation: true,
        crd: crd.metadata.name,
        storage: v.storage ?? true,
        printerColumns: v.additionalPrinterColumns ?? [],
      }));
    this.custom.set(`${spec.names.plural}.${spec.group}`, types);
  }

  private removeCrd(crd: KObject): void {
    const spec = crd.spec as CrdSpec | undefined;
    if (spec?.names?.plural) this.custom.delete(`${spec.names.plural}.${spec.group}`);
  }
}

export function isCustom(t: ResourceType): t is CustomResourceType {
  return 'crd' in t;
}
