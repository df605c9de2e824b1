import { ConfigurationError } from './errors';

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const PART = /(\d+(?:\.\d+)?)(ms|s|m|h)/gy;

/**
 * Parses a Go-style duration as kubectl's `--timeout` takes it: `500ms`, `30s`, `5m`, `1h30m`.
 * A bare number is seconds. Returns milliseconds. `what` names the input in the error.
 */
export function parseDuration(text: string, what = 'duration'): number {
  const s = text.trim();
  if (/^\d+(\.\d+)?$/.test(s)) return Math.round(Number(s) * 1000);
  let total = 0;
  let matched = 0;
  PART.lastIndex = 0;
  for (let m = PART.exec(s); m; m = PART.exec(s)) {
    total += Number(m[1]) * UNIT_MS[m[2]];
    matched = PART.lastIndex;
  }
  if (s === '' || matched !== s.length) {
    throw new ConfigurationError(
      `${what}: "${text}" is not a duration; use a number of seconds or units ms, s, m, h (e.g. 90s, 5m, 1h30m)`,
    );
  }
  return Math.round(total);
}

/** Formats milliseconds the way Go prints a time.Duration (kubectl's messages use it): 1m30s, 5s, 250ms. */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0s';
  if (ms < 1000) return `${ms}ms`;
  let rest = ms / 1000;
  const h = Math.floor(rest / 3600);
  rest -= h * 3600;
  const m = Math.floor(rest / 60);
  rest -= m * 60;
  const s = Number.isInteger(rest) ? String(rest) : String(Number(rest.toFixed(3)));
  return `${h ? `${h}h` : ''}${h || m ? `${m}m` : ''}${s}s`;
}
