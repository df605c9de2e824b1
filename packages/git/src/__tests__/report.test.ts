import { commentMarkdown, headline, textReport, visible, type MergeCheckResult } from '../index';

const A = 'a'.repeat(40);
const B = 'b'.repeat(40);
const result = (files: MergeCheckResult['files']): MergeCheckResult => ({
  base: A,
  head: B,
  baseRef: 'main',
  headRef: 'feature',
  mergeBase: 'c'.repeat(40),
  conflicted: files.length > 0,
  tree: 'd'.repeat(40),
  files,
  manifestsChecked: [],
  fetches: [],
});

describe('reports of a merge check', () => {
  test.each([
    [[], 'Merging feature (bbbbbbb) into main (aaaaaaa) is clean.'],
    [
      [{ path: 'a', reason: 'content', message: '' }],
      'Merging feature (bbbbbbb) into main (aaaaaaa) conflicts in 1 file.',
    ],
    [
      [
        { path: 'a', reason: 'content', message: '' },
        { path: 'b.yaml', reason: 'duplicate key', message: '' },
      ],
      'Merging feature (bbbbbbb) into main (aaaaaaa) conflicts in 1 file.',
    ],
    [
      [
        { path: 'a.yaml', reason: 'duplicate key', message: '' },
        { path: 'b.json', reason: 'invalid json', message: '' },
      ],
      'Merging feature (bbbbbbb) into main (aaaaaaa) is textually clean but breaks 2 manifests.',
    ],
  ] as const)('files %j make the headline %j', (files, want) => {
    expect(headline(result([...files]))).toBe(want);
  });

  test.each([
    ['plain.txt', 'plain.txt'],
    ['new\nline', 'new\\nline'],
    ['tab\there', 'tab\\there'],
    ['bell\x07', 'bell\\x07'],
    ['ünï 分支', 'ünï 分支'],
  ])('%j is shown as %j', (name, shown) => {
    expect(visible(name)).toBe(shown);
  });

  test('the comment carries the marker, escapes the title and keeps file names inert in code spans', () => {
    const md = commentMarkdown(
      result([
        { path: 'a|b`c.txt', reason: 'content', line: 3, message: '' },
        { path: 'x\ny', reason: 'modify/delete', message: '' },
      ]),
      'Bump <b>app</b> *now* $(id)',
    );
    expect(md.split('\n')[0]).toBe('<!-- upgrade-actions:merge-check -->');
    expect(md).toContain('### ❌ merge-check: Bump \\<b\\>app\\</b\\> \\*now\\* $\\(id\\)');
    expect(md).toContain('| `` a\\|b`c.txt `` | content | 3 |');
    expect(md).toContain('| `x\\ny` | modify/delete |  |');
    expect(md).toContain(`merge base \`${'c'.repeat(40)}\``);
  });

  test('the text report lines up file, reason and line and says what the merged tree holds', () => {
    const text = textReport(
      result([
        { path: 'deploy/app.yaml', reason: 'content', line: 6, message: '' },
        { path: 'x', reason: 'modify/delete', message: '' },
      ]),
    );
    expect(text).toContain(
      '  FILE             REASON         LINE\n  deploy/app.yaml  content        6\n  x                modify/delete\n',
    );
    expect(text).toContain(`merged tree  ${'d'.repeat(40)} (with conflict markers)`);
  });
});
