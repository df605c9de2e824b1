export {
  deploy,
  DeployProgress,
  releaseNamespace,
  type DeployOptions,
  type DeployResult,
  type RolloutFailure,
} from './deploy';
export { parseImageOverrides, overrideFor, enforceImagePolicy, type ImageOverrides } from './images';
export {
  prepareManifests,
  WORKLOAD_KINDS,
  type Prepared,
  type PreparedWorkload,
  type WorkloadKind,
} from './prepare';
export { apiPreflight } from './api-preflight';
export { clientSideApply, type KubectlAccess } from './client-side';
export { kubeconfigSource } from './kubeconfig-input';
