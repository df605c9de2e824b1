import type { ClusterInputs } from '@upgrade-actions/kind';

/** The cluster inputs the root action offers; the rest of kind-cluster's keep their defaults. */
export type VerifyClusterInputs = Pick<
  ClusterInputs,
  | 'clusterName'
  | 'kindVersion'
  | 'kubectlVersion'
  | 'kubernetesVersion'
  | 'nodeImage'
  | 'config'
  | 'workers'
  | 'loadImages'
  | 'wait'
  | 'keep'
  | 'exportLogs'
  | 'kindSha256'
  | 'kubectlSha256'
  | 'kindDownloadUrl'
  | 'kubectlDownloadUrl'
>;

/**
 * Pure: kind-cluster's inputs from the root action's. No registry, port mappings or feature gates (a
 * verification needs none; use kind-cluster for those); the kubeconfig is kind's default file, since
 * the root action's `kubeconfig` input means "use this cluster instead".
 */
export function clusterInputs(i: VerifyClusterInputs): ClusterInputs {
  return {
    ...i,
    portMappings: [],
    featureGates: [],
    registry: false,
    registryPort: 5001,
    registryImage: 'registry:3',
    kubeconfig: '',
    failOnCleanupError: false,
  };
}
