import type { Logger } from '@upgrade-actions/common';
import { silentLogger } from '@upgrade-actions/common';
import { parseChallenge } from './challenge';
import type { Credentials } from './credentials';
import { SHA256_DIGEST, sha256Digest } from './digest';
import { RegistryError, distributionError } from './errors';
import { ACCEPT_ANY } from './media-types';

export interface RegistryClientOptions {
  /** `ghcr.io`, `docker.io`, `localhost:5000`, `127.0.0.1:41234`. */
  registry: string;
  credentials?: Credentials;
  logger?: Logger;
  /** Called with every secret before it is used (the actions pass core.setSecret). */
  onSecret?: (secret: string) => void;
  /** Attempts per request on 429, 5xx and connection errors. Default 4. */
  attempts?: number;
  /** Backoff before the n-th retry without Retry-After: base × 2^(n−1), capped at 10 s. Default 500 ms. */
  backoffMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

export interface Manifest {
  /** The bytes as the registry served them: the digest is theirs. */
  bytes: Buffer;
  mediaType: string;
  digest: string;
}

/** Registries on loopback are reached over plain HTTP, as docker does; every other one over HTTPS. */
export function registryBaseUrl(registry: string): string {
  const host = registry === 'docker.io' || registry === 'index.docker.io' ? 'registry-1.docker.io' : registry;
  const hostname = host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : host.split(':')[0];
  const loopback = hostname === 'localhost' || /^127\.\d+\.\d+\.\d+$/.test(hostname) || hostname === '[::1]';
  return `${loopback ? 'http' : 'https'}://${host}`;
}

const RETRYABLE = new Set([429, 500, 502, 503, 504]);

/** Retry-After in seconds or as an HTTP date; undefined when absent or unreadable. */
export function retryAfterMs(header: string | null, now = Date.now()): number | undefined {
  if (!header) return undefined;
  if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1000;
  const at = Date.parse(header);
  return Number.isFinite(at) ? Math.max(0, at - now) : undefined;
}

interface Call {
  method: string;
  path: string;
  /** Token scope: `repository:acme/web:pull` (space-separated for several). */
  scope: string;
  headers?: Record<string, string>;
  body?: Buffer;
  /** Statuses that are answers, not errors (404 for existence checks, 202/201 for uploads). */
  accept?: number[];
}

/**
 * A client of the OCI distribution API for one registry. Authentication follows the registry's challenge:
 * a `401` with `WWW-Authenticate: Bearer realm,service,scope` gets a token from the realm (with basic
 * credentials when there are any, anonymously otherwise), cached per scope; `Basic` sends the credentials.
 */
export class RegistryClient {
  readonly base: string;
  /** HTTP requests sent (token requests included); the benchmarks read it. */
  readonly stats = { requests: 0 };
  private readonly tokens = new Map<string, string>();
  private basic = false;
  private readonly logger: Logger;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly opts: RegistryClientOptions) {
    this.base = registryBaseUrl(opts.registry);
    this.logger = opts.logger ?? silentLogger;
    this.sleep = opts.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    if (opts.credentials) opts.onSecret?.(opts.credentials.password);
  }

  private where(): string {
    return `registry ${this.opts.registry}`;
  }

  /** One HTTP exchange with retries on 429/5xx/connection errors. */
  private async send(url: string, init: RequestInit, what: string): Promise<Response> {
    const attempts = this.opts.attempts ?? 4;
    for (let attempt = 1; ; attempt++) {
      let res: Response | undefined;
      let failure: string | undefined;
      try {
        this.stats.requests++;
        res = await fetch(url, { ...init, redirect: 'follow' });
      } catch (e) {
        const cause = (e as { cause?: { code?: string; message?: string } }).cause;
        failure = cause?.code ?? cause?.message ?? (e as Error).message;
      }
      if (res && !RETRYABLE.has(res.status)) return res;
      if (attempt >= attempts) {
        if (res) return res;
        throw new RegistryError(
          `cannot reach ${this.where()} at ${this.base} (${failure}): check the name and the network`,
          0,
        );
      }
      const wait =
        retryAfterMs(res?.headers.get('retry-after') ?? null) ??
        Math.min(10_000, (this.opts.backoffMs ?? 500) * 2 ** (attempt - 1));
      this.logger.info(
        `${this.where()}: ${what} ${res ? `answered ${res.status}` : `failed (${failure})`}; retrying in ${wait} ms (attempt ${attempt + 1} of ${attempts})`,
      );
      await res?.body?.cancel();
      await this.sleep(wait);
    }
  }

