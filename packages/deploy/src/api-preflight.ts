import { ConfigurationError } from '@upgrade-actions/common';
import {
  defaultTable,
  findingMessage,
  findingsFor,
  formatMinor,
  notServed,
  parseMinor,
  type Finding,
  type ManifestObject,
} from '@upgrade-actions/deprecations';
import type { Manifest } from '@upgrade-actions/kube';

/**
 * The api-check preflight (pure): every object judged against the cluster's Kubernetes release.
 * Objects using an API the cluster no longer serves fail the deploy before anything is applied;
 * deprecated ones come back as warnings.
 */
export function apiPreflight(
  manifests: Manifest[],
  clusterVersion: string,
): { warnings: string[]; findings: Finding[] } {
  const target = parseMinor(clusterVersion);
  if (!target) throw new Error(`cannot read the cluster's version ${JSON.stringify(clusterVersion)}`);
  const objects: ManifestObject[] = manifests.map((m) => ({
    file: m.source,
    documentIndex: m.document - 1,
    line: null,
    apiVersion: m.object.apiVersion ?? null,
    kind: m.object.kind ?? null,
    name: m.object.metadata?.name ?? null,
    namespace: m.object.metadata?.namespace ?? null,
  }));
  const findings = findingsFor(objects, defaultTable, { kubernetes: target });
  // Removed and not-yet-available APIs alike are not served: applying them would fail half-way.
  const unserved = findings.filter(notServed);
  if (unserved.length > 0) {
    throw new ConfigurationError(
      `api-check: ${unserved.length} object(s) use APIs not served at Kubernetes ${formatMinor(target)}, the cluster's version: ` +
        unserved.map((f) => `${f.file}: ${findingMessage(f)}`).join('; '),
    );
  }
  return { findings, warnings: findings.map((f) => `${f.file}: ${findingMessage(f)}`) };
}
