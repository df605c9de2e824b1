/** A webhook that answered with an error, or could not be reached. The URL is never in the message (it is a secret). */
export class WebhookError extends Error {
  override name = 'WebhookError';
}

export interface PostOptions {
  /** Per attempt. Default 10 s. */
  timeoutMs?: number;
  /** Extra attempts after a network error, 429 or 5xx. Default 2. */
  retries?: number;
  /** First back-off, doubled each retry. Default 500 ms. */
  backoffMs?: number;
  /** What to call this webhook in errors (`slack-webhook`). */
  label?: string;
}

/**
 * POSTs JSON to a webhook. Retries what a retry can fix (connection errors, 429, 5xx) with back-off;
 * a 4xx is the caller's mistake and fails at once. Errors name `label`, never the URL.
 */
export async function postJson(url: string, body: unknown, opts: PostOptions = {}): Promise<number> {
  const label = opts.label ?? 'webhook';
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new WebhookError(`${label}: not a valid URL`);
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw new WebhookError(`${label}: must be an http:// or https:// URL`);
  }
  const retries = opts.retries ?? 2;
  let delay = opts.backoffMs ?? 500;
  for (let attempt = 0; ; attempt++) {
    let problem: string;
    try {
      const res = await fetch(parsed, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': 'upgrade-actions' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(opts.timeoutMs ?? 10_000),
      });
      await res.arrayBuffer();
      if (res.ok) return res.status;
      problem = `answered HTTP ${res.status}`;
      if (res.status < 500 && res.status !== 429) throw new WebhookError(`${label}: ${problem}`);
    } catch (e) {
      if (e instanceof WebhookError) throw e;
      problem = `could not be reached (${(e as Error).name === 'TimeoutError' ? 'timed out' : ((e as { cause?: { code?: string } }).cause?.code ?? (e as Error).message)})`;
    }
    if (attempt >= retries) throw new WebhookError(`${label}: ${problem} after ${attempt + 1} attempts`);
    await new Promise((r) => setTimeout(r, delay));
    delay *= 2;
  }
}
