import { R } from '../resources';
import { ApiError, type KObject } from '../types';
import type { Context } from './context';
import {
  activeReplicaSets,
  byCreation,
  byRevision,
  calculateStatus,
  deploymentComplete,
  deploymentProgressing,
  deploymentTimedOut,
  equalIgnoreHash,
  findNewReplicaSet,
  getCondition,
  isRollingUpdate,
  maxRevision,
  maxSurge,
  maxUnavailable,
  newCondition,
  newRSNewReplicas,
  omitEmpty,
  POD_TEMPLATE_HASH,
  progressDeadlineSeconds,
  proportion,
  REVISION,
  DESIRED_REPLICAS,
  removeCondition,
  replicasAnnotationsNeedUpdate,
  revisionHistoryLimit,
  setCondition,
  setNewReplicaSetAnnotations,
  setReplicasAnnotations,
  specCount,
  specReplicas,
  availableCount,
  type Deployment,
  type DeploymentStatus,
  type ReplicaSet,
} from './deployment-util';
import { computeHash } from './hash';
import { isControlledBy, isPodActive, newControllerRef, splitKey } from './objects';
import { claim } from './ownership';

export const DEPLOYMENT = 'deployment';
const COMPONENT = 'deployment-controller';

/**
 * The Deployment controller, step for step as upstream's `syncDeployment`: paused and scaling events
 * take `sync` (proportional scaling, no new ReplicaSet), otherwise Recreate or RollingUpdate, then the
 * status with its Available and Progressing conditions.
 */
export function syncDeployment(ctx: Context, k: string): void {
  const [ns, name] = splitKey(k);
  const stored = ctx.store.get(R.deployments, ns, name) as Deployment | undefined;
  if (!stored) return;
  new DeploymentSync(ctx, stored).run();
}

class DeploymentSync {
  constructor(
    private readonly ctx: Context,
    private d: Deployment,
  ) {}

  private get now(): Date {
    return this.ctx.now();
  }

  run(): void {
    const rsList = claim(this.ctx, R.replicasets, this.d, this.d.spec.selector, {
      mutable: true,
    }) as ReplicaSet[];
    if (this.d.metadata.deletionTimestamp) return this.syncStatusOnly(rsList);
    this.checkPausedConditions();
    if (this.d.spec.paused) return this.sync(rsList);
    if (this.isScalingEvent(rsList)) return this.sync(rsList);
    if (isRollingUpdate(this.d)) this.rolloutRolling(rsList);
    else this.rolloutRecreate(rsList);
  }

  // ---- writes ----

  private writeDeployment(): void {
    const fresh = this.ctx.store.get(R.deployments, this.d.metadata.namespace, this.d.metadata.name);
    if (!fresh || fresh.metadata.uid !== this.d.metadata.uid) return;
    // Only status and the revision annotation are ours; the spec may have changed meanwhile.
    fresh.status = this.d.status;
    const rev = this.d.metadata.annotations?.[REVISION];
    if (rev !== undefined)
      fresh.metadata.annotations = { ...(fresh.metadata.annotations ?? {}), [REVISION]: rev };
    this.d = this.ctx.store.update(R.deployments, fresh) as Deployment;
  }

  private writeReplicaSet(rs: ReplicaSet, bumpGeneration: boolean): void {
    const updated = this.ctx.store.update(
      R.replicasets,
      { ...rs, metadata: { ...rs.metadata, resourceVersion: undefined } },
      { bumpGeneration },
    );
    Object.assign(rs, updated);
  }

  /** `scaleReplicaSetAndRecordEvent`: returns whether the size changed. */
  private scaleReplicaSet(rs: ReplicaSet, newScale: number, operation?: 'up' | 'down'): boolean {
    const oldScale = specReplicas(rs);
    const sizeNeedsUpdate = oldScale !== newScale;
    const maxReplicas = specReplicas(this.d) + maxSurge(this.d);
    if (!sizeNeedsUpdate && !replicasAnnotationsNeedUpdate(rs, specReplicas(this.d), maxReplicas))
      return false;
    rs.spec.replicas = newScale;
    setReplicasAnnotations(rs, specReplicas(this.d), maxReplicas);
    this.writeReplicaSet(rs, sizeNeedsUpdate);
    if (sizeNeedsUpdate) {
      const op = operation ?? (oldScale < newScale ? 'up' : 'down');
      this.ctx.event(
        this.d,
        'Normal',
        'ScalingReplicaSet',
        `Scaled ${op} replica set ${rs.metadata.name} to ${newScale} from ${oldScale}`,
        COMPONENT,
      );
    }
    return sizeNeedsUpdate;
  }

