export type * from './types';
export { type IntOrString, scaledValueFromIntOrPercent } from './intorstr';
export { resolveFenceposts, type Fenceposts } from './fenceposts';
export { rolloutStatus, type RolloutStatus, type RolloutStatusOptions } from './status';
export {
  planRollback,
  planControllerRevisionRollback,
  templateOfRevision,
  ANNOTATIONS_TO_SKIP,
  type RollbackOptions,
  type RollbackPlan,
} from './rollback';
export {
  deploymentHistory,
  controllerRevisionHistory,
  formatHistoryOutput,
  CHANGE_CAUSE_ANNOTATION,
} from './history';
export { describePodTemplate } from './describe-template';
export { equalIgnoreHash, semanticEqual, withoutHashLabel, POD_TEMPLATE_HASH_LABEL } from './template-equal';
export { splitReplicaSets, allReplicaSets, isOwnedBy, sortByCreation } from './replicasets';
export { revisionOf, REVISION_ANNOTATION } from './revision';
export { tabbed } from './tabwriter';
export { loadClusterAccess, type ClusterAccess, type KubeConfigSource } from './kubeconfig';
export { resolveCredentials, kubeconfigSecrets, maskSecrets, type ResolvedCredentials } from './auth';
export { isKubeconfigContent, kubeconfigInputSecrets } from './secrets';
export { KubeClient, type RequestOptions, type WatchEvent } from './client';
export { KubeApiError, KubeConnectionError, isNotFound, isGone, isConflict } from './errors';
export { Discovery, resourcePath, kindGroup, type ResourceInfo } from './discovery';
export { type Clock, systemClock, sleep } from './clock';
export { untilWithSync, WaitTimeoutError, type UntilOptions, type SyncEventType } from './watch';
export { selectorString } from './selector';
export {
  resolveWorkload,
  followRolloutStatus,
  rolloutHistory,
  rolloutUndo,
  waitObserved,
  type WorkloadRef,
  type ResolvedWorkload,
  type FollowOptions,
  type UndoOptions,
} from './rollout';
export {
  manifestFiles,
  parseManifests,
  loadManifests,
  orderManifests,
  kindRank,
  type Manifest,
} from './manifests';
export { applyManifests, type ApplyOptions, type ApplyResult, type ApplyAction } from './apply';
