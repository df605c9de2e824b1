/**
 * Work to do when the step is cancelled (the runner sends SIGINT, then SIGTERM about 7.5 s later, then
 * kills): release a Lease, say what was done. Engines register here without knowing about the runner;
 * the toolkit (actions) and the CLI call `runCancelHandlers` on the signal.
 */
type Handler = () => Promise<void> | void;
const handlers = new Set<Handler>();

/** Registers `fn` for a cancellation; returns the function that unregisters it (call it when done). */
export function onCancel(fn: Handler): () => void {
  handlers.add(fn);
  return () => {
    handlers.delete(fn);
  };
}

/** Runs every registered handler once, concurrently, waiting at most `timeoutMs` for them. */
export async function runCancelHandlers(timeoutMs: number): Promise<void> {
  const all = [...handlers];
  handlers.clear();
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    Promise.allSettled(all.map(async (f) => f())),
    new Promise<void>((r) => (timer = setTimeout(r, timeoutMs))),
  ]);
  clearTimeout(timer);
}

/**
 * Calls `fn` on the first SIGINT or SIGTERM and ignores later ones: the runner sends SIGINT, then SIGTERM,
 * and a user may press Ctrl-C twice; Node's default for the second would end the process mid-cleanup.
 * Returns the function that removes the listeners (call it when the work is done).
 */
export function onFirstSignal(fn: (signal: NodeJS.Signals) => void): () => void {
  let fired = false;
  const handler = (signal: NodeJS.Signals) => {
    if (fired) return;
    fired = true;
    fn(signal);
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return () => {
    process.off('SIGINT', handler);
    process.off('SIGTERM', handler);
  };
}