  // ---- new and old ReplicaSets ----

  private getAllReplicaSetsAndSyncRevision(
    rsList: ReplicaSet[],
    create: boolean,
  ): [ReplicaSet | undefined, ReplicaSet[]] {
    const existing = findNewReplicaSet(this.d, rsList);
    const oldRSs = rsList.filter((rs) => rs !== existing);
    return [this.getNewReplicaSet(existing, oldRSs, create), oldRSs];
  }

  private setDeploymentRevision(revision: string): boolean {
    const a = (this.d.metadata.annotations ??= {});
    if (a[REVISION] === revision) return false;
    a[REVISION] = revision;
    return true;
  }

  private getNewReplicaSet(
    existing: ReplicaSet | undefined,
    oldRSs: ReplicaSet[],
    create: boolean,
  ): ReplicaSet | undefined {
    const d = this.d;
    const newRevision = maxRevision(oldRSs) + 1;
    const status = (d.status ??= {});
    if (existing) {
      const annotationsUpdated = setNewReplicaSetAnnotations(d, existing, newRevision, true);
      const minReadyChanged = (existing.spec.minReadySeconds ?? 0) !== (d.spec.minReadySeconds ?? 0);
      if (annotationsUpdated || minReadyChanged) {
        existing.spec.minReadySeconds = d.spec.minReadySeconds ?? 0;
        this.writeReplicaSet(existing, minReadyChanged);
      }
      let needsUpdate = this.setDeploymentRevision(existing.metadata.annotations?.[REVISION] ?? '');
      if (progressDeadlineSeconds(d) !== undefined && !getCondition(status, 'Progressing')) {
        setCondition(
          status,
          newCondition(
            'Progressing',
            'True',
            'FoundNewReplicaSet',
            `Found new replica set "${existing.metadata.name}"`,
            this.now,
          ),
        );
        needsUpdate = true;
      }
      if (needsUpdate) this.writeDeployment();
      return existing;
    }
    if (!create) return undefined;

    const template = structuredClone(d.spec.template ?? {});
    const hash = computeHash(template, status.collisionCount);
    template.metadata = {
      ...(template.metadata ?? {}),
      labels: { ...(template.metadata?.labels ?? {}), [POD_TEMPLATE_HASH]: hash },
    };
    const selector = structuredClone(d.spec.selector ?? {});
    selector.matchLabels = { ...(selector.matchLabels ?? {}), [POD_TEMPLATE_HASH]: hash };
    const rs: ReplicaSet = {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: {
        name: `${d.metadata.name}-${hash}`,
        namespace: d.metadata.namespace,
        ownerReferences: [newControllerRef(d)],
        labels: { ...(template.metadata.labels ?? {}) },
      },
      spec: { replicas: 0, minReadySeconds: d.spec.minReadySeconds ?? 0, selector, template },
    };
    rs.spec.replicas = newRSNewReplicas(d, [...oldRSs, rs], rs);
    setNewReplicaSetAnnotations(d, rs, newRevision, false);
    let created: ReplicaSet;
    try {
      created = this.ctx.store.create(R.replicasets, rs) as ReplicaSet;
    } catch (err) {
      if (!(err instanceof ApiError) || err.code !== 409) throw err;
      const clash = this.ctx.store.get(R.replicasets, d.metadata.namespace, rs.metadata.name) as
        ReplicaSet | undefined;
      if (clash && isControlledBy(clash, d) && equalIgnoreHash(clash.spec.template, d.spec.template))
        return clash;
      // A hash collision: bump collisionCount so the next hash differs, and try again.
      status.collisionCount = (status.collisionCount ?? 0) + 1;
      this.writeDeployment();
      this.ctx.enqueue(DEPLOYMENT, `${d.metadata.namespace ?? ''}/${d.metadata.name}`);
      return undefined;
    }
    if (specReplicas(created) > 0) {
      this.ctx.event(
        d,
        'Normal',
        'ScalingReplicaSet',
        `Scaled up replica set ${created.metadata.name} to ${specReplicas(created)}`,
        COMPONENT,
      );
    }
    this.setDeploymentRevision(String(newRevision));
    if (progressDeadlineSeconds(d) !== undefined) {
      setCondition(
        status,
        newCondition(
          'Progressing',
          'True',
          'NewReplicaSetCreated',
          `Created new replica set "${created.metadata.name}"`,
          this.now,
        ),
      );
    }
    this.writeDeployment();
    return created;
  }

