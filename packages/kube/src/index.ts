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
