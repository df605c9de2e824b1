/**
 * Patch merge keys of the built-in kinds (the `patchMergeKey`/`patchStrategy` struct tags in k8s.io/api),
 * looked up by where a list sits rather than by a full schema: the list's field name and the field that
 * holds it are enough to tell container ports (`containerPort`) from Service ports (`port`).
 */
export type ListStrategy = { kind: 'merge'; key: string } | { kind: 'set' } | { kind: 'replace' };

const CONTAINER_LISTS = new Set(['containers', 'initContainers', 'ephemeralContainers']);

/** `path` is the chain of field names from the object root to the list (array positions left out). */
export function listStrategy(kind: string, path: string[]): ListStrategy {
  const field = path[path.length - 1];
  const parent = path[path.length - 2];
  switch (field) {
    case 'containers':
    case 'initContainers':
    case 'ephemeralContainers':
    case 'volumes':
    case 'imagePullSecrets':
    case 'resourceClaims':
    case 'schedulingGates':
      return { kind: 'merge', key: 'name' };
    case 'env':
      return CONTAINER_LISTS.has(parent) ? { kind: 'merge', key: 'name' } : { kind: 'replace' };
    case 'volumeMounts':
      return { kind: 'merge', key: 'mountPath' };
    case 'volumeDevices':
      return { kind: 'merge', key: 'devicePath' };
    case 'ports':
      if (CONTAINER_LISTS.has(parent)) return { kind: 'merge', key: 'containerPort' };
      if (kind === 'Service' && parent === 'spec') return { kind: 'merge', key: 'port' };
      return { kind: 'replace' };
    case 'hostAliases':
      return { kind: 'merge', key: 'ip' };
    case 'topologySpreadConstraints':
      return { kind: 'merge', key: 'topologyKey' };
    case 'conditions':
      return parent === 'status' ? { kind: 'merge', key: 'type' } : { kind: 'replace' };
    case 'addresses':
      return kind === 'Node' && parent === 'status' ? { kind: 'merge', key: 'type' } : { kind: 'replace' };
    case 'ownerReferences':
      return parent === 'metadata' ? { kind: 'merge', key: 'uid' } : { kind: 'replace' };
    case 'finalizers':
      return parent === 'metadata' ? { kind: 'set' } : { kind: 'replace' };
    default:
      return { kind: 'replace' };
  }
}

/**
 * Keys whose lists server-side apply treats as maps (`+listType=map` with `+listMapKey`): the same
 * places as the strategic merge keys for our purposes.
 */
export function applyListKey(kind: string, path: string[]): string | undefined {
  const s = listStrategy(kind, path);
  return s.kind === 'merge' ? s.key : undefined;
}
