import type { FailedMark } from './marks';

/** What one workload needs, decided from data alone (tested table-driven). */
export type Decision =
  | { action: 'rollback'; toRevision: number }
  | { action: 'already-rolled-back'; message: string }
  | { action: 'skip'; message: string };

export interface DecisionInput {
  /** The workload's revision now. */
  current: number;
  mark?: FailedMark;
  /** From a release descriptor: what the deploy changed. Absent for explicit workloads. */
  release?: { revisionBefore: number | null; revisionAfter: number | null };
  /** `to-revision`: 0 is the previous revision (kubectl's default). */
  toRevision: number;
  /** The fingerprint of the pod template running now (templateFingerprint). */
  currentTemplate?: string;
}

/**
 * A rollback marks first (rolledBackTo 0: pending), then undoes, then completes the mark. A pending mark
 * whose failed template no longer runs, one revision later, is an undo that went through before the run
 * stopped: the work is done and must not be done again (a second undo would restore the failed release).
 */
export function undoneBeforeStop(
  current: number,
  mark: FailedMark | undefined,
  currentTemplate?: string,
): boolean {
  return (
    mark !== undefined &&
    mark.rolledBackTo === 0 &&
    currentTemplate !== undefined &&
    currentTemplate !== mark.templateFingerprint &&
    current === mark.failedRevision + 1
  );
}

/**
 * Whether to roll back, and to which revision. The rules make a rollback idempotent: a workload
 * carrying our mark whose revision is still the one the rollback left it at was already rolled back,
 * and a release whose workload has moved on since is not undone blindly (that would revert someone
 * else's newer deploy).
 */
export function decide(input: DecisionInput): Decision {
  const { current, mark, release, toRevision } = input;
  const done =
    (mark !== undefined && mark.rolledBackTo === current) ||
    undoneBeforeStop(current, mark, input.currentTemplate);
  const doneMessage = () =>
    `already rolled back: revision ${mark!.failedRevision} was marked failed at ${mark!.at || 'an earlier run'}` +
    ` (${mark!.reason || 'no reason given'}); the workload is at revision ${current}`;
  if (!release) {
    if (toRevision === 0 && done) return { action: 'already-rolled-back', message: doneMessage() };
    return { action: 'rollback', toRevision };
  }
  const { revisionBefore, revisionAfter } = release;
  if (revisionBefore === null) {
    return {
      action: 'skip',
      message: 'the release created this workload: it has no earlier revision to roll back to',
    };
  }
  if (revisionAfter !== null && revisionAfter === revisionBefore) {
    // Say how to undo it anyway: a re-run of a deploy an earlier run applied and was stopped during
    // (cancelled, timed out) reaches here, and the failed revision is then not this run's to undo.
    return {
      action: 'skip',
      message:
        `the release did not change it (revision ${revisionBefore}); if an earlier run applied that revision ` +
        'and was stopped, roll it back by naming the workload (rollback: workloads; CLI: upgrade-actions rollback TYPE/NAME)',
    };
  }
  if (revisionAfter !== null && current === revisionAfter) {
    return { action: 'rollback', toRevision: toRevision || revisionBefore };
  }
  if (done && (revisionAfter === null || mark!.failedRevision === revisionAfter)) {
    return { action: 'already-rolled-back', message: doneMessage() };
  }
  if (current === revisionBefore) {
    return {
      action: 'already-rolled-back',
      message: `already at revision ${revisionBefore}, the revision before the release`,
    };
  }
  return {
    action: 'skip',
    message:
      `it moved on to revision ${current} since the release` +
      (revisionAfter === null ? '' : ` (which made revision ${revisionAfter})`) +
      '; not undoing a newer change',
  };
}
