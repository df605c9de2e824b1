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
  /**
   * Requests are denied as RBAC denies them: 403 Forbidden with upstream's Status message naming this user,
   * the verb, the resource and the namespace (`deployments.apps "web" is forbidden: User "x" cannot get ...`).
   */
  forbiddenUser?: string;
}

/** The object a request is about, for the words of a denial. */
export interface FaultTarget {
  name?: string;
  namespace?: string;
  subresource?: string;
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

  decide(verb: Verb, resource: string, group: string, target: FaultTarget = {}): FaultDecision {
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
      if (!out.error && r.forbiddenUser !== undefined && verb !== 'discovery')
        out.error = forbidden(r.forbiddenUser, verb, resource, group, target);
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

/**
 * The 403 of upstream's authorization filter: NewForbidden(resource, name, forbiddenMessage(attributes)) in
 * k8s.io/apiserver (endpoints/handlers/responsewriters/errors.go). Logs and the service proxy are `get` on
 * their subresource, as the authorizer sees them.
 */
function forbidden(user: string, verb: Verb, resource: string, group: string, t: FaultTarget): ApiError {
  const rbacVerb = verb === 'proxy' || verb === 'log' ? 'get' : verb;
  const sub = t.subresource ?? (verb === 'proxy' ? 'proxy' : verb === 'log' ? 'log' : undefined);
  const qualified = group ? `${resource}.${group}` : resource;
  const scope = t.namespace ? `in the namespace "${t.namespace}"` : 'at the cluster scope';
  const why = `User "${user}" cannot ${rbacVerb} resource "${sub ? `${resource}/${sub}` : resource}" in API group "${group}" ${scope}`;
  const subject = t.name ? `${qualified} "${t.name}"` : qualified;
  return new ApiError(403, 'Forbidden', `${subject} is forbidden: ${why}`, {
    ...(t.name ? { name: t.name } : {}),
    group,
    kind: resource,
  });
}