  private authHeader(scope: string): string | undefined {
    const token = this.tokens.get(scope);
    if (token) return `Bearer ${token}`;
    if (this.basic && this.opts.credentials) {
      const { username, password } = this.opts.credentials;
      return `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
    }
    return undefined;
  }

  private async fetchToken(realm: string, service: string | undefined, scope: string): Promise<void> {
    const url = new URL(realm);
    if (service) url.searchParams.set('service', service);
    for (const s of scope.split(' ').filter(Boolean)) url.searchParams.append('scope', s);
    const headers: Record<string, string> = {};
    const creds = this.opts.credentials;
    if (creds)
      headers.Authorization = `Basic ${Buffer.from(`${creds.username}:${creds.password}`).toString('base64')}`;
    const res = await this.send(url.toString(), { headers }, 'token request');
    const text = await res.text();
    if (res.status === 401 || res.status === 403) {
      throw new RegistryError(
        creds
          ? `${this.where()}: the token service refused the credentials of user "${creds.username}" (${res.status}): check the username and password or token`
          : `${this.where()}: anonymous access was refused (${res.status}): give a username and password`,
        res.status,
        'UNAUTHORIZED',
      );
    }
    if (!res.ok)
      throw new RegistryError(`${this.where()}: the token service answered ${res.status}`, res.status);
    const body = JSON.parse(text) as { token?: string; access_token?: string };
    const token = body.token ?? body.access_token;
    if (!token)
      throw new RegistryError(`${this.where()}: the token service answered without a token`, res.status);
    this.opts.onSecret?.(token);
    this.tokens.set(scope, token);
  }

  /** Sends a call, authenticating on the registry's challenge; returns the response for statuses in `accept`. */
  private async call(c: Call, what: string): Promise<Response> {
    for (let round = 0; ; round++) {
      const headers: Record<string, string> = { ...(c.headers ?? {}) };
      const auth = this.authHeader(c.scope);
      if (auth) headers.Authorization = auth;
      const res = await this.send(`${this.base}${c.path}`, { method: c.method, headers, body: c.body }, what);
      if (res.status === 401 && round === 0) {
        const challenge = parseChallenge(res.headers.get('www-authenticate'));
        if (challenge?.scheme === 'bearer' && challenge.params.realm) {
          await res.body?.cancel();
          await this.fetchToken(challenge.params.realm, challenge.params.service, c.scope);
          continue;
        }
        // Retried with the credentials when this request went without them: requests sent at once all
        // meet the challenge, not just the first (the flag is shared, the request's header is not).
        if (challenge?.scheme === 'basic' && this.opts.credentials && !auth?.startsWith('Basic ')) {
          await res.body?.cancel();
          this.basic = true;
          continue;
        }
      }
      if (res.ok || (c.accept ?? []).includes(res.status)) return res;
      const text = await res.text();
      const { code, message } = distributionError(text);
      if (res.status === 401) {
        throw new RegistryError(
          this.opts.credentials
            ? `${this.where()}: ${what}: the credentials of user "${this.opts.credentials.username}" were refused (401): check the username and password or token`
            : `${this.where()}: ${what}: authentication required (401): give a username and password`,
          401,
          code ?? 'UNAUTHORIZED',
        );
      }
      const detail = message ? `${message}${code ? ` (${code})` : ''}` : `HTTP ${res.status}`;
      throw new RegistryError(`${this.where()}: ${what}: ${detail}`, res.status, code);
    }
  }

  /** Every tag of a repository, following `Link: <…>; rel="next"` pages. */
  async tags(repository: string, pageSize = 1000): Promise<string[]> {
    const tags: string[] = [];
    let path: string | undefined = `/v2/${repository}/tags/list?n=${pageSize}`;
    while (path) {
      const res = await this.call(
        { method: 'GET', path, scope: `repository:${repository}:pull` },
        `tags of ${repository}`,
      );
      const body = (await res.json()) as { tags?: string[] | null };
      tags.push(...(body.tags ?? []));
      const link = res.headers.get('link');
      const next = link ? /<([^>]+)>\s*;\s*rel="?next"?/.exec(link)?.[1] : undefined;
      path = next
        ? next.startsWith('http')
          ? new URL(next).pathname + new URL(next).search
          : next
        : undefined;
    }
    return tags;
  }

  /** A manifest or index by tag or digest; a digest reference is checked against the bytes served. */
  async getManifest(repository: string, reference: string, accept = ACCEPT_ANY): Promise<Manifest> {
    const what = `manifest ${repository}${reference.startsWith('sha256:') ? '@' : ':'}${reference}`;
    const res = await this.call(
      {
        method: 'GET',
        path: `/v2/${repository}/manifests/${reference}`,
        scope: `repository:${repository}:pull`,
        headers: { Accept: accept },
      },
      what,
    );
    const bytes = Buffer.from(await res.arrayBuffer());
    const digest = sha256Digest(bytes);
    if (SHA256_DIGEST.test(reference) && digest !== reference) {
      throw new RegistryError(
        `${this.where()}: ${what}: the bytes served hash to ${digest}, not the digest asked for`,
        res.status,
      );
    }
    const mediaType =
      res.headers.get('content-type')?.split(';')[0].trim() ||
      ((JSON.parse(bytes.toString('utf8')) as { mediaType?: string }).mediaType ?? '');
    return { bytes, mediaType, digest };
  }

  /** Whether a manifest exists (HEAD), with its digest. */
  async manifestDigest(repository: string, reference: string): Promise<string | undefined> {
    const res = await this.call(
      {
        method: 'HEAD',
        path: `/v2/${repository}/manifests/${reference}`,
        scope: `repository:${repository}:pull`,
        headers: { Accept: ACCEPT_ANY },
        accept: [404],
      },
      `manifest ${repository}:${reference}`,
    );
    if (res.status === 404) return undefined;
    return res.headers.get('docker-content-digest') ?? undefined;
  }

  /** Pushes manifest bytes under a tag (or their digest); returns the digest, checked against the registry's. */
  async putManifest(
    repository: string,
    reference: string,
    bytes: Buffer,
    mediaType: string,
  ): Promise<string> {
    const digest = sha256Digest(bytes);
    const res = await this.call(
      {
        method: 'PUT',
        path: `/v2/${repository}/manifests/${reference}`,
        scope: `repository:${repository}:pull,push`,
        headers: { 'Content-Type': mediaType },
        body: bytes,
      },
      `push of manifest ${repository}:${reference}`,
    );
    await res.body?.cancel();
    const served = res.headers.get('docker-content-digest');
    if (served && served !== digest) {
      throw new RegistryError(
        `${this.where()}: the registry stored ${served} for bytes that hash to ${digest}`,
        res.status,
      );
    }
    return digest;
  }

  async blobExists(repository: string, digest: string): Promise<boolean> {
    const res = await this.call(
      {
        method: 'HEAD',
        path: `/v2/${repository}/blobs/${digest}`,
        scope: `repository:${repository}:pull`,
        accept: [404],
      },
      `blob ${repository}@${digest}`,
    );
    return res.status !== 404;
  }

  /** A blob's bytes, checked against its digest. */
  async getBlob(repository: string, digest: string): Promise<Buffer> {
    const res = await this.call(
      { method: 'GET', path: `/v2/${repository}/blobs/${digest}`, scope: `repository:${repository}:pull` },
      `blob ${repository}@${digest}`,
    );
    const bytes = Buffer.from(await res.arrayBuffer());
    if (sha256Digest(bytes) !== digest) {
      throw new RegistryError(
        `${this.where()}: blob ${repository}@${digest} does not hash to its digest`,
        res.status,
      );
    }
    return bytes;
  }

  /** Cross-repository mount: true when the registry mounted it (201), false when it wants an upload (202). */
  async mountBlob(repository: string, digest: string, from: string): Promise<boolean> {
    const res = await this.call(
      {
        method: 'POST',
        path: `/v2/${repository}/blobs/uploads/?mount=${encodeURIComponent(digest)}&from=${encodeURIComponent(from)}`,
        scope: `repository:${repository}:pull,push repository:${from}:pull`,
        accept: [202],
      },
      `mount of ${digest} from ${from} into ${repository}`,
    );
    await res.body?.cancel();
    return res.status === 201;
  }

  /** Uploads a blob in one piece (POST, then PUT with the digest); a blob already there is not sent again. */
  async pushBlob(repository: string, bytes: Buffer): Promise<string> {
    const digest = sha256Digest(bytes);
    if (await this.blobExists(repository, digest)) return digest;
    const scope = `repository:${repository}:pull,push`;
    const start = await this.call(
      { method: 'POST', path: `/v2/${repository}/blobs/uploads/`, scope, accept: [202] },
      `upload to ${repository}`,
    );
    await start.body?.cancel();
    const location = start.headers.get('location');
    if (!location)
      throw new RegistryError(
        `${this.where()}: upload to ${repository}: no Location in the answer`,
        start.status,
      );
    const url = new URL(location, this.base);
    url.searchParams.set('digest', digest);
    const put = await this.call(
      {
        method: 'PUT',
        path: url.pathname + url.search,
        scope,
        headers: { 'Content-Type': 'application/octet-stream' },
        body: bytes,
      },
      `upload of ${digest} to ${repository}`,
    );
    await put.body?.cancel();
    return digest;
  }
}
