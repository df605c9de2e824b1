import { KubeConnectionError } from './errors';
import type { ClusterAccess } from './kubeconfig';
import { tlsError } from './auth';

/**
 * Turns a socket error on the way to the API server into one message that says what failed, in kubectl's
 * words, and what to check: the kubeconfig's server (naming the cluster and the file), the runner's network
 * or DNS, the certificate authority. Unknown errors are returned as they are (undefined).
 */
export function connectionFailure(
  access: ClusterAccess,
  url: URL,
  e: NodeJS.ErrnoException,
): KubeConnectionError | undefined {
  const where = `the server of cluster "${access.clusterName}" in kubeconfig ${access.source}`;
  switch (e.code) {
    case 'ECONNREFUSED':
      return new KubeConnectionError(
        `The connection to the server ${url.host} was refused - did you specify the right host or port? Check ${where} and that the API server is up and reachable from the runner.`,
        { cause: e },
      );
    case 'ENOTFOUND':
    case 'EAI_AGAIN': {
      const why = e.code === 'ENOTFOUND' ? 'no such host' : 'temporary failure in name resolution';
      return new KubeConnectionError(
        `Unable to connect to the server ${access.server}: lookup ${url.hostname}: ${why} (${e.code}). Check ${where}, and the runner's DNS and network (a private cluster needs a runner inside its network).`,
        { cause: e },
      );
    }
    case 'ETIMEDOUT':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH': {
      const why = {
        ETIMEDOUT: 'i/o timeout',
        EHOSTUNREACH: 'no route to host',
        ENETUNREACH: 'network is unreachable',
      }[e.code];
      return new KubeConnectionError(
        `Unable to connect to the server ${access.server}: dial tcp ${url.host}: ${why} (${e.code}). Check ${where}, and the runner's network (firewall, proxy, VPN).`,
        { cause: e },
      );
    }
    default:
      return tlsError(access, e);
  }
}
