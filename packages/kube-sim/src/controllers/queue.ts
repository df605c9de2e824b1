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
    if (this.scheduled) return;
    this.scheduled = true;
    this.immediate = setImmediate(() => {
      this.scheduled = false;
      this.immediate = undefined;
      this.flush();
    });
  }

  /**
   * Processes queued keys until nothing is left. Each pass takes a snapshot, so a key re-queued by
   * its own sync runs again in the next pass, not in a tight loop.
   */
  flush(maxPasses = 10_000): void {
    for (let pass = 0; !this.idle && !this.stopped; pass++) {
      if (pass >= maxPasses) throw new Error(`controllers did not settle after ${maxPasses} passes`);
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
  }

  stop(): void {
    this.stopped = true;
    if (this.immediate) clearImmediate(this.immediate);
    this.pending.clear();
  }
}
