import { ConfigurationError } from '@upgrade-actions/common';
import type { Match } from '@upgrade-actions/traffic';

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/**
 * `header-match: "x-user-tier: premium"` (the seed's Istio rule) and `cookie-match: canary` (a cookie whose
 * value is `always`, ingress-nginx's convention) as router matches. Checked before anything is written.
 */
export function parseMatches(header: string, cookie: string): Match[] {
  const matches: Match[] = [];
  const h = header.trim();
  if (h) {
    const i = h.indexOf(':');
    const name = i > 0 ? h.slice(0, i).trim() : '';
    const value = i > 0 ? h.slice(i + 1).trim() : '';
    if (!TOKEN.test(name) || !value || /[\r\n]/.test(value)) {
      throw new ConfigurationError(
        `header-match: "${h.slice(0, 60)}" is not "Name: value" (e.g. x-user-tier: premium)`,
      );
    }
    matches.push({ kind: 'header', name: name.toLowerCase(), value });
  }
  const c = cookie.trim();
  if (c) {
    if (!TOKEN.test(c))
      throw new ConfigurationError(`cookie-match: "${c.slice(0, 60)}" is not a cookie name`);
    matches.push({ kind: 'cookie', name: c });
  }
  return matches;
}
