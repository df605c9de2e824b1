import { reportTable, type ProbeReport } from '@upgrade-actions/probe';
import { rollbackSummaryRows, type RollbackResult } from '@upgrade-actions/rollback';
import type { Logger } from '@upgrade-actions/common';
import { actionsLogger, Summary } from '@upgrade-actions/toolkit';

/** The job summary: the verdict, one row per check, and the rollback when one was made. */
export function probeSummary(report: ProbeReport, rolled?: RollbackResult): Summary {
  const t = reportTable(report);
  const s = new Summary()
    .heading(`Health probe: ${report.status}`, 2)
    .paragraph(
      `${report.mode} mode, ${report.rounds} round(s), failure threshold ${report.failureThreshold}; ` +
        `should-rollback: ${report.shouldRollback}`,
    )
    .table(t.header, t.rows);
  if (rolled) {
    s.heading('Rollback', 3).table(
      ['Workload', 'Outcome', 'From', 'To', 'Details'],
      rollbackSummaryRows(rolled),
    );
  }
  return s;
}

/**
 * The probe's log for the step: each round's failures are log lines, not annotations (a long watch
 * would bury the verdict under GitHub's ten-per-step limit). The verdict is the one annotation: the
 * step's failure, or a warning when `fail: false` keeps the step green.
 */
export function probeLogger(fail: boolean): Logger {
  return {
    ...actionsLogger,
    warning: (m) => actionsLogger.info(m),
    error: (m) => (fail ? actionsLogger.info(m) : actionsLogger.warning(m)),
  };
}
