import { ConfigurationError, silentLogger, type Logger } from '@upgrade-actions/common';
import {
  Discovery,
  KubeApiError,
  followRolloutStatus,
  isNotFound,
  resourcePath,
  resolveWorkload,
  revisionOf,
  rolloutUndo,
  systemClock,
  waitObserved,
  type Clock,
  type ControllerRevision,
  type Deployment,
  type KubeClient,
  type KubeObject,
  type ResolvedWorkload,
  type StatefulSet,
  isOwnedBy,
  selectorString,
} from '@upgrade-actions/kube';
import { decide, undoneBeforeStop } from './decide';
import { LeaseLock, leaseName } from './lease';
import { markAnnotations, readMark, templateFingerprint, type FailedMark } from './marks';

/** Our marks' annotation prefix, kept through kubectl's annotation-replacing undo. */
const MARK_PREFIX = 'upgrade-actions.io/';
import { currentRevision } from './revision';
import type { RollbackTarget } from './targets';
import { verifyRolledBack } from './verify';

export interface RollbackOptions {
  client: KubeClient;
  discovery?: Discovery;
  targets: RollbackTarget[];
  /** `to-revision`: 0 (default) is the revision before the release, or kubectl's previous revision. */
  toRevision?: number;
  /** Why: written into the failed-revision mark and the notifications. */
  reason: string;
  /** Who holds the Lease: unique per run (see runIdentity). */
  identity: string;
  /** Wait for the restored rollout (default true). */
  wait?: boolean;
  /** Limit for each restored rollout; 0: none. Default 5 minutes. */
  timeoutMs?: number;
  /** How long to wait for another run's Lease on the same workload. Default 2 minutes. */
  lockTimeoutMs?: number;
  leaseDurationSeconds?: number;
  logger?: Logger;
  clock?: Clock;
  /**
   * Told each workload's outcome as soon as it is known — first when its undo is written (not yet
   * verified), then when it ends — so a cancelled step can still report what it did.
   */
  onProgress?: (outcome: WorkloadOutcome) => void;
}

export type OutcomeAction = 'rolled-back' | 'already-rolled-back' | 'skipped' | 'failed';

export interface WorkloadOutcome {
  kind: string;
  name: string;
  namespace: string;
  /** `deployment.apps/web`. */
  displayName: string;
  action: OutcomeAction;
  /** The revision that was running (the failed one). */
  from?: number;
  /** The revision restored, as `kubectl rollout history` listed it before the undo. */
  to?: number;
  /** The workload's revision number after the undo (a Deployment renumbers the restored revision). */
  revision?: number;
  verified?: boolean;
  message: string;
  /** How long this run waited for another run's Lease on the workload. */
  lockWaitMs: number;
}

export interface RollbackResult {
  outcomes: WorkloadOutcome[];
  durationMs: number;
}

/**
 * The rollback engine: for every target, under its Lease, decide (see decide), `kubectl rollout undo`,
 * wait for the restored rollout, verify it, and mark the failed revision on the workload. Every target
 * is checked first (exists, kind, not paused, revision in history), so bad input changes nothing.
 * Workloads are handled concurrently: a release's recovery takes as long as its slowest rollout.
 */
export async function rollback(opts: RollbackOptions): Promise<RollbackResult> {
  const clock = opts.clock ?? systemClock;
  const start = clock.now();
  const discovery = opts.discovery ?? new Discovery(opts.client);
  // A retried request is said in the rollback's log, where the reader of this step looks.
  if (opts.logger) opts.client.onRetry = (m) => opts.logger!.info(m);
  const toRevision = opts.toRevision ?? 0;
  if (!Number.isInteger(toRevision) || toRevision < 0) {
    throw new ConfigurationError(
      `to-revision: must be a whole number >= 0 (0: the previous revision), got ${toRevision}`,
    );
  }
  for (const t of opts.targets) await preflight(opts, discovery, t, toRevision);
  // Every workload runs to its end (its Lease released) before an error of another is reported.
  const settled = await Promise.allSettled(
    opts.targets.map(async (t) => {
      const o = await rollbackOne(opts, discovery, t, toRevision);
      opts.onProgress?.(o);
      return o;
    }),
  );
  const rejected = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (rejected) throw rejected.reason;
  const outcomes = settled.map((s) => (s as PromiseFulfilledResult<WorkloadOutcome>).value);
  return { outcomes, durationMs: clock.now() - start };
}

