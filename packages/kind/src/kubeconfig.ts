import { loadClusterAccess } from '@upgrade-actions/kube';

/** How to reach one API server: what a kubeconfig context resolves to. */
export interface ApiEndpoint {
  server: string;
  ca?: string;
  cert?: string;
  key?: string;
  token?: string;
  insecure?: boolean;
}

/**
 * Resolves `context` of the kubeconfig kind wrote, through the kube engine's loader (kubectl's rules:
 * inline data or files, tokens), to what the readiness checks need.
 */
export async function loadKubeconfig(file: string, context?: string): Promise<ApiEndpoint> {
  const a = loadClusterAccess({ path: file, context });
  return {
    server: a.server,
    ca: a.ca,
    cert: a.cert,
    key: a.key,
    token: a.token,
    insecure: a.insecureSkipTlsVerify,
  };
}
