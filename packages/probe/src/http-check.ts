import { ConfigurationError } from '@upgrade-actions/common';
import { HttpFailure, httpRequest, type HttpResponse, type TlsOptions } from './http-client';
import type { StatusSet } from './status-codes';
import { targetEndpoint } from './endpoint';
import { describeTarget, type Target } from './target';
import type { Check, CheckResult } from './types';

/** A service-level check, validated. */
export interface HttpCheckSpec {
  name: string;
  target: Target;
  method: string;
  /** Values are secrets as far as the report is concerned: never printed. */
  headers: Record<string, string>;
  body?: string;
  expectedStatus: StatusSet;
  /** The body must match this regular expression. */
  bodyMatch?: RegExp;
  /** Slower answers fail the check (ms). */
  maxLatencyMs?: number;
  timeoutMs: number;
  tls: TlsOptions;
}

/** How the probe reaches the API server for `service:port/path` targets (from the kubeconfig). */
export interface ApiServerAccess {
  server: string;
  namespace: string;
  /** Asked before each request: exec-plugin and OIDC tokens expire during a long watch. */
  credentials(): Promise<ApiCredentials>;
}

export interface ApiCredentials {
  headers: Record<string, string>;
  tls: TlsOptions;
}

/** Compiles a body-match pattern, naming the input when it is not a regular expression. */
export function compilePattern(text: string, what: string): RegExp {
  try {
    return new RegExp(text);
  } catch (e) {
    throw new ConfigurationError(`${what}: "${text}" is not a regular expression (${(e as Error).message})`);
  }
}

/**
 * The API server's own answer through its service proxy — a `Status` object (`error trying to reach
 * service`, a 503 of its own, a refusal) — rather than the app's: the app was not observed.
 */
export function apiServerStatus(res: HttpResponse): { code: number; message: string } | undefined {
  // 5xx and 429: the API server or its proxy failed; 401/403: it refused us. A 404 (no such Service) is
  // about the release itself and stays a failed check.
  if (!(res.status >= 500 || [401, 403, 429].includes(res.status))) return undefined;
  try {
    const body = JSON.parse(res.body.toString('utf8')) as {
      kind?: string;
      apiVersion?: string;
      message?: string;
      code?: number;
    };
    if (body.kind === 'Status' && body.apiVersion === 'v1')
      return { code: body.code ?? res.status, message: body.message ?? '' };
  } catch {
    // not JSON: the app's own answer
  }
  return undefined;
}

/** Judges one response against the spec. Pure: the same response always gives the same verdict. */
export function judgeResponse(spec: HttpCheckSpec, res: HttpResponse, viaApiServer = false): CheckResult {
  const fromApi = viaApiServer ? apiServerStatus(res) : undefined;
  if (fromApi) {
    return {
      ok: false,
      unreachable: true,
      latency: res.latency,
      observations: { status: res.status, apiServer: fromApi.message },
      error: `the probe could not reach the app: the API server answered ${res.status} (${fromApi.message || 'no message'}); the app was not judged`,
    };
  }
  const problems: string[] = [];
  if (!spec.expectedStatus.accepts(res.status))
    problems.push(`status ${res.status}, expected ${spec.expectedStatus.text}`);
  let bodyMatched: boolean | undefined;
  if (spec.bodyMatch) {
    bodyMatched = spec.bodyMatch.test(res.body.toString('utf8'));
    if (!bodyMatched) problems.push(`body does not match /${spec.bodyMatch.source}/`);
  }
  if (spec.maxLatencyMs !== undefined && res.latency > spec.maxLatencyMs) {
    problems.push(`latency ${res.latency.toFixed(2)} ms over ${spec.maxLatencyMs} ms`);
  }
  const observations: Record<string, unknown> = { status: res.status, latency: res.latency };
  if (bodyMatched !== undefined) observations.bodyMatched = bodyMatched;
  return {
    ok: problems.length === 0,
    latency: res.latency,
    observations,
    ...(problems.length ? { error: problems.join('; ') } : {}),
  };
}

/** Turns a request that got no response into a failed observation. */
export function judgeFailure(err: HttpFailure): CheckResult {
  return { ok: false, latency: null, observations: { failure: err.kind }, error: err.message };
}

/** The check the probe runs each round. `api` is needed only for service targets. */
export function httpCheck(spec: HttpCheckSpec, api?: ApiServerAccess): Check {
  const endpoint = targetEndpoint(spec.target, api, spec.name);
  const url = endpoint.url;
  return {
    name: spec.name,
    level: 'service',
    target: describeTarget(spec.target),
    async run(signal) {
      try {
        let headers = spec.headers;
        let tls = spec.tls;
        if (endpoint.credentials) {
          const c = await endpoint.credentials();
          // The API server's credentials go first so a check's own headers (e.g. a Host) still apply on top.
          headers = { ...c.headers, ...spec.headers };
          tls = c.tls;
        }
        const res = await httpRequest({
          url,
          method: spec.method,
          headers,
          body: spec.body,
          timeoutMs: spec.timeoutMs,
          tls,
          signal,
        });
        return judgeResponse(spec, res, endpoint.credentials !== undefined);
      } catch (e) {
        if (e instanceof HttpFailure) return judgeFailure(e);
        throw e;
      }
    },
  };
}
