import type { Logger } from '@upgrade-actions/common';
import { silentLogger } from '@upgrade-actions/common';
import type { KubeClient } from './client';
import { type Clock, systemClock } from './clock';
import { KubeApiError } from './errors';
import { Discovery, kindGroup, resourcePath, type ResourceInfo } from './discovery';
import { controllerRevisionHistory, deploymentHistory } from './history';
import { isOwnedBy } from './replicasets';
import { planControllerRevisionRollback, planRollback, type RollbackPlan } from './rollback';
import { selectorString } from './selector';
import { rolloutStatus } from './status';
import type { ControllerRevision, DaemonSet, Deployment, KubeObject, ReplicaSet, StatefulSet } from './types';
import { untilWithSync, WaitTimeoutError } from './watch';

/** One workload addressed as on kubectl's command line. */
export interface WorkloadRef {
  /** `deployment`, `deploy`, `deployments.apps`, `sts`, `ds`, ... */
  type: string;
  name: string;
  namespace: string;
}

export interface ResolvedWorkload {
  info: ResourceInfo;
  object: KubeObject;
  /** `deployment.apps/web`, as kubectl names it in output. */
  displayName: string;
}

/** The object, fetched as kubectl's resource builder does first (so a missing one is a NotFound). */
export async function resolveWorkload(
  client: KubeClient,
  discovery: Discovery,
  ref: WorkloadRef,
): Promise<ResolvedWorkload> {
  const info = await discovery.forType(ref.type);
  const object = await client.get(resourcePath(info, ref.namespace, ref.name));
  return { info, object, displayName: `${kindGroup(info)}/${object.metadata?.name ?? ref.name}` };
}

export interface FollowOptions {
  revision?: number;
  /** 0 or absent: no limit (kubectl's default). */
  timeoutMs?: number;
  /** false: print the current status once (`--watch=false`). */
  watch?: boolean;
  clock?: Clock;
  logger?: Logger;
  /** Receives each status line, newline included, as kubectl prints it. */
  onMessage: (line: string) => void;
}

/**
 * `kubectl rollout status`: watch the object and print its status on every event until it is done.
 * Throws kubectl's errors (progress deadline, revision pin, `object has been deleted`,
 * `timed out waiting for the condition`). Returns the final object.
 */
export async function followRolloutStatus(
  client: KubeClient,
  target: ResolvedWorkload,
  opts: FollowOptions,
): Promise<KubeObject> {
  const clock = opts.clock ?? systemClock;
  const controller = new AbortController();
  const timer = opts.timeoutMs ? clock.setTimeout(() => controller.abort(), opts.timeoutMs) : undefined;
  const ns = target.object.metadata?.namespace;
  // The timeout settles the wait by itself, whatever request is in flight when it fires: an aborted
  // socket must never leave the caller waiting on a promise nothing will settle.
  const timedOut = new Promise<never>((_resolve, reject) =>
    controller.signal.addEventListener('abort', () => reject(new WaitTimeoutError()), { once: true }),
  );
  timedOut.catch(() => {});
  try {
    const following = untilWithSync(
      client,
      {
        path: resourcePath(target.info, ns),
        fieldSelector: `metadata.name=${target.object.metadata?.name}`,
        signal: controller.signal,
        clock,
        logger: opts.logger ?? silentLogger,
      },
      (type, obj) => {
        if (type === 'DELETED') throw new Error('object has been deleted');
        const status = rolloutStatus(obj, { revision: opts.revision });
        opts.onMessage(`${status.message}\n`);
        return status.done || opts.watch === false;
      },
    );
    following.catch(() => {});
    return await Promise.race([following, timedOut]);
  } catch (e) {
    if (controller.signal.aborted) throw new WaitTimeoutError();
    throw e;
  } finally {
    if (timer !== undefined) clock.clearTimeout(timer);
  }
}

async function ownedReplicaSets(client: KubeClient, d: Deployment): Promise<ReplicaSet[]> {
  const list = await client.get<{ items?: ReplicaSet[] }>(
    `/apis/apps/v1/namespaces/${encodeURIComponent(d.metadata?.namespace ?? '')}/replicasets`,
    { query: { labelSelector: selectorString(d.spec?.selector) } },
  );
  return (list.items ?? []).filter((rs) => rs.metadata?.ownerReferences?.length && isOwnedBy(rs, d));
}

async function ownedRevisions(
  client: KubeClient,
  obj: StatefulSet | DaemonSet,
): Promise<ControllerRevision[]> {
  const list = await client.get<{ items?: ControllerRevision[] }>(
    `/apis/apps/v1/namespaces/${encodeURIComponent(obj.metadata?.namespace ?? '')}/controllerrevisions`,
    { query: { labelSelector: selectorString(obj.spec?.selector) } },
  );
  return (list.items ?? []).filter((r) => r.metadata?.ownerReferences?.length && isOwnedBy(r, obj));
}

