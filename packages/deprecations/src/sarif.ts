import path from 'node:path';
import { componentName, findingMessage, replacementAdvice } from './report';
import type { LifecycleTable } from './table';
import { notServed, type Finding } from './verdict';

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';

export function ruleId(apiVersion: string, kind: string): string {
  return `k8s-api/${apiVersion}/${kind}`;
}

export interface SarifOptions {
  /** Files are written relative to this folder (the workspace), as code scanning expects. */
  root: string;
  /** The folder relative paths in findings are relative to (the scan's working directory). */
  cwd: string;
  toolVersion: string;
}

/**
 * A SARIF 2.1.0 log for GitHub code scanning: one rule per deprecated API (`k8s-api/<apiVersion>/<kind>`)
 * and one result per finding, located at the object's `apiVersion` line. Removed APIs are errors,
 * deprecated ones warnings. Findings from a live cluster (no file) are left out.
 */
export function toSarif(all: Finding[], _table: LifecycleTable, opts: SarifOptions): object {
  // Code scanning needs a file and a line; objects read from a live cluster have neither.
  const findings = all.filter((f) => f.line !== null);
  const ids: string[] = [];
  for (const f of findings) {
    const id = ruleId(f.apiVersion, f.kind);
    if (!ids.includes(id)) ids.push(id);
  }
  const rules = ids.map((id) => {
    const f = findings.find((x) => ruleId(x.apiVersion, x.kind) === id)!;
    const c = componentName(f.component);
    // Every finding of one rule shares its API and its component's target, so its advice too.
    const lifecycle =
      `available from ${c} ${f.introducedIn ?? 'n/a'}, deprecated in ${f.deprecatedIn ?? 'n/a'}, ` +
      `no longer served as of ${f.removedIn ?? 'n/a'}`;
    const advice = replacementAdvice(f);
    return {
      id,
      name: `${f.kind}${f.apiVersion.replace(/[^A-Za-z0-9]/g, '')}`,
      shortDescription: {
        text:
          f.status === 'not-yet-available'
            ? `${f.apiVersion} ${f.kind} is not served yet at ${c} ${f.target}`
            : `${f.apiVersion} ${f.kind} is deprecated or removed`,
      },
      fullDescription: { text: `${f.apiVersion} ${f.kind}: ${lifecycle}; at ${c} ${f.target}: ${advice}.` },
      help: {
        text:
          f.replacement && f.replacementServed
            ? `Change apiVersion to ${f.replacement.slice(0, f.replacement.lastIndexOf('/'))} and adapt the fields that changed (see the Kubernetes Deprecated API Migration Guide).`
            : f.replacement
              ? `${c} ${f.target} serves no version of this API that can replace it: ${advice}. Target a release that does, or keep the object out of this cluster.`
              : 'This API has no replacement; remove the object or move to the recommended mechanism.',
      },
      defaultConfiguration: {
        level: findings.some((x) => ruleId(x.apiVersion, x.kind) === id && notServed(x))
          ? 'error'
          : 'warning',
      },
      properties: { tags: ['kubernetes', 'deprecated-api'], component: f.component },
    };
  });
  const results = findings.map((f) => {
    const file = path.resolve(opts.cwd, f.file);
    const uri = path.relative(opts.root, file).split(path.sep).join('/');
    return {
      ruleId: ruleId(f.apiVersion, f.kind),
      ruleIndex: ids.indexOf(ruleId(f.apiVersion, f.kind)),
      level: notServed(f) ? 'error' : 'warning',
      message: { text: findingMessage(f) },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri, uriBaseId: '%SRCROOT%' },
            region: { startLine: f.line ?? 1 },
          },
        },
      ],
      partialFingerprints: {
        // Stable across line moves: which object uses which API, not where it sits.
        'k8sObject/v1': `${uri}|${f.documentIndex}|${f.itemIndex ?? ''}|${f.kind}|${f.namespace ?? ''}|${f.name ?? ''}`,
      },
    };
  });
  return {
    version: '2.1.0',
    $schema: SARIF_SCHEMA,
    runs: [
      {
        tool: {
          driver: {
            name: 'upgrade-actions api-check',
            informationUri: 'https://kubernetes.io/docs/reference/using-api/deprecation-guide/',
            semanticVersion: opts.toolVersion,
            rules,
          },
        },
        results,
      },
    ],
  };
}
