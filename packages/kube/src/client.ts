import http from 'node:http';
import https from 'node:https';
import { execFile } from '@upgrade-actions/common';
import { type ClusterAccess } from './kubeconfig';
import { apiErrorFrom, KubeConnectionError } from './errors';
import type { KubeObject } from './types';

export interface RequestOptions {
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  /** For PATCH: `application/apply-patch+yaml`, `application/json-patch+json`, `application/merge-patch+json`, `application/strategic-merge-patch+json`. */
  contentType?: string;
  signal?: AbortSignal;
}

export interface WatchEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  object: KubeObject & { code?: number; reason?: string; message?: string };
}

/**
 * A small Kubernetes REST client over node:http(s). Why not @kubernetes/client-node: we need exact
 * control of the watch (resume from the last resourceVersion, relist on 410 Gone, bookmarks,
 * injected time), server-side apply with any field manager, JSON and strategic patches by content
 * type, and a request counter for the benchmarks — each a few lines here, each a workaround there
 * (see docs/kube.md).
 */
export class KubeClient {
  /** Requests sent, watches included; the benchmarks read it. */
  readonly stats = { requests: 0 };
  private readonly agent: http.Agent;
  private readonly base: URL;
  private execToken?: { token: string; expires: number };

  constructor(readonly access: ClusterAccess) {
    this.base = new URL(access.server);
    const tls = this.base.protocol === 'https:';
    this.agent = tls
      ? new https.Agent({
          keepAlive: true,
          ca: access.ca,
          cert: access.cert,
          key: access.key,
          rejectUnauthorized: !access.insecureSkipTlsVerify,
          servername: access.tlsServerName,
        })
      : new http.Agent({ keepAlive: true });
  }

  /** Releases pooled connections so the process can exit. */
  close(): void {
    this.agent.destroy();
  }

  async get<T = KubeObject>(path: string, opts: RequestOptions = {}): Promise<T> {
    return this.request<T>('GET', path, opts);
  }

  async request<T = KubeObject>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
    return (await this.requestWithStatus<T>(method, path, opts)).body;
  }

  /** As `request`, with the HTTP status (201 tells an apply that created from one that updated). */
  async requestWithStatus<T = KubeObject>(
    method: string,
    path: string,
    opts: RequestOptions = {},
  ): Promise<{ status: number; body: T }> {
    const res = await this.send(method, path, opts);
    const body = await readAll(res);
    const status = res.statusCode ?? 0;
    if (status >= 300) throw apiErrorFrom(status, body);
    return { status, body: (body ? JSON.parse(body) : {}) as T };
  }

  /**
   * Opens a watch and yields its events until the server ends the stream, the signal aborts, or
   * the connection drops (then the iterator simply ends: the caller resumes from its last
   * resourceVersion). A non-2xx answer to the watch request throws KubeApiError.
   */
  async *watch(path: string, opts: RequestOptions = {}): AsyncGenerator<WatchEvent> {
    const res = await this.send('GET', path, { ...opts, query: { ...opts.query, watch: 1 } });
    if ((res.statusCode ?? 0) >= 300) throw apiErrorFrom(res.statusCode ?? 0, await readAll(res));
    res.setEncoding('utf8');
    let buffer = '';
    try {
      for await (const chunk of res as AsyncIterable<string>) {
        buffer += chunk;
        let nl: number;
        while ((nl = buffer.indexOf('\n')) >= 0) {
          const line = buffer.slice(0, nl).trim();
          buffer = buffer.slice(nl + 1);
          if (line) yield JSON.parse(line) as WatchEvent;
        }
      }
    } catch (e) {
      // A dropped connection or an abort ends the stream; the caller decides what comes next.
      if (opts.signal?.aborted) return;
      if ((e as NodeJS.ErrnoException).code === 'ECONNRESET' || (e as Error).name === 'AbortError') return;
      if ((e as Error).message === 'aborted') return;
      throw e;
    } finally {
      res.destroy();
    }
  }

  private async headers(): Promise<Record<string, string>> {
    const h: Record<string, string> = { Accept: 'application/json', 'User-Agent': 'upgrade-actions' };
    const token = this.access.token ?? (this.access.exec ? await this.execCredential() : undefined);
    if (token) h.Authorization = `Bearer ${token}`;
    else if (this.access.username !== undefined)
      h.Authorization = `Basic ${Buffer.from(`${this.access.username}:${this.access.password ?? ''}`).toString('base64')}`;
    return h;
  }

  /** Runs a client-go exec credential plugin (no shell) and caches its token until it expires. */
  private async execCredential(): Promise<string> {
    if (this.execToken && this.execToken.expires > Date.now()) return this.execToken.token;
    const exec = this.access.exec!;
    const env = { ...process.env };
    for (const e of exec.env ?? []) env[e.name] = e.value;
    const r = await execFile(exec.command, exec.args ?? [], { env });
    const cred = JSON.parse(r.stdout.toString('utf8')) as {
      status?: { token?: string; expirationTimestamp?: string };
    };
    const token = cred.status?.token;
    if (!token) throw new KubeConnectionError(`the exec credential plugin ${exec.command} returned no token`);
    const expires = cred.status?.expirationTimestamp
      ? Date.parse(cred.status.expirationTimestamp)
      : Date.now() + 60_000;
    this.execToken = { token, expires };
    return token;
  }

  private async send(method: string, path: string, opts: RequestOptions): Promise<http.IncomingMessage> {
    const url = new URL(this.base.pathname.replace(/\/$/, '') + path, this.base);
    for (const [k, v] of Object.entries(opts.query ?? {}))
      if (v !== undefined) url.searchParams.set(k, String(v));
    const headers = await this.headers();
    let payload: string | undefined;
    if (opts.body !== undefined) {
      payload = typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body);
      headers['Content-Type'] = opts.contentType ?? 'application/json';
    }
    this.stats.requests++;
    const mod = url.protocol === 'https:' ? https : http;
    return new Promise((resolve, reject) => {
      const req = mod.request(url, { method, headers, agent: this.agent, signal: opts.signal }, resolve);
      req.on('error', (e: NodeJS.ErrnoException) => {
        if (e.code === 'ECONNREFUSED') {
          reject(
            new KubeConnectionError(
              `The connection to the server ${url.host} was refused - did you specify the right host or port?`,
            ),
          );
        } else reject(e);
      });
      if (payload !== undefined) req.write(payload);
      req.end();
    });
  }
}

async function readAll(res: http.IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of res) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