  // ---- strategies ----

  private rolloutRolling(rsList: ReplicaSet[]): void {
    const [newRS, oldRSs] = this.getAllReplicaSetsAndSyncRevision(rsList, true);
    if (!newRS) return; // collision: re-queued
    const allRSs = [...oldRSs, newRS];
    if (this.reconcileNewReplicaSet(allRSs, newRS)) return this.syncRolloutStatus(allRSs, newRS);
    if (this.reconcileOldReplicaSets(allRSs, activeReplicaSets(oldRSs), newRS))
      return this.syncRolloutStatus(allRSs, newRS);
    if (deploymentComplete(this.d, this.d.status ?? {})) this.cleanupDeployment(oldRSs);
    this.syncRolloutStatus(allRSs, newRS);
  }

  private reconcileNewReplicaSet(allRSs: ReplicaSet[], newRS: ReplicaSet): boolean {
    const want = specReplicas(this.d);
    if (specReplicas(newRS) === want) return false;
    if (specReplicas(newRS) > want) return this.scaleReplicaSet(newRS, want);
    return this.scaleReplicaSet(newRS, newRSNewReplicas(this.d, allRSs, newRS));
  }

  /** Scales old ReplicaSets down as far as maxUnavailable allows, unhealthy replicas first. */
  private reconcileOldReplicaSets(allRSs: ReplicaSet[], oldRSs: ReplicaSet[], newRS: ReplicaSet): boolean {
    if (specCount(oldRSs) === 0) return false;
    const minAvailable = specReplicas(this.d) - maxUnavailable(this.d);
    const newRSUnavailable = specReplicas(newRS) - (newRS.status?.availableReplicas ?? 0);
    const maxScaledDown = specCount(allRSs) - minAvailable - newRSUnavailable;
    if (maxScaledDown <= 0) return false;

    // Clean up unhealthy replicas first: they cost no availability.
    let cleaned = 0;
    for (const rs of [...oldRSs].sort(byCreation)) {
      if (cleaned >= maxScaledDown) break;
      const unhealthy = specReplicas(rs) - (rs.status?.availableReplicas ?? 0);
      if (specReplicas(rs) === 0 || unhealthy <= 0) continue;
      const n = Math.min(maxScaledDown - cleaned, unhealthy);
      this.scaleReplicaSet(rs, specReplicas(rs) - n);
      cleaned += n;
    }

    // Then scale down old replicas while staying above minAvailable.
    let scaledDown = 0;
    const available = availableCount([...oldRSs, newRS]);
    if (available > minAvailable) {
      const total = available - minAvailable;
      for (const rs of [...oldRSs].sort(byCreation)) {
        if (scaledDown >= total) break;
        if (specReplicas(rs) === 0) continue;
        const n = Math.min(specReplicas(rs), total - scaledDown);
        this.scaleReplicaSet(rs, specReplicas(rs) - n);
        scaledDown += n;
      }
    }
    return cleaned + scaledDown > 0;
  }

  private rolloutRecreate(rsList: ReplicaSet[]): void {
    let [newRS, oldRSs] = this.getAllReplicaSetsAndSyncRevision(rsList, false);
    let scaledDown = false;
    for (const rs of activeReplicaSets(oldRSs)) if (this.scaleReplicaSet(rs, 0)) scaledDown = true;
    if (scaledDown) return this.syncRolloutStatus([...oldRSs, newRS], newRS);
    // Wait until every old pod is gone before starting new ones.
    if (this.oldPodsRunning(newRS, oldRSs)) return this.syncRolloutStatus([...oldRSs, newRS], newRS);
    if (!newRS) {
      [newRS, oldRSs] = this.getAllReplicaSetsAndSyncRevision(rsList, true);
      if (!newRS) return;
    }
    this.scaleReplicaSet(newRS, specReplicas(this.d));
    if (deploymentComplete(this.d, this.d.status ?? {})) this.cleanupDeployment(oldRSs);
    this.syncRolloutStatus([...oldRSs, newRS], newRS);
  }

  private oldPodsRunning(newRS: ReplicaSet | undefined, oldRSs: ReplicaSet[]): boolean {
    if (oldRSs.some((rs) => (rs.status?.replicas ?? 0) > 0)) return true;
    const pods = this.ctx.store.list(R.pods, {
      namespace: this.d.metadata.namespace,
      filter: (p) => oldRSs.some((rs) => isControlledBy(p, rs)) && (!newRS || !isControlledBy(p, newRS)),
    });
    return pods.some((p) => isPodActive(p) || !!p.metadata.deletionTimestamp);
  }

