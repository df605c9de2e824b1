import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Summary, htmlTable } from '../summary';

test('htmlTable closes every cell, empty ones too, and escapes every text', () => {
  expect(
    htmlTable(
      ['check', 'latency', 'failures'],
      [
        ['healthy', '', '0/3'],
        ['<b>x</b> & "y"', '12.5 ms', '1/3'],
      ],
    ),
  ).toBe(
    '<table><tr><th>check</th><th>latency</th><th>failures</th></tr>' +
      '<tr><td>healthy</td><td></td><td>0/3</td></tr>' +
      '<tr><td>&lt;b&gt;x&lt;/b&gt; &amp; &quot;y&quot;</td><td>12.5 ms</td><td>1/3</td></tr></table>',
  );
});

test('Summary.table writes that markup to the job summary: every <td> has its </td>', async () => {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'summary-')), 'summary.md');
  writeFileSync(file, '');
  const before = process.env.GITHUB_STEP_SUMMARY;
  process.env.GITHUB_STEP_SUMMARY = file;
  try {
    await new Summary()
      .heading('Health')
      .table(['Check', 'Latency'], [['pods', '']])
      .write();
  } finally {
    if (before === undefined) delete process.env.GITHUB_STEP_SUMMARY;
    else process.env.GITHUB_STEP_SUMMARY = before;
  }
  const html = readFileSync(file, 'utf8');
  expect(html).toContain('<tr><td>pods</td><td></td></tr>');
  expect(html.match(/<td>/g)?.length).toBe(html.match(/<\/td>/g)?.length);
});
