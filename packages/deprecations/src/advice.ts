import { type LifecycleTable, type ServedRange } from './table';
import { compareMinor, parseMinor, type Minor } from './versions';

/** What to migrate an object to, at the release it is judged at. */
export interface Replacement {
  /** `group/version/Kind`, or null when the API has no other version (PodSecurityPolicy). */
  gvk: string | null;
  /** The first release that serves it. */
  availableIn: string | null;
  /** Whether the target serves it; when false, `gvk` is where the API goes, from `availableIn` on. */
  servedAtTarget: boolean;
}

/** Whether `range` is served at `target`: from `from` (inclusive) until `until` (exclusive). */
export function servedAt(range: Pick<ServedRange, 'from' | 'until'>, target: Minor): boolean {
  const from = range.from === null || compareMinor(target, parseMinor(range.from)!) >= 0;
  const before = range.until === null || compareMinor(target, parseMinor(range.until)!) < 0;
  return from && before;
}

// v1 > v1beta3 > v1beta2 > v1beta1 > v1alpha1: GA first, then beta, then alpha, higher numbers first.
const VERSION = /^v(\d+)(?:(alpha|beta)(\d+))?$/;
function stability(apiVersion: string): [number, number, number] {
  const m = VERSION.exec(apiVersion.slice(apiVersion.lastIndexOf('/') + 1));
  if (!m) return [0, 0, 0];
  const level = m[2] === undefined ? 3 : m[2] === 'beta' ? 2 : 1;
  return [level, Number(m[1]), Number(m[3] ?? 0)];
}

/**
 * The version to migrate to at `target`: among the other versions of the same API that the target
 * serves, the most stable (GA over beta over alpha), preferring one not deprecated at the target, then
 * the newest. When the target serves none, the end of the replacement chain and when it arrives: the
 * advice must never name a version the target cannot serve.
 */
export function replacementAt(table: LifecycleTable, gvk: string, target: Minor): Replacement {
  const family = table.families.get(gvk) ?? [];
  const candidates = family.filter((r) => r.gvk !== gvk && servedAt(r, target));
  if (candidates.length) {
    const deprecated = (r: ServedRange) =>
      r.deprecatedIn !== null && compareMinor(target, parseMinor(r.deprecatedIn)!) >= 0 ? 1 : 0;
    const best = candidates.sort((a, b) => {
      const [sa, sb] = [stability(a.apiVersion), stability(b.apiVersion)];
      return sb[0] - sa[0] || deprecated(a) - deprecated(b) || sb[1] - sa[1] || sb[2] - sa[2];
    })[0];
    return { gvk: best.gvk, availableIn: best.from, servedAtTarget: true };
  }
  // Follow the table's replacements to the end of the chain (v1beta1 → v1beta3 → v1).
  let next = table.entries.find((e) => `${e.apiVersion}/${e.kind}` === gvk)?.replacement ?? null;
  const seen = new Set<string>([gvk]);
  while (next && !seen.has(next)) {
    seen.add(next);
    const after = table.entries.find((e) => `${e.apiVersion}/${e.kind}` === next)?.replacement;
    if (!after) break;
    next = after;
  }
  if (!next || next === gvk) return { gvk: null, availableIn: null, servedAtTarget: false };
  return { gvk: next, availableIn: table.served.get(next)?.from ?? null, servedAtTarget: false };
}
