import http from 'node:http';
import https from 'node:https';
import type { ApiEndpoint } from './kubeconfig';
import type { NodeLike } from './readiness';

export interface ApiResponse {
  status: number;
  body: string;
}

/**
 * The few API calls the readiness wait and the registry wiring need, over node's http(s) with the
 * kubeconfig's credentials (client certificates, as kind writes them, or a bearer token).
 */
export class ClusterApi {
  constructor(
    private readonly ep: ApiEndpoint,
    private readonly timeoutMs = 10_000,
  ) {}

  request(method: string, path: string, body?: unknown): Promise<ApiResponse> {
    const url = new URL(path, this.ep.server.replace(/\/+$/, '') + '/');
    const isHttps = url.protocol === 'https:';
    const data = body === undefined ? undefined : JSON.stringify(body);
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (data) headers['Content-Type'] = 'application/json';
    if (this.ep.token) headers.Authorization = `Bearer ${this.ep.token}`;
    return new Promise((resolve, reject) => {
      const req = (isHttps ? https : http).request(
        url,
        {
          method,
          headers,
          timeout: this.timeoutMs,
          ...(isHttps
            ? { ca: this.ep.ca, cert: this.ep.cert, key: this.ep.key, rejectUnauthorized: !this.ep.insecure }
            : {}),
        },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (c: string) => (text += c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
          res.on('error', reject);
        },
      );
      req.on('timeout', () =>
        req.destroy(new Error(`${method} ${url.pathname} timed out after ${this.timeoutMs} ms`)),
      );
      req.on('error', reject);
      req.end(data);
    });
  }

  /** `/readyz` as kubeadm and kind check it; older servers without it answer `/healthz`. */
  async healthy(): Promise<{ ok: boolean; detail: string }> {
    let r = await this.request('GET', '/readyz');
    if (r.status === 404) r = await this.request('GET', '/healthz');
    return {
      ok: r.status === 200,
      detail: `HTTP ${r.status} ${r.body.trim().split('\n').slice(-1)[0] ?? ''}`.trim(),
    };
  }

  async serverVersion(): Promise<string> {
    const r = await this.request('GET', '/version');
    if (r.status !== 200) throw new Error(`GET /version answered HTTP ${r.status}`);
    return (JSON.parse(r.body) as { gitVersion?: string }).gitVersion ?? '';
  }

  async nodes(): Promise<NodeLike[]> {
    const r = await this.request('GET', '/api/v1/nodes');
    if (r.status !== 200)
      throw new Error(`GET /api/v1/nodes answered HTTP ${r.status}: ${r.body.slice(0, 200)}`);
    return (JSON.parse(r.body) as { items?: NodeLike[] }).items ?? [];
  }

  /** Create, or replace when it exists: the effect of `kubectl apply` for one object we own entirely. */
  async put(collection: string, name: string, obj: Record<string, unknown>): Promise<void> {
    const created = await this.request('POST', collection, obj);
    if (created.status === 201 || created.status === 200) return;
    if (created.status !== 409)
      throw new Error(`POST ${collection} answered HTTP ${created.status}: ${created.body.slice(0, 200)}`);
    const current = await this.request('GET', `${collection}/${name}`);
    const rv = (JSON.parse(current.body) as { metadata?: { resourceVersion?: string } }).metadata
      ?.resourceVersion;
    const meta = { ...(obj.metadata as object), resourceVersion: rv };
    const replaced = await this.request('PUT', `${collection}/${name}`, { ...obj, metadata: meta });
    if (replaced.status !== 200)
      throw new Error(`PUT ${collection}/${name} answered HTTP ${replaced.status}`);
  }
}
