import { reportTable, type SmokeReport } from '@upgrade-actions/smoke';
import { Summary } from '@upgrade-actions/toolkit';

/** The job summary: counts, then one row per step, and one per failed assertion with expected and actual. */
export function smokeSummary(report: SmokeReport): Summary {
  const t = reportTable(report);
  return new Summary()
    .heading(`Smoke tests: ${report.failed ? 'failed' : 'passed'}`, 2)
    .paragraph(`${report.passed} passed, ${report.failed} failed, ${report.total} in all`)
    .table(t.header, t.rows);
}
