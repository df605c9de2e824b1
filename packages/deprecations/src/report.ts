import type { Finding } from './verdict';

const COMPONENT_NAMES: Record<string, string> = {
  kubernetes: 'Kubernetes',
  'cert-manager': 'cert-manager',
  istio: 'Istio',
};

export function componentName(component: string): string {
  return COMPONENT_NAMES[component] ?? component;
}

/** `extensions/v1beta1/Ingress` → `networking.k8s.io/v1 Ingress`, as people write it. */
export function describeApi(gvk: string): string {
  const i = gvk.lastIndexOf('/');
  return `${gvk.slice(0, i)} ${gvk.slice(i + 1)}`;
}

export function objectName(f: Pick<Finding, 'kind' | 'name' | 'namespace'>): string {
  const name = f.name ?? '<unnamed>';
  return f.namespace ? `${f.kind} ${f.namespace}/${name}` : `${f.kind} ${name}`;
}

/** `1 object`, `2 objects`. */
export function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

/** `1 deprecated, 2 removed, 1 not yet available at Kubernetes 1.29 (12 objects)`: the count line. */
export function summaryLine(findings: Finding[], target: string, objects: number): string {
  const n = (s: Finding['status']) => findings.filter((f) => f.status === s).length;
  const parts = [`${n('deprecated')} deprecated`, `${n('removed')} removed`];
  if (n('not-yet-available')) parts.push(`${n('not-yet-available')} not yet available`);
  return `${parts.join(', ')} at ${target} (${plural(objects, 'object')})`;
}

/** What to do, for the target: a version it serves, or the news that it serves none. */
export function replacementAdvice(
  f: Pick<
    Finding,
    'component' | 'target' | 'replacement' | 'replacementAvailableIn' | 'replacementServed' | 'status'
  >,
): string {
  const c = componentName(f.component);
  if (f.replacement && f.replacementServed)
    return (
      `use ${describeApi(f.replacement)}` +
      (f.replacementAvailableIn ? ` (available since ${f.replacementAvailableIn})` : '')
    );
  const none =
    f.status === 'not-yet-available'
      ? `no version of this API is served at ${c} ${f.target}`
      : `no replacement is served at ${c} ${f.target}`;
  if (f.replacement)
    return `${none}; ${describeApi(f.replacement)} is served from ${f.replacementAvailableIn ?? 'a later release'} on`;
  return f.status === 'not-yet-available' ? none : 'there is no replacement API';
}

/** One sentence per finding, for annotations and logs. */
export function findingMessage(f: Finding): string {
  const c = componentName(f.component);
  const state =
    f.status === 'not-yet-available'
      ? `is not served yet at ${c} ${f.target}: it is available from ${c} ${f.introducedIn}`
      : f.removed
        ? `is no longer served as of ${c} ${f.removedIn}` +
          (f.deprecatedIn ? ` (deprecated in ${f.deprecatedIn})` : '')
        : `is deprecated since ${c} ${f.deprecatedIn}` +
          (f.removedIn ? ` and removed in ${f.removedIn}` : '');
  const advice = replacementAdvice(f);
  const use = advice.startsWith('use ') ? `; migrate to ${advice.slice(4)}` : `; ${advice}`;
  return `${f.apiVersion} ${f.kind} ${state}${use} [${objectName(f)}, target ${c} ${f.target}]`;
}

export function location(f: Pick<Finding, 'file' | 'line'>): string {
  return f.line === null ? f.file : `${f.file}:${f.line}`;
}

export const TABLE_HEADER = [
  'Status',
  'API',
  'Object',
  'Location',
  'Available',
  'Deprecated',
  'Removed',
  'Replacement',
];

/** The Replacement cell: the version to use at the target, or when there will be one. */
function replacementCell(f: Finding): string {
  if (f.replacement && f.replacementServed) return describeApi(f.replacement);
  if (f.replacement)
    return `none yet (${describeApi(f.replacement)} from ${f.replacementAvailableIn ?? '?'})`;
  return 'none';
}

export function tableRows(findings: Finding[]): string[][] {
  return findings.map((f) => [
    f.status === 'not-yet-available' ? 'not yet available' : f.status,
    `${f.apiVersion} ${f.kind}`,
    f.namespace ? `${f.namespace}/${f.name ?? '<unnamed>'}` : (f.name ?? '<unnamed>'),
    location(f),
    f.introducedIn ?? '',
    f.deprecatedIn ?? '',
    f.removedIn ?? '',
    replacementCell(f),
  ]);
}

/** A plain-text table for the terminal, columns padded to their widest cell. */
export function textTable(findings: Finding[]): string {
  const rows = [TABLE_HEADER.map((h) => h.toUpperCase()), ...tableRows(findings)];
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows
    .map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]))).join('  '))
    .join('\n');
}

/**
 * The `--output json` / `findings` shape: stable keys, versions as "1.25", absent values null, APIs
 * written as the table and messages write them (`batch/v1 CronJob`).
 */
export interface JsonFinding {
  status: Finding['status'];
  file: string;
  line: number | null;
  documentIndex: number;
  apiVersion: string;
  kind: string;
  name: string | null;
  namespace: string | null;
  target: string;
  availableIn: string | null;
  deprecatedIn: string | null;
  removedIn: string | null;
  /** The version to use at the target (`policy/v1 PodDisruptionBudget`); null when it serves none. */
  replacement: string | null;
  /** What to do, in a sentence: the replacement, or that the target serves none and what comes when. */
  advice: string;
  deprecated: boolean;
  removed: boolean;
  notYetAvailable: boolean;
}

export function toJson(findings: Finding[]): JsonFinding[] {
  return findings.map((f) => ({
    status: f.status,
    file: f.file,
    line: f.line,
    documentIndex: f.documentIndex,
    apiVersion: f.apiVersion,
    kind: f.kind,
    name: f.name,
    namespace: f.namespace,
    target: f.target,
    availableIn: f.introducedIn,
    deprecatedIn: f.deprecatedIn,
    removedIn: f.removedIn,
    replacement: f.replacement && f.replacementServed ? describeApi(f.replacement) : null,
    advice: replacementAdvice(f),
    deprecated: f.deprecated,
    removed: f.removed,
    notYetAvailable: f.notYetAvailable,
  }));
}
