import type { RollbackResult } from './engine';

/** The `rolled-back` output: `{"deployment.apps/web": {"from": 2, "to": 1, "revision": 3}}`, only workloads actually rolled back. */
export function rolledBackJson(
  result: RollbackResult,
): Record<string, { from: number; to: number; revision: number }> {
  const out: Record<string, { from: number; to: number; revision: number }> = {};
  for (const o of result.outcomes) {
    if ((o.action === 'rolled-back' || o.action === 'failed') && o.from !== undefined) {
      out[`${o.namespace}/${o.displayName}`] = { from: o.from, to: o.to ?? 0, revision: o.revision ?? 0 };
    }
  }
  return out;
}

/** Rows for a summary table: workload, outcome, from, to, details. */
export function rollbackSummaryRows(result: RollbackResult): string[][] {
  return result.outcomes.map((o) => [
    `${o.namespace}/${o.displayName}`,
    o.action,
    o.from === undefined ? '' : String(o.from),
    o.to === undefined ? '' : String(o.to),
    o.message,
  ]);
}
