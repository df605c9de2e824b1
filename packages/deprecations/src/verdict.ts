import { ConfigurationError } from '@upgrade-actions/common';
import type { ManifestObject } from './objects';
import { lookup, type ApiLifecycle, type LifecycleTable } from './table';
import { compareMinor, formatMinor, parseMinor, requireMinor, type Minor } from './versions';

/** The release each component is checked against: Kubernetes, and any CRD ecosystem by name. */
export interface Targets {
  kubernetes: Minor;
  /** e.g. `{ 'cert-manager': 1.5 }`; components not named are checked at their newest known release. */
  components?: Record<string, Minor>;
}

/** One object using an API version that is deprecated or removed at its target release. */
export interface Finding {
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
  deprecatedIn: string | null;
  removedIn: string | null;
  replacement: string | null;
  replacementAvailableIn: string | null;
  deprecated: boolean;
  removed: boolean;
}

export function targetFor(table: LifecycleTable, targets: Targets, component: string): Minor {
  if (component === 'kubernetes') return targets.kubernetes;
  const given = targets.components?.[component];
  if (given) return given;
  const latest = table.latest[component];
  if (!latest) throw new Error(`no newest release known for component ${component}`);
  return parseMinor(latest)!;
}

/** Deprecated at a target >= deprecatedIn, removed (no longer served) at a target >= removedIn. */
export function judge(entry: ApiLifecycle, target: Minor): { deprecated: boolean; removed: boolean } {
  const at = (v: string | null) => v !== null && compareMinor(target, parseMinor(v)!) >= 0;
  const removed = at(entry.removedIn);
  // An API that is gone was deprecated first, even where no deprecation release is recorded.
  return { deprecated: removed || at(entry.deprecatedIn), removed };
}

export function findingsFor(
  objects: Iterable<ManifestObject>,
  table: LifecycleTable,
  targets: Targets,
): Finding[] {
  const out: Finding[] = [];
  for (const o of objects) {
    if (o.apiVersion === null || o.kind === null) continue;
    const entry = lookup(table, o.apiVersion, o.kind);
    if (!entry) continue;
    const target = targetFor(table, targets, entry.component);
    const v = judge(entry, target);
    if (!v.deprecated && !v.removed) continue;
    out.push({
      file: o.file,
      documentIndex: o.documentIndex,
      ...(o.itemIndex === undefined ? {} : { itemIndex: o.itemIndex }),
      line: o.line,
      apiVersion: o.apiVersion,
      kind: o.kind,
      name: o.name,
      namespace: o.namespace,
      component: entry.component,
      target: formatMinor(target),
      deprecatedIn: entry.deprecatedIn,
      removedIn: entry.removedIn,
      replacement: entry.replacement,
      replacementAvailableIn: entry.replacementAvailableIn,
      ...v,
    });
  }
  return out;
}

export function countFindings(findings: Finding[]): { deprecated: number; removed: number } {
  return {
    deprecated: findings.filter((f) => f.deprecated && !f.removed).length,
    removed: findings.filter((f) => f.removed).length,
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

/** Whether the findings fail the check under a `fail-on` policy. */
export function fails(findings: Finding[], failOn: FailOn): boolean {
  if (failOn === 'none') return false;
  return findings.some((f) => (failOn === 'deprecated' ? f.deprecated || f.removed : f.removed));
}

/** CLI exit codes: 0 nothing found, 2 deprecated only, 3 something removed (1 is for errors). */
export function exitCodeFor(findings: Finding[]): 0 | 2 | 3 {
  if (findings.some((f) => f.removed)) return 3;
  return findings.length ? 2 : 0;
}
