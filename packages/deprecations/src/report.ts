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

/** One sentence per finding, for annotations and logs. */
export function findingMessage(f: Finding): string {
  const c = componentName(f.component);
  const state = f.removed
    ? `is no longer served as of ${c} ${f.removedIn}` +
      (f.deprecatedIn ? ` (deprecated in ${f.deprecatedIn})` : '')
    : `is deprecated since ${c} ${f.deprecatedIn}` + (f.removedIn ? ` and removed in ${f.removedIn}` : '');
  const use = f.replacement
    ? `; migrate to ${describeApi(f.replacement)}` +
      (f.replacementAvailableIn ? ` (available since ${f.replacementAvailableIn})` : '')
    : '; there is no replacement API';
  return `${f.apiVersion} ${f.kind} ${state}${use} [${objectName(f)}, target ${c} ${f.target}]`;
}

export function location(f: Pick<Finding, 'file' | 'line'>): string {
  return f.line === null ? f.file : `${f.file}:${f.line}`;
}

export const TABLE_HEADER = ['Status', 'API', 'Object', 'Location', 'Deprecated', 'Removed', 'Replacement'];

export function tableRows(findings: Finding[]): string[][] {
  return findings.map((f) => [
    f.removed ? 'removed' : 'deprecated',
    `${f.apiVersion} ${f.kind}`,
    f.namespace ? `${f.namespace}/${f.name ?? '<unnamed>'}` : (f.name ?? '<unnamed>'),
    location(f),
    f.deprecatedIn ?? '',
    f.removedIn ?? '',
    f.replacement ? describeApi(f.replacement) : 'none',
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

/** The `--output json` / `findings` shape: stable keys, versions as "1.25", absent values null. */
export interface JsonFinding {
  file: string;
  documentIndex: number;
  apiVersion: string;
  kind: string;
  name: string | null;
  namespace: string | null;
  deprecatedIn: string | null;
  removedIn: string | null;
  replacement: string | null;
  deprecated: boolean;
  removed: boolean;
}

export function toJson(findings: Finding[]): JsonFinding[] {
  return findings.map((f) => ({
    file: f.file,
    documentIndex: f.documentIndex,
    apiVersion: f.apiVersion,
    kind: f.kind,
    name: f.name,
    namespace: f.namespace,
    deprecatedIn: f.deprecatedIn,
    removedIn: f.removedIn,
    replacement: f.replacement,
    deprecated: f.deprecated,
    removed: f.removed,
  }));
}
