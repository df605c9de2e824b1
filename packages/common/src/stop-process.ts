import type { ChildProcess } from 'node:child_process';

/**
 * Ends a server process started for a while (a local registry, Prometheus): SIGTERM so it shuts down
 * cleanly, SIGKILL if it is still running `graceMs` later. Resolves once it has exited; at once if it
 * already had.
 */
export async function stopProcess(child: ChildProcess, graceMs = 5000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  // Listening before the signal: the exit cannot be missed (no await between the check and here).
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const killer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(killer);
}
