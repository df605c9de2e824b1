/** What main hands to post, saved before each long operation so a cancelled main still gets cleaned up. */
export const State = {
  cluster: 'cluster',
  kubeconfig: 'kubeconfig',
  kindPath: 'kind-path',
  registry: 'registry',
  /** `creating` once `kind create cluster` may have started; post then deletes (and exports logs on failure). */
  phase: 'phase',
  /** `success` when main finished; anything else means it failed or was cancelled. */
  outcome: 'outcome',
  keep: 'keep',
  exportLogs: 'export-logs',
  failOnCleanupError: 'fail-on-cleanup-error',
} as const;

export interface StateStore {
  save(key: string, value: string): void;
  get(key: string): string;
}

/** A StateStore in memory, for the CLI and tests. */
export function memoryState(
  initial: Record<string, string> = {},
): StateStore & { values: Record<string, string> } {
  const values = { ...initial };
  return { values, save: (k, v) => void (values[k] = v), get: (k) => values[k] ?? '' };
}