  // ---- paused and scaling ----

  private checkPausedConditions(): void {
    if (progressDeadlineSeconds(this.d) === undefined) return;
    const status = (this.d.status ??= {});
    const cond = getCondition(status, 'Progressing');
    if (cond?.reason === 'ProgressDeadlineExceeded') return; // do not hide a reported failure behind "paused"
    const pausedCond = cond?.reason === 'DeploymentPaused';
    if (this.d.spec.paused && !pausedCond) {
      setCondition(
        status,
        newCondition('Progressing', 'Unknown', 'DeploymentPaused', 'Deployment is paused', this.now),
      );
    } else if (!this.d.spec.paused && pausedCond) {
      setCondition(
        status,
        newCondition('Progressing', 'Unknown', 'DeploymentResumed', 'Deployment is resumed', this.now),
      );
    } else return;
    this.writeDeployment();
  }

  private isScalingEvent(rsList: ReplicaSet[]): boolean {
    const [newRS, oldRSs] = this.getAllReplicaSetsAndSyncRevision(rsList, false);
    for (const rs of activeReplicaSets([...oldRSs, newRS])) {
      const desired = Number.parseInt(rs.metadata.annotations?.[DESIRED_REPLICAS] ?? '', 10);
      if (!Number.isNaN(desired) && desired !== specReplicas(this.d)) return true;
    }
    return false;
  }

  private sync(rsList: ReplicaSet[]): void {
    const [newRS, oldRSs] = this.getAllReplicaSetsAndSyncRevision(rsList, false);
    this.scale(newRS, oldRSs);
    if (this.d.spec.paused) this.cleanupDeployment(oldRSs);
    this.syncDeploymentStatus([...oldRSs, newRS], newRS);
  }

  /** Proportional scaling (`dc.scale`): spread a replica change over the active ReplicaSets by size. */
  private scale(newRS: ReplicaSet | undefined, oldRSs: ReplicaSet[]): void {
    const want = specReplicas(this.d);
    const activeOrLatest = this.findActiveOrLatest(newRS, oldRSs);
    if (activeOrLatest) {
      if (specReplicas(activeOrLatest) !== want) this.scaleReplicaSet(activeOrLatest, want);
      return;
    }
    if (newRS && this.isSaturated(newRS)) {
      for (const rs of activeReplicaSets(oldRSs)) this.scaleReplicaSet(rs, 0);
      return;
    }
    if (!isRollingUpdate(this.d)) return;
    const all = activeReplicaSets([...oldRSs, newRS]);
    const allowed = want > 0 ? want + maxSurge(this.d) : 0;
    const toAdd = allowed - specCount(all);
    let op: 'up' | 'down' | undefined;
    if (toAdd > 0) {
      // Larger first; on a tie, newer first when scaling up.
      all.sort((a, b) => specReplicas(b) - specReplicas(a) || byCreation(b, a));
      op = 'up';
    } else if (toAdd < 0) {
      // Larger first; on a tie, older first when scaling down.
      all.sort((a, b) => specReplicas(b) - specReplicas(a) || byCreation(a, b));
      op = 'down';
    }
    let added = 0;
    const sizes = new Map<ReplicaSet, number>();
    for (const rs of all) {
      const p = toAdd !== 0 ? proportion(rs, this.d, toAdd, added) : 0;
      sizes.set(rs, specReplicas(rs) + p);
      added += p;
    }
    all.forEach((rs, i) => {
      let size = sizes.get(rs)!;
      if (i === 0 && toAdd !== 0) size = Math.max(0, size + toAdd - added); // leftovers go to the largest
      this.scaleReplicaSet(rs, size, op);
    });
  }

  private findActiveOrLatest(newRS: ReplicaSet | undefined, oldRSs: ReplicaSet[]): ReplicaSet | undefined {
    if (!newRS && oldRSs.length === 0) return undefined;
    const newestFirst = [...oldRSs].sort((a, b) => byCreation(b, a));
    const active = activeReplicaSets([...newestFirst, newRS]);
    if (active.length === 0) return newRS ?? newestFirst[0];
    return active.length === 1 ? active[0] : undefined;
  }

  private isSaturated(rs: ReplicaSet): boolean {
    const desired = Number.parseInt(rs.metadata.annotations?.[DESIRED_REPLICAS] ?? '', 10);
    const want = specReplicas(this.d);
    return specReplicas(rs) === want && desired === want && (rs.status?.availableReplicas ?? 0) === want;
  }

