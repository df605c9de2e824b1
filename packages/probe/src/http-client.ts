import http from 'node:http';
import https from 'node:https';
import { formatDuration } from '@upgrade-actions/common';
import { roundMs } from './latency';

export interface TlsOptions {
  /** Accept any server certificate (kubectl's --insecure-skip-tls-verify). */
  insecureSkipVerify?: boolean;
  /** PEM bundle of the CAs to trust instead of the system's. */
  ca?: string | Buffer;
  /** Client certificate and key (PEM), as a kubeconfig gives them for kind clusters. */
  cert?: string;
  key?: string;
  /** The name to verify the server's certificate against (kubeconfig's tls-server-name). */
  servername?: string;
}

export interface HttpRequest {
  url: string;
  method?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  timeoutMs: number;
  tls?: TlsOptions;
  signal?: AbortSignal;
  /** Bytes of body kept for matching; the rest is read and dropped. Default 1 MiB. */
  maxBodyBytes?: number;
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
  /** From sending the request to the last byte of the body, ms with two decimals. */
  latency: number;
}

export type HttpFailureKind = 'timeout' | 'refused' | 'dns' | 'tls' | 'reset' | 'aborted' | 'other';

/** A request that got no HTTP response. The message says why in one line, with a hint where one helps. */
export class HttpFailure extends Error {
  override name = 'HttpFailure';
  constructor(
    message: string,
    readonly kind: HttpFailureKind,
    readonly latency: number,
  ) {
    super(message);
  }
}

const TLS_CODES = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER|ERR_TLS|ERR_SSL|HOSTNAME/;

function describe(err: NodeJS.ErrnoException): { kind: HttpFailureKind; text: string } {
  const code = err.code ?? '';
  if (code === 'ECONNREFUSED') return { kind: 'refused', text: `connection refused (${code})` };
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return { kind: 'dns', text: `host not found (${code})` };
  if (code === 'ECONNRESET' || code === 'EPIPE') return { kind: 'reset', text: `connection reset (${code})` };
  if (TLS_CODES.test(code)) {
    return {
      kind: 'tls',
      // Node appends advice about its own flags after a semicolon; our users need ours instead.
      text: `TLS: ${err.message.split(';')[0]} (${code}); trust the server with a CA file, or skip verification for a test endpoint`,
    };
  }
  return { kind: 'other', text: err.message + (code ? ` (${code})` : '') || String(err) };
}

/**
 * One HTTP(S) request with a hard deadline covering connect, headers and body. Node's http module
 * rather than fetch: it gives per-request TLS options (CA, skip-verify) without a dispatcher
 * dependency, and times the body read exactly.
 */
export function httpRequest(req: HttpRequest): Promise<HttpResponse> {
  const url = new URL(req.url);
  const lib = url.protocol === 'https:' ? https : http;
  const maxBody = req.maxBodyBytes ?? 1 << 20;
  const timeout = AbortSignal.timeout(req.timeoutMs);
  const signal = req.signal ? AbortSignal.any([timeout, req.signal]) : timeout;
  const start = process.hrtime.bigint();
  const elapsed = () => roundMs(Number(process.hrtime.bigint() - start) / 1e6);
  const what = `${req.method ?? 'GET'} ${url.origin}${url.pathname}`;

  return new Promise((resolve, reject) => {
    const fail = (err: unknown) => {
      if (timeout.aborted) {
        reject(
          new HttpFailure(
            `${what}: no response within ${formatDuration(req.timeoutMs)}`,
            'timeout',
            elapsed(),
          ),
        );
      } else if (req.signal?.aborted) {
        reject(new HttpFailure(`${what}: cancelled`, 'aborted', elapsed()));
      } else {
        const d = describe(err as NodeJS.ErrnoException);
        reject(new HttpFailure(`${what}: ${d.text}`, d.kind, elapsed()));
      }
    };
    const headers: Record<string, string> = { 'user-agent': 'upgrade-actions-probe', ...req.headers };
    if (req.body !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-length')) {
      headers['content-length'] = String(Buffer.byteLength(req.body));
    }
    const r = lib.request(
      url,
      {
        method: req.method ?? 'GET',
        headers,
        signal,
        // A probe must see the server as a new client would: no pooled connection hides a dead listener.
        agent: false,
        ...(url.protocol === 'https:'
          ? {
              rejectUnauthorized: !req.tls?.insecureSkipVerify,
              ...(req.tls?.ca ? { ca: req.tls.ca } : {}),
              ...(req.tls?.cert ? { cert: req.tls.cert, key: req.tls.key } : {}),
              ...(req.tls?.servername ? { servername: req.tls.servername } : {}),
            }
          : {}),
      },
      (res) => {
        const chunks: Buffer[] = [];
        let kept = 0;
        res.on('data', (c: Buffer) => {
          if (kept < maxBody) {
            chunks.push(c.subarray(0, maxBody - kept));
            kept += Math.min(c.length, maxBody - kept);
          }
        });
        res.on('error', fail);
        res.on('end', () => {
          const out: Record<string, string> = {};
          for (const [k, v] of Object.entries(res.headers)) {
            if (v !== undefined) out[k] = Array.isArray(v) ? v.join(', ') : v;
          }
          resolve({
            status: res.statusCode ?? 0,
            headers: out,
            body: Buffer.concat(chunks),
            latency: elapsed(),
          });
        });
      },
    );
    r.on('error', fail);
    r.end(req.body);
  });
}
