import { checkKubeName, ConfigurationError, workloadRefProblem } from '@upgrade-actions/common';
import type { Release } from '@upgrade-actions/release';

/** One workload to roll back, and what the release says the deploy did to it (when there is a release). */
export interface RollbackTarget {
  /** `deployment`, `statefulset`, `daemonset` or any kubectl alias; the canonical Kind once resolved. */
  type: string;
  name: string;
  namespace: string;
  release?: { revisionBefore: number | null; revisionAfter: number | null };
}

const TYPES = new Map<string, string>([
  ['deployment', 'Deployment'],
  ['deployments', 'Deployment'],
  ['deploy', 'Deployment'],
  ['deployment.apps', 'Deployment'],
  ['deployments.apps', 'Deployment'],
  ['statefulset', 'StatefulSet'],
  ['statefulsets', 'StatefulSet'],
  ['sts', 'StatefulSet'],
  ['statefulset.apps', 'StatefulSet'],
  ['statefulsets.apps', 'StatefulSet'],
  ['daemonset', 'DaemonSet'],
  ['daemonsets', 'DaemonSet'],
  ['ds', 'DaemonSet'],
  ['daemonset.apps', 'DaemonSet'],
  ['daemonsets.apps', 'DaemonSet'],
]);

/**
 * Explicit workloads, one per entry: `TYPE/NAME` in `namespace`, or `NAMESPACE/TYPE/NAME`. TYPE is
 * any kubectl name for a Deployment, StatefulSet or DaemonSet. Everything is checked before any change.
 */
export function parseWorkloads(entries: string[], namespace: string, input = 'workloads'): RollbackTarget[] {
  // The namespace of entries that name none: said as `namespace:` so the action or the CLI names its input.
  if (entries.some((e) => e.trim().split('/').length === 2))
    checkKubeName('namespace', namespace, 'label', 'a namespace name');
  return entries.map((entry) => {
    const parts = entry.trim().split('/');
    const [ns, type, name] = parts.length === 3 ? parts : [namespace, parts[0], parts[1]];
    const kind = TYPES.get((type ?? '').toLowerCase());
    if (parts.length < 2 || parts.length > 3 || !kind || !name) {
      throw new ConfigurationError(
        `${input}: "${entry}" is not a workload; write TYPE/NAME or NAMESPACE/TYPE/NAME with TYPE deployment, statefulset or daemonset`,
      );
    }
    // The names as the API server takes them, before any read or write (the namespace may be the input's).
    const problem = workloadRefProblem(`${ns}/${type}/${name}`);
    if (problem) throw new ConfigurationError(`${input}: "${entry}" ${problem}`);
    return { type: kind, name, namespace: ns };
  });
}

/** Every workload of a release, with what the deploy did to it. */
export function releaseTargets(release: Release): RollbackTarget[] {
  return release.workloads.map((w) => ({
    type: w.kind,
    name: w.name,
    namespace: w.namespace,
    release: { revisionBefore: w.revisionBefore, revisionAfter: w.revisionAfter },
  }));
}