  /** Deletes the oldest scaled-down ReplicaSets beyond revisionHistoryLimit. */
  private cleanupDeployment(oldRSs: ReplicaSet[]): void {
    const cleanable = oldRSs.filter((rs) => !rs.metadata.deletionTimestamp).sort(byRevision);
    const diff = cleanable.length - revisionHistoryLimit(this.d);
    for (let i = 0; i < diff; i++) {
      const rs = cleanable[i];
      if ((rs.status?.replicas ?? 0) !== 0 || specReplicas(rs) !== 0) continue;
      if ((rs.metadata.generation ?? 1) > (rs.status?.observedGeneration ?? 0)) continue;
      try {
        this.ctx.store.delete(R.replicasets, rs.metadata.namespace, rs.metadata.name);
      } catch {
        // already gone
      }
    }
  }

  // ---- status ----

  private syncStatusOnly(rsList: ReplicaSet[]): void {
    const [newRS, oldRSs] = this.getAllReplicaSetsAndSyncRevision(rsList, false);
    this.syncDeploymentStatus([...oldRSs, newRS], newRS);
  }

  private syncDeploymentStatus(allRSs: Array<ReplicaSet | undefined>, newRS: ReplicaSet | undefined): void {
    this.writeStatusIfChanged(calculateStatus(allRSs, newRS, this.d, this.now));
  }

  /** `syncRolloutStatus`: status plus the Progressing condition (progress, completion, deadline). */
  private syncRolloutStatus(allRSs: Array<ReplicaSet | undefined>, newRS: ReplicaSet | undefined): void {
    const d = this.d;
    const status = calculateStatus(allRSs, newRS, d, this.now);
    const deadline = progressDeadlineSeconds(d);
    if (deadline === undefined) removeCondition(status, 'Progressing');
    const current = getCondition(status, 'Progressing');
    const isComplete =
      status.replicas === status.updatedReplicas && current?.reason === 'NewReplicaSetAvailable';
    if (deadline !== undefined && !isComplete) {
      const subject = newRS ? `ReplicaSet "${newRS.metadata.name}"` : `Deployment "${d.metadata.name}"`;
      if (deploymentComplete(d, status)) {
        setCondition(
          status,
          newCondition(
            'Progressing',
            'True',
            'NewReplicaSetAvailable',
            `${subject} has successfully progressed.`,
            this.now,
          ),
        );
      } else if (deploymentProgressing(d, status)) {
        const c = newCondition(
          'Progressing',
          'True',
          'ReplicaSetUpdated',
          `${subject} is progressing.`,
          this.now,
        );
        // Progress refreshes lastUpdateTime even with the same reason; lastTransitionTime stays while True.
        if (current) {
          if (current.status === 'True') c.lastTransitionTime = current.lastTransitionTime;
          removeCondition(status, 'Progressing');
        }
        setCondition(status, c);
      } else if (deploymentTimedOut(d, status, this.now)) {
        setCondition(
          status,
          newCondition(
            'Progressing',
            'False',
            'ProgressDeadlineExceeded',
            `${subject} has timed out progressing.`,
            this.now,
          ),
        );
      }
    }
    this.writeStatusIfChanged(status);
    this.requeueStuckDeployment(status);
  }

  private writeStatusIfChanged(status: DeploymentStatus): void {
    const next = omitEmpty(status);
    if (JSON.stringify(next) === JSON.stringify(this.d.status ?? {})) return;
    this.d.status = next;
    this.writeDeployment();
  }

  /** Comes back when the progress deadline would pass, since nothing else may wake us then. */
  private requeueStuckDeployment(status: DeploymentStatus): void {
    const deadline = progressDeadlineSeconds(this.d);
    const c = getCondition(status, 'Progressing');
    if (deadline === undefined || !c) return;
    if (deploymentComplete(this.d, status) || c.reason === 'ProgressDeadlineExceeded') return;
    const from = Date.parse(c.lastUpdateTime ?? '');
    if (Number.isNaN(from)) return;
    this.ctx.enqueueAt(
      DEPLOYMENT,
      `${this.d.metadata.namespace ?? ''}/${this.d.metadata.name}`,
      from + deadline * 1000 + 1,
    );
  }
}

export function deploymentOfReplicaSet(rs: KObject): string | undefined {
  const ref = rs.metadata.ownerReferences?.find((r) => r.controller && r.kind === 'Deployment');
  return ref ? `${rs.metadata.namespace ?? ''}/${ref.name}` : undefined;
}