function assertRolloutKind(target: ResolvedWorkload, what: 'history viewer' | 'rollbacker'): void {
  if (!['Deployment', 'StatefulSet', 'DaemonSet'].includes(target.info.kind)) {
    const gk = target.info.group ? `${target.info.kind}.${target.info.group}` : target.info.kind;
    throw new Error(`no ${what} has been implemented for ${JSON.stringify(gk)}`);
  }
}

/** `kubectl rollout history` text for one workload (the viewer's part, after the name line). */
export async function rolloutHistory(
  client: KubeClient,
  target: ResolvedWorkload,
  revision = 0,
): Promise<string> {
  assertRolloutKind(target, 'history viewer');
  if (target.info.kind === 'Deployment') {
    const d = target.object as Deployment;
    return deploymentHistory(d, await ownedReplicaSets(client, d), revision);
  }
  const obj = target.object as StatefulSet | DaemonSet;
  return controllerRevisionHistory(obj, await ownedRevisions(client, obj), revision);
}

export interface UndoOptions {
  toRevision?: number;
  dryRun?: 'none' | 'client' | 'server';
  /**
   * Annotation key prefixes of the Deployment kept through the undo. kubectl replaces a Deployment's
   * annotations with the restored ReplicaSet's (but for its skip list); a rollback that marked the failed
   * revision first (`upgrade-actions.io/`) must not have its mark erased by its own undo.
   */
  keepAnnotationPrefixes?: string[];
}

/**
 * `kubectl rollout undo`: plans with planRollback / planControllerRevisionRollback and sends the
 * patch kubectl sends (JSON patch for a Deployment, the revision's strategic merge patch for a
 * StatefulSet or DaemonSet). Returns the plan; `result` is kubectl's word for what happened.
 */
export async function rolloutUndo(
  client: KubeClient,
  target: ResolvedWorkload,
  opts: UndoOptions = {},
): Promise<RollbackPlan> {
  assertRolloutKind(target, 'rollbacker');
  const dryRun = opts.dryRun ?? 'none';
  const ns = target.object.metadata?.namespace;
  const name = target.object.metadata?.name;
  let plan: RollbackPlan;
  if (target.info.kind === 'Deployment') {
    // kubectl re-reads the Deployment before planning.
    const d = await client.get<Deployment>(resourcePath(target.info, ns, name));
    plan = planRollback(d, await ownedReplicaSets(client, d), {
      toRevision: opts.toRevision,
      dryRun: dryRun === 'client',
    });
    const keep = opts.keepAnnotationPrefixes ?? [];
    const replace = Array.isArray(plan.patch)
      ? (plan.patch as { op: string; path: string; value: Record<string, string> }[]).find(
          (o) => o.op === 'replace' && o.path === '/metadata/annotations',
        )
      : undefined;
    if (replace && keep.length > 0) {
      for (const [k, v] of Object.entries(d.metadata?.annotations ?? {})) {
        if (keep.some((p) => k.startsWith(p))) replace.value[k] = v;
      }
    }
  } else {
    const obj = await client.get<StatefulSet | DaemonSet>(resourcePath(target.info, ns, name));
    plan = planControllerRevisionRollback(obj, await ownedRevisions(client, obj), {
      toRevision: opts.toRevision,
      dryRun: dryRun === 'client',
    });
  }
  if (plan.patch) {
    try {
      await client.request('PATCH', resourcePath(target.info, ns, name), {
        body: plan.patch,
        contentType: plan.patchType,
        query: dryRun === 'server' ? { dryRun: 'All' } : undefined,
      });
    } catch (e) {
      // client-go's StatusError reads as the server's message alone.
      const why = e instanceof KubeApiError ? e.serverMessage : (e as Error).message;
      throw new Error(`failed restoring revision ${opts.toRevision ?? 0}: ${why}`);
    }
  }
  return plan;
}

/**
 * Waits (up to `limitMs`) until the controller has observed the workload's latest spec
 * (`status.observedGeneration >= metadata.generation`), without waiting for the rollout itself:
 * after that the revision the change produced can be read.
 */
export async function waitObserved(
  client: KubeClient,
  target: ResolvedWorkload,
  clock: Clock = systemClock,
  limitMs = 30_000,
): Promise<void> {
  const controller = new AbortController();
  const timer = clock.setTimeout(() => controller.abort(), limitMs);
  try {
    await untilWithSync(
      client,
      {
        path: resourcePath(target.info, target.object.metadata?.namespace),
        fieldSelector: `metadata.name=${target.object.metadata?.name}`,
        signal: controller.signal,
        clock,
      },
      (_type, o) =>
        ((o.status as { observedGeneration?: number } | undefined)?.observedGeneration ?? 0) >=
        (o.metadata?.generation ?? 0),
    );
  } finally {
    clock.clearTimeout(timer);
  }
}
