export * from './versions';
export { resolveDownload, downloadUrl, type Download, type DownloadRequest, type Tool } from './downloads';
export { resolveNodeImage, type NodeImageChoice } from './node-image';
export {
  defaultClusterName,
  sanitizeClusterName,
  validateClusterName,
  contextName,
  CLUSTER_NAME_MAX,
  type RunIdentity,
} from './cluster-name';
export {
  parsePortMapping,
  parseFeatureGate,
  generateConfig,
  adoptConfig,
  nodeCount,
  renderConfig,
  REGISTRY_CONTAINERD_PATCH,
  type PortMapping,
} from './config';
export {
  installTool,
  ensureToolCacheDirs,
  runnerToolCache,
  sha256File,
  ChecksumMismatchError,
  type ToolCache,
  type Installed,
} from './install';
export {
  createArgs,
  deleteArgs,
  exportLogsArgs,
  getNodesArgs,
  loadArgs,
  isArchive,
  ProgramRunner,
} from './kind-cli';
export { nodesReadiness, type NodeLike, type Readiness } from './readiness';
export { loadKubeconfig, type ApiEndpoint } from './kubeconfig';
export { ClusterApi } from './api';
export { waitForCluster, ClusterNotReadyError } from './wait';
export {
  registryRunArgs,
  hostsToml,
  localRegistryHosting,
  registryHost,
  type RegistryPlan,
} from './registry';
export { planCluster, kubeconfigPath, type ClusterInputs, type ClusterPlan, type PlanContext } from './plan';
export { State, memoryState, type StateStore } from './state';
export { setUpCluster, type SetupDeps, type ClusterOutputs } from './setup';
export {
  tearDown,
  planTeardown,
  type TeardownDeps,
  type TeardownResult,
  type TeardownPlan,
} from './teardown';
export { uploadArtifact, canUploadArtifacts } from './artifact';
export { checkDockerEngine } from './docker-check';