/** Read-only checks of one target, with kubectl's words, before anything is changed. */
async function preflight(
  opts: RollbackOptions,
  discovery: Discovery,
  t: RollbackTarget,
  toRevision: number,
): Promise<void> {
  const where = `${t.type.toLowerCase()}/${t.name} in namespace ${t.namespace}`;
  let resolved: ResolvedWorkload;
  try {
    resolved = await resolveWorkload(opts.client, discovery, t);
  } catch (e) {
    if (isNotFound(e)) throw new ConfigurationError(`${where} does not exist`);
    throw e;
  }
  const obj = resolved.object;
  if (obj.kind === 'Deployment' && (obj as Deployment).spec?.paused) {
    throw new ConfigurationError(
      `${resolved.displayName}: you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume' and try again`,
    );
  }
  const decision = decide({
    current: await currentRevision(opts.client, obj),
    mark: readMark(obj),
    release: t.release,
    toRevision,
  });
  if (decision.action !== 'rollback') return;
  try {
    await rolloutUndo(opts.client, resolved, { toRevision: decision.toRevision, dryRun: 'client' });
  } catch (e) {
    if (e instanceof KubeApiError) throw e;
    // Another pipeline may be rolling this workload back right now (its undo renumbers the revisions
    // between our reads): when the workload changed meanwhile, the decision is made again under the Lease.
    const again = await resolveWorkload(opts.client, discovery, t).catch(() => undefined);
    if (again && again.object.metadata?.resourceVersion !== obj.metadata?.resourceVersion) return;
    throw new ConfigurationError(`${resolved.displayName}: ${(e as Error).message}`);
  }
}

async function rollbackOne(
  opts: RollbackOptions,
  discovery: Discovery,
  t: RollbackTarget,
  toRevision: number,
): Promise<WorkloadOutcome> {
  const logger = opts.logger ?? silentLogger;
  const lock = new LeaseLock(opts.client, {
    namespace: t.namespace,
    name: leaseName(t.type, t.name),
    identity: opts.identity,
    durationSeconds: opts.leaseDurationSeconds,
    clock: opts.clock,
    logger,
  });
  const { waitedMs } = await lock.acquire(opts.lockTimeoutMs ?? 120_000);
  try {
    // Re-read under the lock: another run may have done the work while we waited.
    const resolved = await resolveWorkload(opts.client, discovery, t);
    const obj = resolved.object;
    const base = {
      kind: obj.kind ?? t.type,
      name: t.name,
      namespace: t.namespace,
      displayName: resolved.displayName,
      lockWaitMs: waitedMs,
    };
    const current = await currentRevision(opts.client, obj);
    const mark = readMark(obj);
    const currentTemplate = templateFingerprint((obj as Deployment).spec?.template);
    const decision = decide({ current, mark, release: t.release, toRevision, currentTemplate });
    if (decision.action !== 'rollback') {
      logger.info(`${resolved.displayName}: ${decision.message}`);
      if (
        decision.action === 'already-rolled-back' &&
        mark &&
        undoneBeforeStop(current, mark, currentTemplate)
      ) {
        // An earlier run undid it and stopped before completing its mark: complete it now.
        await writeMark(opts, resolved.info, t, { ...mark, rolledBackTo: current });
      }
      return {
        ...base,
        action: decision.action === 'skip' ? 'skipped' : decision.action,
        revision: current,
        message: decision.message,
      };
    }
    const failedTemplate = currentTemplate;
    // kubectl's planner, without writing: which entry the undo restores, and whether there is anything to do.
    const preview = await rolloutUndo(opts.client, resolved, {
      toRevision: decision.toRevision,
      dryRun: 'client',
    });
    // The revision restored, by its number before the undo (a Deployment renumbers it): known when
    // asked for, else read from the history entry kubectl's planner picks.
    const restored =
      decision.toRevision > 0
        ? decision.toRevision
        : await historyRevision(opts.client, obj, preview.replicaSet);
    if (preview.result.startsWith('skipped')) {
      logger.info(`${resolved.displayName} ${preview.result}`);
      return {
        ...base,
        action: 'skipped',
        from: current,
        to: restored,
        revision: current,
        message: preview.result,
      };
    }
    // SEEDS.md §1's order: mark the running version failed first (rolledBackTo 0: pending), so a run that
    // stops anywhere after this leaves a mark the next run reads, and deploy refuses the template already.
    await writeMark(opts, resolved.info, t, {
      failedRevision: current,
      reason: opts.reason,
      at: new Date(opts.clock?.now() ?? Date.now()).toISOString(),
      templateFingerprint: failedTemplate,
      rolledBackTo: 0,
    });
    const plan = await rolloutUndo(opts.client, resolved, {
      toRevision: decision.toRevision,
      keepAnnotationPrefixes: [MARK_PREFIX],
    });
    logger.info(`${resolved.displayName} ${plan.result}`);
    opts.onProgress?.({
      ...base,
      action: 'rolled-back',
      from: current,
      to: restored,
      message: `undone from revision ${current} to revision ${restored}; the restored rollout was not yet verified`,
    });

    if (obj.kind === 'StatefulSet') await deleteStuckPods(opts, obj as StatefulSet, logger);

    let waitError: string | undefined;
    if (opts.wait ?? true) {
      try {
        await followRolloutStatus(opts.client, resolved, {
          timeoutMs: opts.timeoutMs ?? 300_000,
          clock: opts.clock,
          logger,
          onMessage: (line) => logger.info(`${resolved.displayName}: ${line.trimEnd()}`),
        });
      } catch (e) {
        waitError = (e as Error).message;
        logger.warning(`${resolved.displayName}: the restored rollout did not complete: ${waitError}`);
      }
    } else {
      await waitObserved(opts.client, resolved, opts.clock);
    }

    const after = await opts.client.get(resourcePath(resolved.info, t.namespace, t.name));
    const revision = await currentRevision(opts.client, after);
    const check = verifyRolledBack(after, failedTemplate);
    await writeMark(opts, resolved.info, t, {
      failedRevision: current,
      reason: opts.reason,
      at: new Date(opts.clock?.now() ?? Date.now()).toISOString(),
      templateFingerprint: failedTemplate,
      rolledBackTo: revision,
    });
    const verified = (opts.wait ?? true) ? check.verified && !waitError : undefined;
    const message =
      `rolled back from revision ${current} to revision ${restored}` +
      (revision !== restored ? ` (now revision ${revision})` : '') +
      (verified === undefined
        ? '; not waited for'
        : verified
          ? `; verified: ${check.message}`
          : `; NOT verified: ${waitError ?? check.message}`);
    logger.info(`${resolved.displayName}: ${message}`);
    return {
      ...base,
      action: verified === false ? 'failed' : 'rolled-back',
      from: current,
      to: restored,
      revision,
      verified,
      message,
    };
  } finally {
    await lock.release();
  }
}

