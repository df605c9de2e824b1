import { ConfigurationError } from '@upgrade-actions/common';
import { HttpFailure, httpRequest, type TlsOptions } from './http-client';

export interface Sample {
  labels: Record<string, string>;
  value: number;
}

export interface PrometheusOptions {
  timeoutMs?: number;
  /** e.g. Authorization for a Prometheus behind a proxy; values are never printed. */
  headers?: Record<string, string>;
  tls?: TlsOptions;
}

/** Prometheus answered, but not with a result: unreachable, or an error status. */
export class PrometheusError extends Error {
  override name = 'PrometheusError';
  constructor(
    message: string,
    /** bad_data (the query), unreachable, or Prometheus's errorType. */
    readonly kind: string,
  ) {
    super(message);
  }
}

/** Prometheus writes special floats as strings: NaN, +Inf, -Inf. */
export function parseSampleValue(text: string): number {
  if (text === '+Inf') return Infinity;
  if (text === '-Inf') return -Infinity;
  return Number(text);
}

interface ApiResponse {
  status: 'success' | 'error';
  errorType?: string;
  error?: string;
  data?: { resultType: string; result: unknown };
}

/**
 * Reads a query's result from the HTTP API's JSON. Instant vectors and scalars become samples; a
 * range vector (a bare `metric[5m]`) cannot be compared with a threshold, so it is the query's fault.
 */
export function samplesFromResponse(body: ApiResponse, query: string): Sample[] {
  const data = body.data;
  if (!data) throw new PrometheusError(`Prometheus answered without data for ${query}`, 'bad_response');
  switch (data.resultType) {
    case 'vector':
      return (data.result as Array<{ metric: Record<string, string>; value: [number, string] }>).map((r) => ({
        labels: r.metric,
        value: parseSampleValue(r.value[1]),
      }));
    case 'scalar':
      return [{ labels: {}, value: parseSampleValue((data.result as [number, string])[1]) }];
    default:
      throw new ConfigurationError(
        `query ${query} returns a ${data.resultType}; a check needs an instant vector or a scalar (wrap a range selector in rate(), avg_over_time(), ...)`,
      );
  }
}

/** A small client of the Prometheus HTTP API (`/api/v1/query`), enough for health gates. */
export class PrometheusClient {
  readonly baseUrl: string;
  constructor(
    baseUrl: string,
    private readonly opts: PrometheusOptions = {},
  ) {
    let u: URL;
    try {
      u = new URL(baseUrl);
    } catch {
      throw new ConfigurationError(
        `prometheus-url: "${baseUrl}" is not a URL; give the server's address, e.g. http://prometheus:9090`,
      );
    }
    if (u.protocol !== 'http:' && u.protocol !== 'https:') {
      throw new ConfigurationError(`prometheus-url: "${baseUrl}" must be an http:// or https:// address`);
    }
    this.baseUrl = u.toString().replace(/\/+$/, '');
  }

  /** An instant query at `time` (default: now on the server). */
  async query(query: string, opts: { time?: Date; signal?: AbortSignal } = {}): Promise<Sample[]> {
    const form = new URLSearchParams({ query });
    if (opts.time) form.set('time', String(opts.time.getTime() / 1000));
    let res;
    try {
      res = await httpRequest({
        url: `${this.baseUrl}/api/v1/query`,
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...this.opts.headers },
        body: form.toString(),
        timeoutMs: this.opts.timeoutMs ?? 10_000,
        tls: this.opts.tls,
        signal: opts.signal,
      });
    } catch (e) {
      if (e instanceof HttpFailure) {
        throw new PrometheusError(
          `Prometheus at ${this.baseUrl} cannot be reached: ${e.message}`,
          'unreachable',
        );
      }
      throw e;
    }
    let body: ApiResponse;
    try {
      body = JSON.parse(res.body.toString('utf8')) as ApiResponse;
    } catch {
      throw new PrometheusError(
        `${this.baseUrl}/api/v1/query answered ${res.status} with something other than JSON; is this a Prometheus server?`,
        'bad_response',
      );
    }
    if (body.status !== 'success') {
      const kind = body.errorType ?? `http_${res.status}`;
      const message = `Prometheus rejected ${query}: ${body.error ?? `status ${res.status}`}`;
      // bad_data is Prometheus's verdict on the query itself (parse error, bad type): the user's to fix.
      if (kind === 'bad_data') throw new ConfigurationError(message);
      throw new PrometheusError(message, kind);
    }
    return samplesFromResponse(body, query);
  }
}
