import type { Logger } from '@upgrade-actions/common';
import {
  Discovery,
  isNotFound,
  resourcePath,
  type ApplyResult,
  type KubeClient,
} from '@upgrade-actions/kube';

/** How an applied object is named in the log and the teardown row: `shop/deployment.apps/web`. */
export function objectName(r: Pick<ApplyResult, 'name' | 'namespace'>): string {
  return r.namespace ? `${r.namespace}/${r.name}` : r.name;
}

/**
 * Pure: what the teardown of a given cluster removes. Only objects this run created are deleted, last
 * applied first (a namespace after what is in it); an object that existed before was changed by the
 * apply, not created by it: deleting it would destroy what the cluster had, so it stays and is named.
 */
export function planCleanup(applied: readonly ApplyResult[]): {
  remove: ApplyResult[];
  leave: ApplyResult[];
} {
  return {
    remove: applied.filter((r) => r.action === 'created').reverse(),
    leave: applied.filter((r) => r.action !== 'created'),
  };
}

/**
 * Deletes the objects, as `kubectl delete` does (background propagation: dependents such as
 * ReplicaSets and Pods go with their owner; a namespace takes what is left in it). One already gone
 * (deleted with its namespace) counts as deleted. Returns the names deleted and the errors.
 */
export async function deleteObjects(
  client: KubeClient,
  objects: readonly ApplyResult[],
  log: Logger,
): Promise<{ deleted: string[]; errors: string[] }> {
  const discovery = new Discovery(client);
  const deleted: string[] = [];
  const errors: string[] = [];
  for (const r of objects) {
    const name = objectName(r);
    try {
      const info = await discovery.forKind(r.object.apiVersion ?? '', r.object.kind ?? '');
      if (!info) throw new Error(`the cluster no longer serves ${r.object.apiVersion} ${r.object.kind}`);
      await client
        .request('DELETE', resourcePath(info, r.namespace, r.object.metadata?.name ?? ''), {
          query: { propagationPolicy: 'Background' },
        })
        .catch((e: unknown) => {
          if (!isNotFound(e)) throw e;
        });
      log.info(`${name} deleted`);
      deleted.push(name);
    } catch (e) {
      errors.push(`${name}: ${(e as Error).message}`);
    }
  }
  return { deleted, errors };
}
