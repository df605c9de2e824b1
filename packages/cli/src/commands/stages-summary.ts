import { formatDuration } from '@upgrade-actions/common';
import type { StagedOutcome } from '@upgrade-actions/verify';

/** The summary a person reads at the end of the log: one line per stage, in run order. */
export function stagesSummary(outcomes: readonly StagedOutcome[]): string[] {
  const width = Math.max(...outcomes.map((o) => o.name.length));
  const lines = outcomes.map((o) => {
    const mark = o.result === 'promoted' ? '✓' : o.result === 'not reached' ? '·' : '✗';
    const soak = o.result === 'not reached' ? '' : `  soak ${formatDuration(o.soakMs)}`;
    const why = o.message ? `  ${o.message}` : '';
    return `${mark} ${o.name.padEnd(width)}  ${o.result}${soak}${why}`;
  });
  return ['Staged rollout:', ...lines];
}

/**
 * The summary as JSON (standard output, --output): per stage its name, result, seconds in soak and in all,
 * and, when there is one, why it failed, what the rollback did, the commands that finish a failed rollback,
 * and the release descriptor of what the stage deployed (the input of rollback, probe and smoke-test).
 */
export function stagesJson(outcomes: readonly StagedOutcome[]) {
  return outcomes.map((o) => ({
    name: o.name,
    result: o.result,
    soakSeconds: Math.round(o.soakMs / 100) / 10,
    durationSeconds: Math.round(o.durationMs / 100) / 10,
    ...(o.message ? { message: o.message } : {}),
    ...(o.interrupted ? { interrupted: o.interrupted } : {}),
    ...(o.rolledBack ? { rolledBack: o.rolledBack } : {}),
    ...(o.manualRollback ? { manualRollback: o.manualRollback } : {}),
    ...(o.release ? { release: o.release } : {}),
  }));
}

/** The last line of a run that stopped at `o`: which stage, why, and in what state it was left. */
export function verdictLine(o: StagedOutcome): string {
  const left: Record<string, string> = {
    'rolled back': 'it was rolled back',
    failed: 'nothing was applied',
    'rollback failed': o.manualRollback?.length
      ? 'its rollback failed: run the commands above by hand'
      : 'its rollback did not recover it: see above',
  };
  const why = o.interrupted ? `was interrupted by ${o.interrupted}` : `failed (${o.message})`;
  return `stage ${o.name} ${why}; ${left[o.result] ?? o.result}`;
}
