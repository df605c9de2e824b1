import { ConfigurationError } from '@upgrade-actions/common';
import type { ApiCredentials, ApiServerAccess } from './http-check';
import { describeTarget, serviceProxyPath, type Target } from './target';

/** Where a request to a target goes: the URL, and for a service the API server's credentials and TLS. */
export interface Endpoint {
  url: string;
  /**
   * For a service target: the API server's credentials and TLS, asked before each request (exec-plugin and
   * OIDC tokens expire during a long watch). Undefined for a URL: the caller's own headers and TLS.
   */
  credentials?: () => Promise<ApiCredentials>;
}

/**
 * A path on the API server, kept under the server's own path: a kubeconfig server such as
 * `https://rancher.example.com/k8s/clusters/c-1` serves `/api/...` below `/k8s/clusters/c-1`, as
 * kubectl's REST client treats it.
 */
export function apiServerUrl(server: string, path: string): string {
  const base = new URL(server);
  return new URL(base.pathname.replace(/\/+$/, '') + path, base).toString();
}

/**
 * The one place a target becomes a request: a URL goes as it is; a service
 * (`svc[.ns]:port/path`) goes through the API server's service proxy with the kubeconfig's
 * credentials, as `kubectl get --raw /api/v1/namespaces/<ns>/services/<svc>:<port>/proxy/...` does.
 * Health checks and smoke tests both reach services through this. `what` names the setting in errors.
 */
export function targetEndpoint(target: Target, api: ApiServerAccess | undefined, what: string): Endpoint {
  if (target.kind === 'url') return { url: target.url };
  if (!api) {
    throw new ConfigurationError(
      `${what}: target ${describeTarget(target)} is a service; it needs a cluster (kubeconfig) to reach it through the API server`,
    );
  }
  return {
    url: apiServerUrl(api.server, serviceProxyPath(target, api.namespace)),
    credentials: () => api.credentials(),
  };
}
