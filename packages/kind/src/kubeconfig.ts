import { loadClusterAccess, resolveCredentials } from '@upgrade-actions/kube';

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
  const c = await resolveCredentials(a);
  const bearer = c.headers.Authorization?.match(/^Bearer (.+)$/)?.[1];
  return {
    server: a.server,
    ca: c.ca,
    cert: c.cert,
    key: c.key,
    token: bearer,
    insecure: c.insecureSkipVerify,
  };
}
