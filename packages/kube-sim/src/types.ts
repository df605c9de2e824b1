/** The object shapes the simulator stores. Kept loose: the simulator serves any kind, controllers narrow. */
export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

export interface ObjectMeta {
  name: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: OwnerReference[];
  managedFields?: unknown[];
  generateName?: string;
  finalizers?: string[];
  [key: string]: unknown;
}

export interface KObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  [key: string]: unknown;
}

/** A resource as the REST API names it: group ('' for core), version, plural resource name. */
export interface ResourceType {
  group: string;
  version: string;
  /** Plural, lower case: `deployments`. */
  resource: string;
  kind: string;
  namespaced: boolean;
  /** Subresources served: `status`, `scale`, `log`, `proxy`. */
  subresources?: string[];
  shortNames?: string[];
  singular?: string;
  /** Increment metadata.generation on spec changes (workloads do; pods, configmaps don't). */
  generation?: boolean;
  verbs?: string[];
  categories?: string[];
}

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface StoreEvent {
  type: WatchEventType;
  resource: ResourceType;
  object: KObject;
  /** The object before the change (MODIFIED and DELETED). */
  old?: KObject;
}

/** Kubernetes API errors carry an HTTP code and a reason; the server turns them into `Status` bodies. */
export class ApiError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}
