import { reportTable, type ProbeReport } from '@upgrade-actions/probe';
import { rollbackSummaryRows, type RollbackResult } from '@upgrade-actions/rollback';
import { Summary } from '@upgrade-actions/toolkit';

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
