import { ConfigurationError } from '@upgrade-actions/common';

/** Accepted statuses as a predicate plus the text the user wrote, for messages. */
export interface StatusSet {
  text: string;
  accepts(status: number): boolean;
}

const ITEM = /^(?:([1-5])xx|([1-5]\d\d)(?:-([1-5]\d\d))?)$/i;

/**
 * Parses `200`, `200,204`, `200-299`, `2xx` (comma, space or newline separated).
 * `what` names the input in the error.
 */
export function parseStatusSet(
  text: string | number | Array<string | number>,
  what = 'expected-status',
): StatusSet {
  const items = (Array.isArray(text) ? text.map(String) : String(text).split(/[\s,]+/))
    .map((s) => s.trim())
    .filter(Boolean);
  if (!items.length)
    throw new ConfigurationError(`${what}: empty; give status codes such as 200, 200-299 or 2xx`);
  const ranges: Array<[number, number]> = items.map((item) => {
    const m = ITEM.exec(item);
    if (!m) {
      throw new ConfigurationError(
        `${what}: "${item}" is not a status code; use codes (200), ranges (200-299) or classes (2xx) between 100 and 599`,
      );
    }
    if (m[1]) return [Number(m[1]) * 100, Number(m[1]) * 100 + 99];
    const lo = Number(m[2]);
    const hi = m[3] ? Number(m[3]) : lo;
    if (hi < lo) throw new ConfigurationError(`${what}: range "${item}" ends before it starts`);
    return [lo, hi];
  });
  return { text: items.join(','), accepts: (s) => ranges.some(([lo, hi]) => s >= lo && s <= hi) };
}