/** Merge-patches the failed-revision mark onto the workload (idempotent: safe to retry, safe to repeat). */
async function writeMark(
  opts: RollbackOptions,
  info: Parameters<typeof resourcePath>[0],
  t: RollbackTarget,
  mark: FailedMark,
): Promise<void> {
  await opts.client.request('PATCH', resourcePath(info, t.namespace, t.name), {
    contentType: 'application/merge-patch+json',
    body: { metadata: { annotations: markAnnotations(mark) } },
  });
}

/**
 * A StatefulSet rolling out a broken template waits forever for the broken Pod to become Ready, even
 * after its template is reverted; Kubernetes' documented "forced rollback" is to delete the Pods
 * already started with the bad revision. Only not-Ready Pods of that revision are deleted.
 */
async function deleteStuckPods(opts: RollbackOptions, sts: StatefulSet, logger: Logger): Promise<void> {
  const bad = sts.status?.updateRevision;
  if (!bad || sts.spec?.podManagementPolicy === 'Parallel') return;
  const ns = encodeURIComponent(sts.metadata?.namespace ?? '');
  const pods = await opts.client.get<{ items?: Pod[] }>(`/api/v1/namespaces/${ns}/pods`, {
    query: { labelSelector: selectorString(sts.spec?.selector) },
  });
  for (const pod of pods.items ?? []) {
    if (pod.metadata?.labels?.['controller-revision-hash'] !== bad) continue;
    const ready = pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True');
    if (ready || !isOwnedBy(pod, sts)) continue;
    logger.info(
      `deleting pod ${pod.metadata?.name}, stuck on the failed revision (StatefulSet forced rollback)`,
    );
    try {
      await opts.client.request(
        'DELETE',
        `/api/v1/namespaces/${ns}/pods/${encodeURIComponent(pod.metadata!.name!)}`,
      );
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
  }
}

interface Pod extends KubeObject {
  status?: { conditions?: { type: string; status?: string }[] };
}

/** The history number of the ReplicaSet or ControllerRevision an undo restores. */
async function historyRevision(
  client: KubeClient,
  obj: KubeObject,
  entry: string | undefined,
): Promise<number> {
  if (!entry) return 0;
  const ns = encodeURIComponent(obj.metadata?.namespace ?? '');
  if (obj.kind === 'Deployment') {
    return revisionOf(
      await client.get(`/apis/apps/v1/namespaces/${ns}/replicasets/${encodeURIComponent(entry)}`),
    );
  }
  const cr = await client.get<ControllerRevision>(
    `/apis/apps/v1/namespaces/${ns}/controllerrevisions/${encodeURIComponent(entry)}`,
  );
  return cr.revision ?? 0;
}
