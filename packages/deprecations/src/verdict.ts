import { ConfigurationError } from '@upgrade-actions/common';
import type { ManifestObject } from './objects';
import { replacementAt } from './advice';
import { gvkOf, lookup, servedRange, type ApiLifecycle, type LifecycleTable } from './table';
import { compareMinor, formatMinor, parseMinor, requireMinor, type Minor } from './versions';

/** The release each component is checked against: Kubernetes, and any CRD ecosystem by name. */
export interface Targets {
  kubernetes: Minor;
  /** e.g. `{ 'cert-manager': 1.5 }`; components not named are checked at their newest known release. */
  components?: Record<string, Minor>;
}

/**
 * What is wrong at the target: `deprecated` (still served), `removed` (no longer served), or
 * `not-yet-available` (not served yet: the manifest is newer than the cluster it is meant for).
 */
export type FindingStatus = 'deprecated' | 'removed' | 'not-yet-available';

/** One object using an API version that is deprecated, removed or not yet available at its target release. */
export interface Finding {
  status: FindingStatus;
  file: string;
  documentIndex: number;
  itemIndex?: number;
  line: number | null;
  apiVersion: string;
  kind: string;
  name: string | null;
  namespace: string | null;
  component: string;
  /** The release the verdict is for, e.g. `1.29` (of `component`). */
  target: string;
  /** The first release that serves the object's API version (null: as far back as the table goes). */
  introducedIn: string | null;
  deprecatedIn: string | null;
  removedIn: string | null;
  /**
   * `group/version/Kind` to migrate to, chosen for the target: the most stable version it serves.
   * When it serves none (`replacementServed: false`), where the API goes and from which release.
   */
  replacement: string | null;
  replacementAvailableIn: string | null;
  replacementServed: boolean;
  deprecated: boolean;
  removed: boolean;
  notYetAvailable: boolean;
}

export function targetFor(table: LifecycleTable, targets: Targets, component: string): Minor {
  if (component === 'kubernetes') return targets.kubernetes;
  const given = targets.components?.[component];
  if (given) return given;
  const latest = table.latest[component];
  if (!latest) throw new Error(`no newest release known for component ${component}`);
  return parseMinor(latest)!;
}

/**
 * Deprecated at a target >= deprecatedIn, removed (no longer served) at a target >= removedIn, not yet
 * available at a target < introducedIn.
 */
export function judge(
  entry: Pick<ApiLifecycle, 'introducedIn' | 'deprecatedIn' | 'removedIn'>,
  target: Minor,
): { deprecated: boolean; removed: boolean; notYetAvailable: boolean } {
  const at = (v: string | null) => v !== null && compareMinor(target, parseMinor(v)!) >= 0;
  const notYetAvailable = entry.introducedIn !== null && !at(entry.introducedIn);
  const removed = !notYetAvailable && at(entry.removedIn);
  // An API that is gone was deprecated first, even where no deprecation release is recorded.
  return { deprecated: !notYetAvailable && (removed || at(entry.deprecatedIn)), removed, notYetAvailable };
}

export function findingsFor(
  objects: Iterable<ManifestObject>,
  table: LifecycleTable,
  targets: Targets,
): Finding[] {
  const out: Finding[] = [];
  for (const o of objects) {
    if (o.apiVersion === null || o.kind === null) continue;
    // Entries of the table, and the GA versions it names as replacements (judged only for "not yet").
    const range = servedRange(table, o.apiVersion, o.kind);
    if (!range) continue;
    const entry = lookup(table, o.apiVersion, o.kind);
    const target = targetFor(table, targets, range.component);
    const v = judge(
      { introducedIn: range.from, deprecatedIn: range.deprecatedIn, removedIn: range.until },
      target,
    );
    if (!v.deprecated && !v.removed && !v.notYetAvailable) continue;
    const r = replacementAt(table, gvkOf(o.apiVersion, o.kind), target);
    out.push({
      status: v.notYetAvailable ? 'not-yet-available' : v.removed ? 'removed' : 'deprecated',
      file: o.file,
      documentIndex: o.documentIndex,
      ...(o.itemIndex === undefined ? {} : { itemIndex: o.itemIndex }),
      line: o.line,
      apiVersion: o.apiVersion,
      kind: o.kind,
      name: o.name,
      namespace: o.namespace,
      component: range.component,
      target: formatMinor(target),
      introducedIn: range.from,
      deprecatedIn: entry?.deprecatedIn ?? range.deprecatedIn,
      removedIn: entry?.removedIn ?? range.until,
      replacement: r.gvk,
      replacementAvailableIn: r.availableIn,
      replacementServed: r.servedAtTarget,
      ...v,
    });
  }
  return out;
}

export function countFindings(findings: Finding[]): {
  deprecated: number;
  removed: number;
  notYetAvailable: number;
} {
  return {
    deprecated: findings.filter((f) => f.status === 'deprecated').length,
    removed: findings.filter((f) => f.status === 'removed').length,
    notYetAvailable: findings.filter((f) => f.status === 'not-yet-available').length,
  };
}

/** `--component-version cert-manager=1.5` / the `component-versions` input, one per line or comma. */
export function parseComponentVersions(
  specs: string[],
  table: LifecycleTable,
  inputName: string,
): Record<string, Minor> {
  const known = Object.keys(table.latest).filter((c) => c !== 'kubernetes');
  const out: Record<string, Minor> = {};
  for (const spec of specs) {
    const m = /^\s*([a-z0-9-]+)\s*=\s*(\S+)\s*$/.exec(spec);
    if (!m || !known.includes(m[1]))
      throw new ConfigurationError(
        `${inputName} must be <component>=<version> with component one of ${known.join(', ')}, got ${JSON.stringify(spec)}`,
      );
    out[m[1]] = requireMinor(m[2], `${inputName} (${m[1]})`);
  }
  return out;
}

export type FailOn = 'deprecated' | 'removed' | 'none';

/** Whether the target cannot serve the object at all (removed, or not yet available): apply fails. */
export function notServed(f: Pick<Finding, 'removed' | 'notYetAvailable'>): boolean {
  return f.removed || f.notYetAvailable;
}

/**
 * Whether the findings fail the check under a `fail-on` policy. `removed` fails on every object the
 * target does not serve (removed or not yet available); `deprecated` on every finding.
 */
export function fails(findings: Finding[], failOn: FailOn): boolean {
  if (failOn === 'none') return false;
  return findings.some((f) => (failOn === 'deprecated' ? true : notServed(f)));
}

/**
 * CLI exit codes: 0 nothing found, 2 deprecated only, 3 something removed, 4 something not yet
 * available (1 is for errors). The highest applies.
 */
export function exitCodeFor(findings: Finding[]): 0 | 2 | 3 | 4 {
  if (findings.some((f) => f.notYetAvailable)) return 4;
  if (findings.some((f) => f.removed)) return 3;
  return findings.length ? 2 : 0;
}
