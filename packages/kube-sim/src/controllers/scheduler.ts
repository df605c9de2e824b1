import type { KObject } from '../types';
import { matchesSelector } from './objects';

interface Taint {
  key: string;
  value?: string;
  effect: string;
}
interface Toleration {
  key?: string;
  operator?: string;
  value?: string;
  effect?: string;
}

function tolerates(tolerations: Toleration[], t: Taint): boolean {
  return tolerations.some(
    (tol) =>
      (!tol.effect || tol.effect === t.effect) &&
      (tol.operator === 'Exists'
        ? !tol.key || tol.key === t.key
        : tol.key === t.key && (tol.value ?? '') === (t.value ?? '')),
  );
}

export function nodeReady(node: KObject): boolean {
  const conds =
    (node.status as { conditions?: Array<{ type: string; status: string }> } | undefined)?.conditions ?? [];
  return conds.find((c) => c.type === 'Ready')?.status === 'True';
}

/** Whether a pod spec may run on a node: nodeSelector, `metadata.name` node affinity, NoSchedule/NoExecute taints. */
export function fitsNode(
  podSpec: Record<string, unknown>,
  node: KObject,
  ignoreUnschedulable = false,
): boolean {
  const spec = (node.spec ?? {}) as { unschedulable?: boolean; taints?: Taint[] };
  const tolerations = (podSpec.tolerations as Toleration[] | undefined) ?? [];
  if (
    spec.unschedulable &&
    !ignoreUnschedulable &&
    !tolerates(tolerations, { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' })
  ) {
    return false;
  }
  for (const t of spec.taints ?? []) {
    if ((t.effect === 'NoSchedule' || t.effect === 'NoExecute') && !tolerates(tolerations, t)) return false;
  }
  const nodeSelector = podSpec.nodeSelector as Record<string, string> | undefined;
  if (nodeSelector && !matchesSelector({ matchLabels: nodeSelector }, node.metadata.labels)) return false;
  const terms = (
    podSpec.affinity as
      | {
          nodeAffinity?: {
            requiredDuringSchedulingIgnoredDuringExecution?: {
              nodeSelectorTerms?: Array<Record<string, unknown>>;
            };
          };
        }
      | undefined
  )?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
  if (terms?.length) {
    const ok = terms.some((term) => {
      const fields =
        (term.matchFields as Array<{ key: string; operator: string; values?: string[] }> | undefined) ?? [];
      const exprs =
        (term.matchExpressions as
          | Array<{ key: string; operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist'; values?: string[] }>
          | undefined) ?? [];
      const fieldsOk = fields.every(
        (f) =>
          f.key !== 'metadata.name' ||
          (f.operator === 'In'
            ? (f.values ?? []).includes(node.metadata.name)
            : !(f.values ?? []).includes(node.metadata.name)),
      );
      return fieldsOk && matchesSelector({ matchExpressions: exprs }, node.metadata.labels);
    });
    if (!ok) return false;
  }
  return true;
}

/** Picks the Ready node that fits with the fewest active pods (a spreading scheduler), or undefined. */
export function pickNode(
  nodes: KObject[],
  load: Map<string, number>,
  podSpec: Record<string, unknown>,
): KObject | undefined {
  return nodes
    .filter((n) => nodeReady(n) && fitsNode(podSpec, n))
    .sort(
      (a, b) =>
        (load.get(a.metadata.name) ?? 0) - (load.get(b.metadata.name) ?? 0) ||
        a.metadata.name.localeCompare(b.metadata.name),
    )[0];
}
