import type { ResourceType } from './types';

const ALL_VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

function r(
  group: string,
  version: string,
  resource: string,
  kind: string,
  namespaced: boolean,
  extra: Partial<ResourceType> = {},
): ResourceType {
  return {
    group,
    version,
    resource,
    kind,
    namespaced,
    verbs: ALL_VERBS,
    singular: kind.toLowerCase(),
    ...extra,
  };
}

/**
 * The built-in resources the simulator serves, with the names, short names and subresources the real
 * API server advertises in discovery (kubectl resolves `deploy`, `rs`, `sts`, `ds`, `po`, `svc` from them).
 */
export const BUILTIN_RESOURCES: ResourceType[] = [
  r('', 'v1', 'namespaces', 'Namespace', false, { shortNames: ['ns'], subresources: ['status'] }),
  r('', 'v1', 'nodes', 'Node', false, { shortNames: ['no'], subresources: ['status'] }),
  r('', 'v1', 'pods', 'Pod', true, {
    shortNames: ['po'],
    subresources: ['status', 'log', 'proxy', 'eviction'],
    categories: ['all'],
  }),
  r('', 'v1', 'services', 'Service', true, {
    shortNames: ['svc'],
    subresources: ['status', 'proxy'],
    categories: ['all'],
  }),
  r('', 'v1', 'endpoints', 'Endpoints', true, { shortNames: ['ep'] }),
  r('', 'v1', 'configmaps', 'ConfigMap', true, { shortNames: ['cm'] }),
  r('', 'v1', 'secrets', 'Secret', true),
  r('', 'v1', 'serviceaccounts', 'ServiceAccount', true, { shortNames: ['sa'] }),
  r('', 'v1', 'events', 'Event', true, { shortNames: ['ev'] }),
  r('', 'v1', 'persistentvolumeclaims', 'PersistentVolumeClaim', true, {
    shortNames: ['pvc'],
    subresources: ['status'],
  }),
  r('apps', 'v1', 'deployments', 'Deployment', true, {
    shortNames: ['deploy'],
    subresources: ['status', 'scale'],
    generation: true,
    categories: ['all'],
  }),
  r('apps', 'v1', 'replicasets', 'ReplicaSet', true, {
    shortNames: ['rs'],
    subresources: ['status', 'scale'],
    generation: true,
    categories: ['all'],
  }),
  r('apps', 'v1', 'statefulsets', 'StatefulSet', true, {
    shortNames: ['sts'],
    subresources: ['status', 'scale'],
    generation: true,
    categories: ['all'],
  }),
  r('apps', 'v1', 'daemonsets', 'DaemonSet', true, {
    shortNames: ['ds'],
    subresources: ['status'],
    generation: true,
    categories: ['all'],
  }),
  r('apps', 'v1', 'controllerrevisions', 'ControllerRevision', true),
  r('batch', 'v1', 'jobs', 'Job', true, { subresources: ['status'], generation: true, categories: ['all'] }),
  r('batch', 'v1', 'cronjobs', 'CronJob', true, {
    shortNames: ['cj'],
    subresources: ['status'],
    generation: true,
    categories: ['all'],
  }),
  r('coordination.k8s.io', 'v1', 'leases', 'Lease', true),
  r('discovery.k8s.io', 'v1', 'endpointslices', 'EndpointSlice', true),
  r('networking.k8s.io', 'v1', 'ingresses', 'Ingress', true, {
    shortNames: ['ing'],
    subresources: ['status'],
    generation: true,
  }),
  r('networking.k8s.io', 'v1', 'networkpolicies', 'NetworkPolicy', true, {
    shortNames: ['netpol'],
    generation: true,
  }),
  r('policy', 'v1', 'poddisruptionbudgets', 'PodDisruptionBudget', true, {
    shortNames: ['pdb'],
    subresources: ['status'],
    generation: true,
  }),
  r('autoscaling', 'v2', 'horizontalpodautoscalers', 'HorizontalPodAutoscaler', true, {
    shortNames: ['hpa'],
    subresources: ['status'],
  }),
  r('rbac.authorization.k8s.io', 'v1', 'roles', 'Role', true),
  r('rbac.authorization.k8s.io', 'v1', 'rolebindings', 'RoleBinding', true),
  r('rbac.authorization.k8s.io', 'v1', 'clusterroles', 'ClusterRole', false),
  r('rbac.authorization.k8s.io', 'v1', 'clusterrolebindings', 'ClusterRoleBinding', false),
  r('apiextensions.k8s.io', 'v1', 'customresourcedefinitions', 'CustomResourceDefinition', false, {
    shortNames: ['crd', 'crds'],
    subresources: ['status'],
    generation: true,
  }),
];

/** Finds a built-in resource type by group and plural name (`apps`, `deployments`). */
export function builtin(group: string, resource: string): ResourceType {
  const t = BUILTIN_RESOURCES.find((x) => x.group === group && x.resource === resource);
  if (!t) throw new Error(`no built-in resource ${resource}.${group}`);
  return t;
}

/** Shorthands for the types controllers use most. */
export const R = {
  namespaces: builtin('', 'namespaces'),
  nodes: builtin('', 'nodes'),
  pods: builtin('', 'pods'),
  services: builtin('', 'services'),
  endpoints: builtin('', 'endpoints'),
  events: builtin('', 'events'),
  deployments: builtin('apps', 'deployments'),
  replicasets: builtin('apps', 'replicasets'),
  statefulsets: builtin('apps', 'statefulsets'),
  daemonsets: builtin('apps', 'daemonsets'),
  controllerrevisions: builtin('apps', 'controllerrevisions'),
  jobs: builtin('batch', 'jobs'),
  leases: builtin('coordination.k8s.io', 'leases'),
  endpointslices: builtin('discovery.k8s.io', 'endpointslices'),
  crds: builtin('apiextensions.k8s.io', 'customresourcedefinitions'),
} as const;
