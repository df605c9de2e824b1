import { ConfigurationError } from '@upgrade-actions/common';

/** Where a service-level check goes: a plain URL, or a Service reached through the API server's proxy. */
export type Target =
  | { kind: 'url'; url: string }
  | {
      kind: 'service';
      service: string;
      namespace: string | null;
      port: string;
      path: string;
      scheme: 'http' | 'https';
    };

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const SERVICE = /^(?:(https?):)?([^.:/\s]+)(?:\.([^.:/\s]+))?:([^/\s]+)(\/\S*)?$/;

/**
 * Parses a probe target. With a scheme it is a URL (http or https). Without one it is
 * `[https:]service[.namespace]:port[/path]` (port a number or a port name), reached as
 * `/api/v1/namespaces/<ns>/services/<scheme>:<service>:<port>/proxy/<path>` the way
 * `kubectl get --raw` and `kubectl proxy` do, so a probe works in an ephemeral cluster with no ingress.
 */
export function parseTarget(text: string, what = 'urls'): Target {
  const s = text.trim();
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(s)) {
    let url: URL;
    try {
      url = new URL(s);
    } catch {
      throw new ConfigurationError(`${what}: "${s}" is not a valid URL`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new ConfigurationError(
        `${what}: "${s}" uses ${url.protocol.slice(0, -1)}; use http:// or https://`,
      );
    }
    return { kind: 'url', url: url.toString() };
  }
  const m = SERVICE.exec(s);
  const bad = () =>
    new ConfigurationError(
      `${what}: "${s}" is neither a URL (http://host/path) nor a service (name[.namespace]:port/path, e.g. web:8080/healthz)`,
    );
  if (!m) throw bad();
  const [, scheme, service, namespace, port, path] = m;
  const portOk = /^\d+$/.test(port)
    ? Number(port) >= 1 && Number(port) <= 65535
    : DNS_LABEL.test(port) && port.length <= 15;
  if (!DNS_LABEL.test(service) || (namespace !== undefined && !DNS_LABEL.test(namespace)) || !portOk)
    throw bad();
  return {
    kind: 'service',
    service,
    namespace: namespace ?? null,
    port,
    path: path ?? '/',
    scheme: scheme === 'https' ? 'https' : 'http',
  };
}

/** The API server path of a service target: the service proxy subresource. */
export function serviceProxyPath(t: Extract<Target, { kind: 'service' }>, defaultNamespace: string): string {
  const ns = t.namespace ?? defaultNamespace;
  const prefix = t.scheme === 'https' ? 'https:' : '';
  return `/api/v1/namespaces/${ns}/services/${prefix}${t.service}:${t.port}/proxy${t.path}`;
}

/** How a target is printed in reports and logs (never with credentials). */
export function describeTarget(t: Target): string {
  if (t.kind === 'url') {
    const u = new URL(t.url);
    u.username = '';
    u.password = '';
    return u.toString();
  }
  return `${t.scheme === 'https' ? 'https:' : ''}${t.service}${t.namespace ? '.' + t.namespace : ''}:${t.port}${t.path}`;
}
