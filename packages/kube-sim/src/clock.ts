/**
 * Simulated time. Controllers and pods read the time and set timers only through a `Clock`, so a test
 * can run a rollout faster than real time (`ScaledClock`) or step it deterministically (`ManualClock`).
 * Real kubectl only sees wall-clock timeouts, so a speed factor stays compatible with it.
 */
export interface TimerHandle {
  readonly id: number;
}

export interface Clock {
  /** The current simulated time. */
  now(): Date;
  /** Runs `fn` once `simMs` simulated milliseconds have passed. */
  setTimeout(fn: () => void, simMs: number): TimerHandle;
  clearTimeout(handle: TimerHandle | undefined): void;
}

let nextTimerId = 1;

/** Simulated time runs `speed` times as fast as real time, starting from `start` (default: now). */
export class ScaledClock implements Clock {
  private readonly realStart = performance.now();
  private readonly simStart: number;
  private readonly timers = new Map<number, NodeJS.Timeout>();

  constructor(
    readonly speed = 1,
    start: Date = new Date(),
  ) {
    if (!(speed > 0) || !Number.isFinite(speed))
      throw new RangeError(`clock speed must be a positive number, got ${speed}`);
    this.simStart = start.getTime();
  }

  now(): Date {
    return new Date(this.simStart + Math.floor((performance.now() - this.realStart) * this.speed));
  }

  /**
   * Node may fire a timer a fraction of a millisecond early (it counts from the event loop's cached
   * time), which at high speeds is a simulated second early: a timer that fires before its simulated
   * due time is re-armed for the rest, so callers always see `now() >= due`. Timers are unref'd: the
   * simulated time alone never keeps a process alive (the API server's socket does while it runs).
   */
  setTimeout(fn: () => void, simMs: number): TimerHandle {
    const id = nextTimerId++;
    const due = this.now().getTime() + Math.max(0, simMs);
    const arm = (realMs: number) => {
      const t = setTimeout(() => {
        const left = due - this.now().getTime();
        if (left > 0) return arm(Math.max(1, left / this.speed));
        this.timers.delete(id);
        fn();
      }, realMs);
      t.unref();
      this.timers.set(id, t);
    };
    arm(Math.max(0, simMs) / this.speed);
    return { id };
  }

  clearTimeout(handle: TimerHandle | undefined): void {
    if (!handle) return;
    const t = this.timers.get(handle.id);
    if (t) clearTimeout(t);
    this.timers.delete(handle.id);
  }

  /** Cancels every pending timer (the simulator is stopping). */
  clearAll(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
  }

  /** Timers not yet fired (for tests that check nothing is left behind). */
  get pendingTimers(): number {
    return this.timers.size;
  }
}

interface ManualTimer {
  id: number;
  at: number;
  seq: number;
  fn: () => void;
}

/** Time stands still until `advance` moves it; timers fire in time order, synchronously. */
export class ManualClock implements Clock {
  private current: number;
  private seq = 0;
  private readonly timers = new Map<number, ManualTimer>();

  constructor(start: Date | string = '2026-01-01T00:00:00Z') {
    this.current = new Date(start).getTime();
  }

  now(): Date {
    return new Date(this.current);
  }

  setTimeout(fn: () => void, simMs: number): TimerHandle {
    const id = nextTimerId++;
    this.timers.set(id, { id, at: this.current + Math.max(0, simMs), seq: this.seq++, fn });
    return { id };
  }

  clearTimeout(handle: TimerHandle | undefined): void {
    if (handle) this.timers.delete(handle.id);
  }

  /** When the next timer is due, or undefined when none is pending. */
  nextTimerAt(): number | undefined {
    let next: number | undefined;
    for (const t of this.timers.values()) if (next === undefined || t.at < next) next = t.at;
    return next;
  }

  get pendingTimers(): number {
    return this.timers.size;
  }

  /**
   * Moves time forward by `ms`, firing due timers in order. `between` runs after each timer (and once
   * before the first), so work a timer triggers can schedule further timers inside the same window —
   * pass the controllers' `flush` here.
   */
  advance(ms: number, between?: () => void): void {
    const target = this.current + ms;
    between?.();
    for (;;) {
      const due = [...this.timers.values()]
        .filter((t) => t.at <= target)
        .sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
      if (!due) break;
      this.timers.delete(due.id);
      this.current = Math.max(this.current, due.at);
      due.fn();
      between?.();
    }
    this.current = target;
    between?.();
  }
}
