import { R, builtin } from './resources';
import { labelSelectorPredicate, type StructuredSelector } from './selectors';
import type { Store } from './store';
import { ApiError, type KObject } from './types';

type Any = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const PDBS = builtin('policy', 'poddisruptionbudgets');

function ready(pod: KObject): boolean {
  if (pod.metadata.deletionTimestamp) return false;
  return (((pod.status as Any | undefined)?.conditions ?? []) as Any[]).some(
    (c) => c.type === 'Ready' && c.status === 'True',
  );
}

/** `10`, `"10"` or `"25%"` of `total` (rounded up, as the disruption controller does for minAvailable). */
function resolve(v: number | string, total: number): number {
  if (typeof v === 'number') return v;
  if (v.endsWith('%')) return Math.ceil((Number(v.slice(0, -1)) / 100) * total);
  return Number(v);
}

/**
 * How many more pods a PodDisruptionBudget lets go right now, computed from the pods it selects (the
 * simulator has no disruption controller keeping `status.disruptionsAllowed`).
 */
export function disruptionsAllowed(store: Store, pdb: KObject): number {
  const spec = (pdb.spec ?? {}) as Any;
  const pods = store.list(R.pods, {
    namespace: pdb.metadata.namespace,
    filter: labelSelectorPredicate(spec.selector as StructuredSelector),
  });
  const healthy = pods.filter(ready).length;
  const total = pods.length;
  if (spec.maxUnavailable !== undefined)
    return Math.max(0, resolve(spec.maxUnavailable, total) - (total - healthy));
  if (spec.minAvailable !== undefined) return Math.max(0, healthy - resolve(spec.minAvailable, total));
  return Math.max(0, healthy - total + 1);
}

/**
 * The `pods/eviction` subresource (what `kubectl drain` posts): refuses with 429 when a budget covering the
 * pod allows no disruption, otherwise deletes the pod through `deletePod`.
 */
export function evict(
  store: Store,
  namespace: string,
  name: string,
  deletePod: (pod: KObject) => void,
): void {
  const pod = store.mustGet(R.pods, namespace, name);
  if (pod.metadata.deletionTimestamp) return;
  const pdbs = store
    .list(PDBS, { namespace })
    .filter((p) => labelSelectorPredicate((p.spec as Any)?.selector)(pod));
  if (pdbs.length > 1) {
    throw new ApiError(
      500,
      'InternalError',
      'This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.',
    );
  }
  if (pdbs.length === 1 && ready(pod) && disruptionsAllowed(store, pdbs[0]) < 1) {
    throw new ApiError(
      429,
      'TooManyRequests',
      "Cannot evict pod as it would violate the pod's disruption budget.",
      {
        causes: [
          {
            reason: 'DisruptionBudget',
            message: `The disruption budget ${pdbs[0].metadata.name} needs ${String((pdbs[0].spec as Any)?.minAvailable ?? '')} healthy pods and has fewer available`,
            field: '',
          },
        ],
      },
    );
  }
  deletePod(pod);
}
