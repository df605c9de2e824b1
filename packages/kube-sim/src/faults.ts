import { ApiError } from './types';

/** What a request does, as fault rules select it. `proxy` and `log` are the subresources served as streams. */
export type Verb =
  | 'get'
  | 'list'
  | 'watch'
  | 'create'
  | 'update'
  | 'patch'
  | 'delete'
  | 'deletecollection'
  | 'discovery'
  | 'proxy'
  | 'log';

/**
 * One fault: which requests it hits (`verb`, `resource` as `deployments` or `deployments.apps`, `*` or absent =
 * all) and what happens to them. Several effects can combine (latency, then maybe an error).
 */
export interface FaultRule {
  verb?: Verb | '*';
  resource?: string;
  /** Delay before the request is handled, in real milliseconds. */
  latencyMs?: number;
  /** Share of requests (0..1) answered with a server error `errorCode` (default 500 InternalError). */
  errorRate?: number;
  errorCode?: 500 | 502 | 503 | 504;
  /** Share of requests (0..1) answered with 429 TooManyRequests and `Retry-After: retryAfterSeconds` (default 1). */
  throttleRate?: number;
  retryAfterSeconds?: number;
  /** Watches are cut (connection dropped without a final event) this many real milliseconds after they start. */
  dropAfterMs?: number;
  /** The rule expires after hitting this many requests. */
  times?: number;
}

export interface FaultDecision {
  latencyMs: number;
  error?: ApiError;
  headers?: Record<string, string>;
  dropAfterMs?: number;
}

const REASONS: Record<number, string> = {
  500: 'InternalError',
  502: 'InternalError',
  503: 'ServiceUnavailable',
  504: 'Timeout',
};

/** Fault injection per verb and resource; `random` is injectable so tests can make rates deterministic. */
export class Faults {
  private rules: Array<FaultRule & { hits: number }> = [];

  constructor(private readonly random: () => number = Math.random) {}

  /** Adds a rule; returns a function that removes it. */
  set(rule: FaultRule): () => void {
    for (const k of ['errorRate', 'throttleRate'] as const) {
      const v = rule[k];
      if (v !== undefined && !(v >= 0 && v <= 1))
        throw new RangeError(`fault ${k} must be between 0 and 1, got ${v}`);
    }
    const entry = { ...rule, hits: 0 };
    this.rules.push(entry);
    return () => {
      this.rules = this.rules.filter((r) => r !== entry);
    };
  }

  clear(): void {
    this.rules = [];
  }

  decide(verb: Verb, resource: string, group: string): FaultDecision {
    const out: FaultDecision = { latencyMs: 0 };
    for (const r of [...this.rules]) {
      if (r.verb && r.verb !== '*' && r.verb !== verb) continue;
      if (
        r.resource &&
        r.resource !== '*' &&
        r.resource !== resource &&
        r.resource !== `${resource}.${group}`
      )
        continue;
      r.hits++;
      if (r.times !== undefined && r.hits >= r.times) this.rules = this.rules.filter((x) => x !== r);
      out.latencyMs += r.latencyMs ?? 0;
      if (r.dropAfterMs !== undefined) out.dropAfterMs = r.dropAfterMs;
      if (!out.error && r.throttleRate && this.random() < r.throttleRate) {
        const after = r.retryAfterSeconds ?? 1;
        out.error = new ApiError(429, 'TooManyRequests', 'Too many requests, please try again later.', {
          retryAfterSeconds: after,
        });
        out.headers = { 'Retry-After': String(after) };
      }
      if (!out.error && r.errorRate && this.random() < r.errorRate) {
        const code = r.errorCode ?? 500;
        out.error = new ApiError(
          code,
          REASONS[code] ?? 'InternalError',
          `Internal error occurred: injected fault (${verb} ${resource})`,
        );
      }
    }
    return out;
  }
}
