import { junitXml } from './junit';
import { describe, type SmokeReport } from './runner';

/** The JUnit document for a report: every step a test case, classname by phase. */
export function reportJUnit(report: SmokeReport, suiteName = 'smoke-test'): string {
  return junitXml({
    name: suiteName,
    timestamp: report.timestamp,
    cases: report.steps.map((s) => ({
      name: s.name,
      classname: `${suiteName}.${s.phase}`,
      time: s.durationMs / 1000,
      ...(s.status === 'failed'
        ? {
            failure: {
              message: describe(s),
              details: [
                `${s.request} (${s.attempts} attempt(s))`,
                ...s.failures.map(
                  (f) => `${f.assertion}\n  expected: ${f.expected}\n  actual:   ${f.actual}`,
                ),
                ...(s.error ? [s.error] : []),
              ].join('\n'),
            },
          }
        : {}),
      ...(s.status === 'skipped' ? { skipped: s.error ?? 'skipped' } : {}),
    })),
  });
}

/** Header and rows for the job summary: each failure's expected and actual on its own row. */
export function reportTable(report: SmokeReport): { header: string[]; rows: string[][] } {
  const rows: string[][] = [];
  for (const s of report.steps) {
    const latency = s.latency === null ? '' : `${s.latency.toFixed(2)} ms`;
    const head = [s.phase, s.name, s.status, String(s.attempts), latency];
    if (s.status === 'passed') rows.push([...head, '', '', '']);
    else if (s.failures.length)
      for (const f of s.failures) rows.push([...head, f.assertion, f.expected, f.actual]);
    else rows.push([...head, s.status === 'skipped' ? 'skipped' : 'request', '', s.error ?? '']);
  }
  return {
    header: ['Phase', 'Step', 'Result', 'Attempts', 'Latency', 'Assertion', 'Expected', 'Actual'],
    rows,
  };
}
