import http from 'node:http';
import https from 'node:https';
import { type ClusterAccess } from './kubeconfig';
import { authenticate } from './auth';
import { apiErrorFrom } from './errors';
import { connectionFailure } from './connection-errors';
import { DEFAULT_RETRY, retryDelay, type Outcome, type RetryPolicy } from './retry';
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
 * A small Kubernetes REST client over node:http(s). Credentials and TLS are client-node's
 * (`authenticate`, from its KubeConfig); the transport is ours because we need exact control of the
 * watch (resume from the last resourceVersion, relist on 410 Gone, bookmarks, injected time),
 * server-side apply with any field manager, JSON and strategic patches by content type, and a
 * request counter for the benchmarks (see docs/kube.md).
 */
export class KubeClient {
  /** Requests sent, watches included; the benchmarks read it. */
  readonly stats = { requests: 0 };
  private readonly agent: http.Agent;
  private readonly base: URL;
  /** Which failures are retried, and how long to wait; tests shorten the delays. */
  retryPolicy: RetryPolicy = DEFAULT_RETRY;
  /** Where a retry is said (the engines point it at their logger); stderr by default, as kubectl warns. */
  onRetry: (message: string) => void = (m) => process.stderr.write(`${m}\n`);
  /** How the client waits between attempts (tests inject a fast one). */
  sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms));
  /**
   * Once it fires, every request of this client fails at once, watches and retries included: a caller that
   * stops an engine midway (a staged rollout interrupted by SIGTERM) fences the engine off the cluster
   * before it repairs what the engine did, so no late write of the engine lands after the repair.
   */
  signal?: AbortSignal;

  constructor(readonly access: ClusterAccess) {
    this.base = new URL(access.server);
    // TLS settings come per request from the kubeconfig; this agent only pools the connections.
    this.agent =
      this.base.protocol === 'https:'
        ? new https.Agent({ keepAlive: true })
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
    const res = await this.sendWithRetry(method, path, opts);
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
    const res = await this.sendWithRetry('GET', path, { ...opts, query: { ...opts.query, watch: 1 } });
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
      if (this.signal?.aborted) throw e;
      if ((e as NodeJS.ErrnoException).code === 'ECONNRESET' || (e as Error).name === 'AbortError') return;
      if ((e as Error).message === 'aborted') return;
      throw e;
    } finally {
      res.destroy();
    }
  }

  /**
   * `send`, again after a 429 (any request: the server did not process it), a 5xx or a dropped connection
   * (only requests safe to repeat), honouring Retry-After — see retry.ts. Each retry is said through onRetry.
   */
  private async sendWithRetry(
    method: string,
    path: string,
    opts: RequestOptions,
  ): Promise<http.IncomingMessage> {
    for (let attempt = 1; ; attempt++) {
      this.signal?.throwIfAborted();
      let outcome: Outcome;
      let res: http.IncomingMessage | undefined;
      try {
        res = await this.send(method, path, opts);
        const retryAfter = res.headers['retry-after'];
        outcome = {
          status: res.statusCode ?? 0,
          retryAfter: Array.isArray(retryAfter) ? retryAfter[0] : retryAfter,
        };
      } catch (e) {
        if (opts.signal?.aborted || this.signal?.aborted) throw e;
        outcome = { error: (e as { cause?: NodeJS.ErrnoException }).cause ?? (e as NodeJS.ErrnoException) };
        const delay = retryDelay(this.retryPolicy, attempt, method, opts.contentType, outcome);
        if (delay === undefined) throw e;
        this.onRetry(
          `${method} ${path.split('?')[0]} failed (${(e as Error).message}); retrying in ${delay} ms (attempt ${attempt + 1} of ${this.retryPolicy.maxAttempts})`,
        );
        await this.sleep(delay);
        continue;
      }
      const delay = retryDelay(this.retryPolicy, attempt, method, opts.contentType, outcome);
      if (delay === undefined) return res;
      await readAll(res); // drain, so the connection goes back to the pool
      this.onRetry(
        `${method} ${path.split('?')[0]} answered ${res.statusCode}; retrying in ${delay} ms (attempt ${attempt + 1} of ${this.retryPolicy.maxAttempts})`,
      );
      await this.sleep(delay);
    }
  }

  private async send(method: string, path: string, opts: RequestOptions): Promise<http.IncomingMessage> {
    const url = new URL(this.base.pathname.replace(/\/$/, '') + path, this.base);
    for (const [k, v] of Object.entries(opts.query ?? {}))
      if (v !== undefined) url.searchParams.set(k, String(v));
    const auth = await authenticate(this.access, this.agent);
    const headers: Record<string, string> = {
      ...(auth.headers as Record<string, string>),
      Accept: 'application/json',
      'User-Agent': 'upgrade-actions',
    };
    let payload: string | undefined;
    if (opts.body !== undefined) {
      payload = typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body);
      headers['Content-Type'] = opts.contentType ?? 'application/json';
      // Node frames a DELETE body neither by length nor chunked unless told: the server would read the
      // body as the next request (DeleteOptions with preconditions go in a DELETE body).
      headers['Content-Length'] = String(Buffer.byteLength(payload));
    }
    this.stats.requests++;
    const mod = url.protocol === 'https:' ? https : http;
    const signal =
      this.signal && opts.signal ? AbortSignal.any([this.signal, opts.signal]) : (this.signal ?? opts.signal);
    return new Promise((resolve, reject) => {
      const req = mod.request(url, { ...auth, method, headers, signal }, resolve);
      req.on('error', (e: NodeJS.ErrnoException) => reject(connectionFailure(this.access, url, e) ?? e));
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
