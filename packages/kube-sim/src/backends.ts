/**
 * Which real local HTTP server stands behind a pod or a service, for the API server's proxy
 * (`/api/v1/namespaces/{ns}/services/{name}[:{port}]/proxy/…` and the same under `pods/`).
 *
 * A pod is backed when either its annotation `kube-sim.upgrade-actions.io/backend` holds a URL (set it in a
 * Deployment's pod template and every pod of that version is served by that server) or `setPod` registered
 * one, or a resolver added with `addResolver` knows it (the controllers' scenario `backend`). A service goes to an explicit `setService` URL when there is one, otherwise round-robin over the
 * backed, Ready pods its selector picks, as kube-proxy would.
 */
export const BACKEND_ANNOTATION = 'kube-sim.upgrade-actions.io/backend';

export class Backends {
  private readonly pods = new Map<string, string>();
  private readonly services = new Map<string, string>();
  private readonly cursor = new Map<string, number>();
  private readonly resolvers: Array<(namespace: string, pod: string) => string | undefined> = [];

  /** Adds a lookup consulted last (the controllers' kubelet knows which scenario backs each pod). */
  addResolver(fn: (namespace: string, pod: string) => string | undefined): void {
    this.resolvers.push(fn);
  }

  setPod(namespace: string, pod: string, url: string): void {
    this.pods.set(`${namespace}/${pod}`, checkUrl(url));
  }

  deletePod(namespace: string, pod: string): void {
    this.pods.delete(`${namespace}/${pod}`);
  }

  /** Backs a whole service (any port, or only `port` when given: a number or a port name). */
  setService(namespace: string, service: string, url: string, port?: string | number): void {
    this.services.set(`${namespace}/${service}/${port ?? ''}`, checkUrl(url));
  }

  deleteService(namespace: string, service: string, port?: string | number): void {
    this.services.delete(`${namespace}/${service}/${port ?? ''}`);
  }

  pod(namespace: string, pod: string, annotations?: Record<string, string>): string | undefined {
    const direct = this.pods.get(`${namespace}/${pod}`) ?? annotations?.[BACKEND_ANNOTATION];
    if (direct) return direct;
    for (const r of this.resolvers) {
      const url = r(namespace, pod);
      if (url) return url;
    }
    return undefined;
  }

  service(namespace: string, service: string, port?: string): string | undefined {
    return (
      this.services.get(`${namespace}/${service}/${port ?? ''}`) ??
      this.services.get(`${namespace}/${service}/`)
    );
  }

  /** Round-robin choice among candidate URLs for one service. */
  pick(namespace: string, service: string, urls: string[]): string | undefined {
    if (!urls.length) return undefined;
    const k = `${namespace}/${service}`;
    const i = (this.cursor.get(k) ?? 0) % urls.length;
    this.cursor.set(k, i + 1);
    return urls[i];
  }
}

function checkUrl(url: string): string {
  const u = new URL(url);
  if (u.protocol !== 'http:' && u.protocol !== 'https:')
    throw new TypeError(`backend must be an http(s) URL, got ${url}`);
  return url.replace(/\/$/, '');
}
