/** Passes per event-loop turn when running on its own (not flushed by a test). */
const PASSES_PER_SLICE = 50;

/**
 * A work queue like client-go's: keys are coalesced (a key queued twice runs once), processing is
 * deferred (`setImmediate`) so a burst of store events turns into one sync per object, and `flush`
 * drains everything synchronously for deterministic tests.
 */
export class WorkQueue {
  private readonly pending = new Map<string, Set<string>>();
  private scheduled = false;
  private stopped = false;
  private immediate: NodeJS.Immediate | undefined;

  constructor(
    private readonly handlers: Record<string, (key: string) => void>,
    private readonly onError: (controller: string, key: string, err: unknown) => void,
  ) {}

  /** Fixes the order controllers run in within a pass (the order of `names`). */
  prime(names: string[]): void {
    for (const n of names) if (!this.pending.has(n)) this.pending.set(n, new Set());
  }

  add(controller: string, key: string): void {
    if (this.stopped) return;
    let s = this.pending.get(controller);
    if (!s) this.pending.set(controller, (s = new Set()));
    s.add(key);
    this.schedule();
  }

  get idle(): boolean {
    for (const s of this.pending.values()) if (s.size) return false;
    return true;
  }

  private schedule(): void {
    if (this.scheduled || this.stopped) return;
    this.scheduled = true;
    this.immediate = setImmediate(() => {
      this.scheduled = false;
      this.immediate = undefined;
      // Work in slices, yielding to I/O (the API server) between them; never throw into the event loop.
      this.drain(PASSES_PER_SLICE);
      if (!this.idle) this.schedule();
    });
  }

  /**
   * Processes queued keys until nothing is left, synchronously (deterministic tests). Throws if the
   * controllers keep re-queueing each other without settling, which would be a bug.
   */
  flush(maxPasses = 10_000): void {
    if (!this.drain(maxPasses)) throw new Error(`controllers did not settle after ${maxPasses} passes`);
  }

  /**
   * Runs up to `maxPasses` passes; each pass takes a snapshot, so a key re-queued by its own sync runs
   * again in the next pass, not in a tight loop. Returns whether the queue is idle.
   */
  private drain(maxPasses: number): boolean {
    for (let pass = 0; !this.idle && !this.stopped; pass++) {
      if (pass >= maxPasses) return false;
      for (const [controller, keys] of this.pending) {
        if (!keys.size) continue;
        const batch = [...keys];
        keys.clear();
        for (const key of batch) {
          try {
            this.handlers[controller](key);
          } catch (err) {
            this.onError(controller, key, err);
          }
        }
      }
    }
    return true;
  }

  stop(): void {
    this.stopped = true;
    if (this.immediate) clearImmediate(this.immediate);
    this.pending.clear();
  }
}
