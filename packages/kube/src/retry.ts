/**
 * When a request to the API server is sent again, as client-go's rest client decides it: a 429 means the
 * server did not process the request, so any request may be retried (after `Retry-After`); a 5xx or a
 * dropped connection may have been processed, so only requests that are safe to repeat are retried —
 * reads (GET, HEAD, watches) and writes whose result does not depend on how often they are sent: server-side
 * apply, merge and strategic-merge patches (RFC 7386: applying one twice is applying it once), and PUT (a
 * replace; with a resourceVersion a repeat of a write that went through is refused as a 409). Never POST,
 * DELETE or a JSON patch (its `add` to a list would add twice).
 * Pure: the client owns the clock and the sending.
 */
export interface RetryPolicy {
  /** Attempts in all, the first included. */
  maxAttempts: number;
  /** Backoff before retry n (1-based) without Retry-After: base × 2^(n−1), capped. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** A Retry-After longer than this is not waited for: the error is returned. */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = {
  maxAttempts: 6,
  baseDelayMs: 250,
  maxDelayMs: 4000,
  maxRetryAfterMs: 30_000,
};

// A connection that dropped mid-request. A refused one is not retried: nothing listens, and kubectl
// (client-go) says so at once.
const CONNECTION_ERRORS = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED']);

const IDEMPOTENT_PATCHES = new Set([
  'application/apply-patch+yaml',
  'application/merge-patch+json',
  'application/strategic-merge-patch+json',
]);

export function isIdempotent(method: string, contentType?: string): boolean {
  const m = method.toUpperCase();
  if (m === 'GET' || m === 'HEAD' || m === 'PUT') return true;
  return m === 'PATCH' && contentType !== undefined && IDEMPOTENT_PATCHES.has(contentType);
}

export type Outcome = { status: number; retryAfter?: string | null } | { error: NodeJS.ErrnoException };

/** How long to wait before the next attempt, or undefined to give up and return what was got. */
export function retryDelay(
  policy: RetryPolicy,
  attempt: number,
  method: string,
  contentType: string | undefined,
  outcome: Outcome,
): number | undefined {
  if (attempt >= policy.maxAttempts) return undefined;
  const backoff = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  if ('error' in outcome) {
    const code = outcome.error.code ?? '';
    const dropped = CONNECTION_ERRORS.has(code) || outcome.error.message === 'socket hang up';
    return dropped && isIdempotent(method, contentType) ? backoff : undefined;
  }
  const { status } = outcome;
  const after = parseRetryAfter(outcome.retryAfter);
  if (after !== undefined && after > policy.maxRetryAfterMs) return undefined;
  if (status === 429) return after ?? backoff;
  if (status >= 500 && status !== 501 && isIdempotent(method, contentType)) return after ?? backoff;
  return undefined;
}

/** `Retry-After` in seconds (what the API server sends) or as an HTTP date. */
export function parseRetryAfter(header: string | null | undefined, now = Date.now()): number | undefined {
  if (!header) return undefined;
  const h = header.trim();
  if (/^\d+$/.test(h)) return Number(h) * 1000;
  const at = Date.parse(h);
  return Number.isFinite(at) ? Math.max(0, at - now) : undefined;
}
