/** One test case as JUnit reporters read it. */
export interface JUnitCase {
  name: string;
  classname: string;
  /** Seconds. */
  time: number;
  failure?: { message: string; details: string };
  skipped?: string;
}

// XML 1.0 cannot carry most control characters even escaped: drop them.
// eslint-disable-next-line no-control-regex
const INVALID_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

export function escapeXml(text: string): string {
  return text
    .replace(INVALID_XML, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/**
 * A JUnit XML document in the shape test reporters (dorny/test-reporter, mikepenz/action-junit-report,
 * Jenkins, GitLab) read: <testsuites> with one <testsuite> holding a <testcase> per test, failures as
 * <failure message="...">details</failure>.
 */
export function junitXml(suite: { name: string; timestamp: string; cases: JUnitCase[] }): string {
  const failures = suite.cases.filter((c) => c.failure).length;
  const skipped = suite.cases.filter((c) => c.skipped !== undefined).length;
  const time = suite.cases.reduce((t, c) => t + c.time, 0).toFixed(3);
  const attrs = `name="${escapeXml(suite.name)}" tests="${suite.cases.length}" failures="${failures}" errors="0"`;
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites ${attrs} time="${time}">`,
    `  <testsuite ${attrs} skipped="${skipped}" time="${time}" timestamp="${escapeXml(suite.timestamp)}">`,
  ];
  for (const c of suite.cases) {
    const open = `    <testcase name="${escapeXml(c.name)}" classname="${escapeXml(c.classname)}" time="${c.time.toFixed(3)}"`;
    if (c.failure) {
      lines.push(`${open}>`);
      lines.push(
        `      <failure message="${escapeXml(c.failure.message)}" type="AssertionError">${escapeXml(c.failure.details)}</failure>`,
      );
      lines.push('    </testcase>');
    } else if (c.skipped !== undefined) {
      lines.push(`${open}>`, `      <skipped message="${escapeXml(c.skipped)}"/>`, '    </testcase>');
    } else {
      lines.push(`${open}/>`);
    }
  }
  lines.push('  </testsuite>', '</testsuites>', '');
  return lines.join('\n');
}
