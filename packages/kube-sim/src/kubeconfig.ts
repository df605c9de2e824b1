import { stringify } from 'yaml';

/** A kubeconfig for the simulator: plain HTTP on 127.0.0.1 and a token user, context `kube-sim`. */
export function kubeconfigYaml(
  server: string,
  opts: { context?: string; namespace?: string; token?: string } = {},
): string {
  const name = opts.context ?? 'kube-sim';
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    // client-node refuses plain http unless TLS verification is explicitly skipped; kubectl accepts both.
    clusters: [{ name, cluster: { server, 'insecure-skip-tls-verify': true } }],
    users: [{ name, user: { token: opts.token ?? 'kube-sim-token' } }],
    contexts: [{ name, context: { cluster: name, user: name, namespace: opts.namespace ?? 'default' } }],
    'current-context': name,
    preferences: {},
  });
}
