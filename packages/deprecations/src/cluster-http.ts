import path from 'node:path';
import { isKubeconfigContent, isNotFound, KubeClient, loadClusterAccess } from '@upgrade-actions/kube';
import type { ClusterApi } from './cluster';

/** Live mode over the kube engine's client (the one every stage uses): a 404 is null, not an error. */
export function clusterApiOf(client: KubeClient, name = `cluster/${client.access.contextName}`): ClusterApi {
  return {
    name,
    get: async (p) => {
      try {
        return await client.get<unknown>(p);
      } catch (e) {
        if (isNotFound(e)) return null;
        throw e;
      }
    },
  };
}

/**
 * A ClusterApi from a kubeconfig given as a path (relative to `cwd`) or as the file's content (a
 * secret in CI), with an optional context. The caller closes it to release pooled connections.
 */
export function httpClusterApi(
  kubeconfig: string,
  context?: string,
  cwd = process.cwd(),
): ClusterApi & { close(): void } {
  const access = loadClusterAccess(
    isKubeconfigContent(kubeconfig)
      ? { content: kubeconfig, context }
      : { path: path.resolve(cwd, kubeconfig), context },
  );
  const client = new KubeClient(access);
  return { ...clusterApiOf(client), close: () => client.close() };
}
