import type { Logger } from '@upgrade-actions/common';
import type { Clock, TimerHandle } from '../clock';
import { R } from '../resources';
import type { Store } from '../store';
import type { KObject } from '../types';
import { timestamp } from './objects';
import type { OwnerIndex } from './owner-index';
import type { WorkQueue } from './queue';

/** What every controller needs: the store, the clock, the queue, delayed re-queues and events. */
export class Context {
  private readonly timers = new Map<string, { at: number; handle: TimerHandle }>();
  private eventSeq = 0;

  constructor(
    readonly store: Store,
    readonly clock: Clock,
    readonly queue: WorkQueue,
    readonly index: OwnerIndex,
    readonly logger: Logger | undefined,
    private readonly recordEvents: boolean,
  ) {}

  now(): Date {
    return this.clock.now();
  }

  nowMs(): number {
    return this.clock.now().getTime();
  }

  enqueue(controller: string, key: string): void {
    this.queue.add(controller, key);
  }

  /** Re-queues `key` at simulated time `atMs`; an earlier request for the same key wins. */
  enqueueAt(controller: string, key: string, atMs: number): void {
    const id = `${controller}|${key}`;
    const existing = this.timers.get(id);
    if (existing && existing.at <= atMs && existing.at > this.nowMs()) return;
    if (existing) this.clock.clearTimeout(existing.handle);
    const handle = this.clock.setTimeout(
      () => {
        this.timers.delete(id);
        this.queue.add(controller, key);
      },
      Math.max(0, atMs - this.nowMs()),
    );
    this.timers.set(id, { at: atMs, handle });
  }

  /**
   * Deletes a pod gracefully, as controllers do through the API: it gets a deletionTimestamp and the
   * kubelet removes it once its containers stopped. Returns false if it was gone or already terminating.
   */
  deletePod(pod: KObject): boolean {
    const current = this.store.get(R.pods, pod.metadata.namespace, pod.metadata.name);
    if (!current || current.metadata.uid !== pod.metadata.uid || current.metadata.deletionTimestamp)
      return false;
    current.metadata.deletionTimestamp = timestamp(this.now());
    current.metadata.deletionGracePeriodSeconds =
      (current.spec as { terminationGracePeriodSeconds?: number } | undefined)
        ?.terminationGracePeriodSeconds ?? 30;
    this.store.update(R.pods, current);
    return true;
  }

  /** Records a core/v1 Event about `obj`, as `kubectl describe` shows them. */
  event(obj: KObject, type: 'Normal' | 'Warning', reason: string, message: string, component: string): void {
    if (!this.recordEvents) return;
    const now = timestamp(this.now());
    const namespace = obj.metadata.namespace ?? 'default';
    try {
      this.store.create(R.events, {
        apiVersion: 'v1',
        kind: 'Event',
        metadata: {
          name: `${obj.metadata.name}.${(this.nowMs() * 1000 + (this.eventSeq++ % 1000)).toString(16)}`,
          namespace,
        },
        involvedObject: {
          apiVersion: obj.apiVersion,
          kind: obj.kind,
          name: obj.metadata.name,
          namespace: obj.metadata.namespace,
          uid: obj.metadata.uid,
          resourceVersion: obj.metadata.resourceVersion,
        },
        reason,
        message,
        type,
        count: 1,
        firstTimestamp: now,
        lastTimestamp: now,
        source: { component },
        reportingComponent: component,
        reportingInstance: '',
      });
    } catch (err) {
      this.logger?.debug(`event for ${obj.kind} ${obj.metadata.name} not recorded: ${String(err)}`);
    }
  }

  stop(): void {
    for (const t of this.timers.values()) this.clock.clearTimeout(t.handle);
    this.timers.clear();
  }
}
