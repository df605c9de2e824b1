import { ConfigurationError } from '@upgrade-actions/common';
import {
  checkManifest,
  conflictsOf,
  deepenSteps,
  fetchableRef,
  firstConflictMarkerLine,
  nameCommits,
  isFetchableRefName,
  parseGitVersion,
  parseMergeTreeOutput,
  reasonOfMessage,
  requireMergeTree,
  supportsMergeTree,
  validateRevision,
} from '../index';

const TREE = '31f529cee7c8fd20622503b9c6cc0e2bcc78ebf8';
const z = (...fields: string[]) => fields.join('\0') + '\0';

describe('parsing git merge-tree -z --name-only --messages output', () => {
  test('a clean merge is the tree id and an empty conflict list', () => {
    expect(parseMergeTreeOutput(z(TREE, ''))).toEqual({ tree: TREE, conflictedPaths: [], messages: [] });
  });

  test('a clean merge with an Auto-merging message keeps the message but names no conflict', () => {
    const out = parseMergeTreeOutput(z(TREE, '', '1', 'a.txt', 'Auto-merging', 'Auto-merging a.txt\n'));
    expect(out.messages).toEqual([{ paths: ['a.txt'], type: 'Auto-merging', message: 'Auto-merging a.txt' }]);
    expect(conflictsOf(out)).toEqual([]);
  });

  test('conflicted paths are read up to the empty field and messages carry several paths', () => {
    const out = parseMergeTreeOutput(
      z(
        TREE,
        'r-main.txt',
        'r-side.txt',
        'r.txt',
        '',
        '3',
        'r.txt',
        'r-main.txt',
        'r-side.txt',
        'CONFLICT (rename/rename)',
        'CONFLICT (rename/rename): r.txt renamed to r-main.txt in main and to r-side.txt in side.\n',
      ),
    );
    expect(out.conflictedPaths).toEqual(['r-main.txt', 'r-side.txt', 'r.txt']);
    expect(conflictsOf(out).map((c) => [c.path, c.reason])).toEqual([
      ['r-main.txt', 'rename/rename'],
      ['r-side.txt', 'rename/rename'],
      ['r.txt', 'rename/rename'],
    ]);
  });

  test('paths keep spaces, quotes, newlines, leading dashes and unicode byte for byte', () => {
    const names = ['-rf dir/it\'s "x".txt', 'line\nbreak.yaml', '$(touch pwned)', 'ünï/分支.md'];
    const out = parseMergeTreeOutput(Buffer.from(z(TREE, ...names, '')));
    expect(out.conflictedPaths).toEqual(names);
  });

  test('the free-text advice git appends after a submodule conflict is not a record', () => {
    const advice =
      'Recursive merging with submodules currently only supports trivial cases.\nPlease manually handle…\n';
    const out = parseMergeTreeOutput(
      z(
        TREE,
        'sub',
        '',
        '1',
        'sub',
        'CONFLICT (submodule not initialized)',
        'Failed to merge submodule sub (not checked out)\n',
        '1',
        'sub',
        'CONFLICT (contents)',
        'CONFLICT (submodule): Merge conflict in sub\n',
      ) + advice,
    );
    expect(out.messages).toHaveLength(2);
    expect(conflictsOf(out)).toEqual([
      { path: 'sub', reason: 'submodule', message: 'Failed to merge submodule sub (not checked out)' },
    ]);
  });

  test('output without a tree id is an internal error, not a silent pass', () => {
    expect(() => parseMergeTreeOutput('fatal: bad revision\n')).toThrow(/printed no tree id/);
  });

  test('a truncated message record is an internal error', () => {
    expect(() => parseMergeTreeOutput(z(TREE, 'a', '', '2', 'a'))).toThrow(/malformed message record/);
  });

  test('an ERROR message means git could not merge at all', () => {
    const out = parseMergeTreeOutput(
      z(TREE, 'a', '', '1', 'a', 'ERROR (object read failed)', 'error: cannot read object x'),
    );
    expect(() => conflictsOf(out)).toThrow(/could not merge: error: cannot read object x/);
  });
});

describe('the reason of a merge-tree message', () => {
  test.each([
    ['CONFLICT (contents)', 'CONFLICT (content): Merge conflict in a', 'content'],
    ['CONFLICT (contents)', 'CONFLICT (add/add): Merge conflict in a', 'add/add'],
    ['CONFLICT (binary)', 'warning: Cannot merge binary files: a (x vs. y)', 'binary'],
    ['CONFLICT (file/directory)', 'CONFLICT (file/directory): directory in the way of a', 'directory/file'],
    [
      'CONFLICT (distinct modes)',
      'CONFLICT (distinct types): a had different types on each side',
      'distinct types',
    ],
    [
      'CONFLICT (modify/delete)',
      'CONFLICT (modify/delete): a deleted in y and modified in x.',
      'modify/delete',
    ],
    [
      'CONFLICT (rename/rename)',
      'CONFLICT (rename/rename): a renamed to b in x and to c in y.',
      'rename/rename',
    ],
    [
      'CONFLICT (rename/delete)',
      'CONFLICT (rename/delete): a renamed to b in y, but deleted in x.',
      'rename/delete',
    ],
    ['CONFLICT (rename involved in collision)', 'CONFLICT (add/add): …', 'rename collision'],
    ['CONFLICT (directory rename suggested)', 'CONFLICT (file location): …', 'directory rename'],
    ['CONFLICT (file in way of directory rename)', '…', 'directory rename'],
    ['CONFLICT(directory rename collision)', '…', 'directory rename'],
    ['CONFLICT(directory rename unclear split)', '…', 'directory rename'],
    ['CONFLICT (submodule)', 'CONFLICT (submodule): Merge conflict in sub', 'submodule'],
    ['CONFLICT (submodule lacks merge base)', '…', 'submodule'],
    ['CONFLICT (something new)', '…', 'other'],
    ['Auto-merging', 'Auto-merging a', undefined],
    ['Path updated due to directory rename', '…', undefined],
  ])('type %j with message %j is %j', (type, message, reason) => {
    expect(reasonOfMessage(type, message)).toBe(reason);
  });

  test('a binary file reported as both binary and contents is a binary conflict', () => {
    const out = parseMergeTreeOutput(
      z(
        TREE,
        'bin.dat',
        '',
        '1',
        'bin.dat',
        'CONFLICT (binary)',
        'warning: Cannot merge binary files: bin.dat (a vs. b)\n',
        '1',
        'bin.dat',
        'Auto-merging',
        'Auto-merging bin.dat\n',
        '1',
        'bin.dat',
        'CONFLICT (contents)',
        'CONFLICT (content): Merge conflict in bin.dat\n',
      ),
    );
    expect(conflictsOf(out)).toEqual([
      { path: 'bin.dat', reason: 'binary', message: 'warning: Cannot merge binary files: bin.dat (a vs. b)' },
    ]);
  });

  test('a file moved out of a directory’s way is a directory/file conflict, not a modify/delete', () => {
    const out = parseMergeTreeOutput(
      z(
        TREE,
        'cfg~main',
        '',
        '2',
        'cfg~main',
        'cfg',
        'CONFLICT (file/directory)',
        'CONFLICT (file/directory): directory in the way of cfg from main; moving it to cfg~main instead.\n',
        '1',
        'cfg~main',
        'CONFLICT (modify/delete)',
        'CONFLICT (modify/delete): cfg~main deleted in side and modified in main.\n',
      ),
    );
    expect(conflictsOf(out).map((c) => [c.path, c.reason])).toEqual([['cfg~main', 'directory/file']]);
  });
});

describe('the first conflict marker line', () => {
  test.each([
    ['a marker on line 3', 'a\nb\n<<<<<<< base\nx\n=======\ny\n>>>>>>> head\n', 3],
    ['a marker on the first line', '<<<<<<< 1234567\nx\n=======\ny\n>>>>>>> 89abcde\n', 1],
    ['a bare marker without a label', 'a\n<<<<<<<\n', 2],
    ['CRLF line endings', 'a\r\nb\r\n<<<<<<< base\r\n', 3],
    ['no markers', 'a\nb\n', undefined],
    ['eight angle brackets are text', 'a\n<<<<<<<< not a marker\n', undefined],
    ['a marker not at the start of a line is text', 'x <<<<<<< y\n', undefined],
    ['an empty blob', '', undefined],
  ])('%s → %s', (_name, text, line) => {
    expect(firstConflictMarkerLine(text)).toBe(line);
    expect(firstConflictMarkerLine(Buffer.from(text))).toBe(line);
  });
});

describe('the git version check', () => {
  test.each([
    ['git version 2.39.5', { major: 2, minor: 39, patch: 5, text: '2.39.5' }, true],
    ['git version 2.38.0', { major: 2, minor: 38, patch: 0, text: '2.38.0' }, true],
    ['git version 2.37.7', { major: 2, minor: 37, patch: 7, text: '2.37.7' }, false],
    ['git version 2.45.1.windows.1', { major: 2, minor: 45, patch: 1, text: '2.45.1.windows.1' }, true],
    ['git version 2.39.3 (Apple Git-146)', { major: 2, minor: 39, patch: 3, text: '2.39.3' }, true],
    ['git version 3.0', { major: 3, minor: 0, patch: 0, text: '3.0' }, true],
    ['git version 1.8.3.1\n', { major: 1, minor: 8, patch: 3, text: '1.8.3.1' }, false],
  ])('%j parses and supports merge-tree: %j', (out, version, ok) => {
    const v = parseGitVersion(out);
    expect(v).toEqual(version);
    expect(supportsMergeTree(v)).toBe(ok);
  });

  test('an old git is a configuration error naming the version found and the one needed', () => {
    const v = parseGitVersion('git version 2.34.1');
    expect(() => requireMergeTree(v)).toThrow(ConfigurationError);
    expect(() => requireMergeTree(v)).toThrow(/^git 2\.34\.1 found; merge-check needs git >= 2\.38/);
  });

  test('output that is not a version is an internal error', () => {
    expect(() => parseGitVersion('command not found')).toThrow(/cannot read the git version/);
  });
});

describe('revisions the user gives', () => {
  test.each([
    'main',
    'origin/main',
    'feature/$(touch pwned)',
    'it\'s-"quoted"',
    'ünï/分支',
    'HEAD~3',
    'a'.repeat(40),
  ])('%j is accepted as given', (rev) => {
    expect(validateRevision(` ${rev} `, 'base')).toBe(rev);
  });

  test.each([
    ['-rf', /^base: "-rf" starts with "-" and would be read as an option/],
    ['--upload-pack=touch x', /starts with "-"/],
    ['', /^base: empty/],
    ['main\nrm', /control characters/],
  ])('%j is rejected with a configuration error', (rev, message) => {
    expect(() => validateRevision(rev, 'base')).toThrow(ConfigurationError);
    expect(() => validateRevision(rev, 'base')).toThrow(message);
  });

  test.each([
    ['main', true],
    ['feature/x', true],
    ['feature/$(id)`id`', true],
    ['ünï/分支', true],
    ['a'.repeat(40), true],
    ['main:refs/heads/evil', false],
    ['+main', false],
    ['-main', false],
    ['a..b', false],
    ['HEAD~1', false],
    ['x@{1}', false],
    ['has space', false],
    ['.hidden/x', false],
    ['x.lock', false],
    ['dir/', false],
  ])('%j can be fetched as a ref: %j', (name, ok) => {
    expect(isFetchableRefName(name)).toBe(ok);
  });

  test.each([
    ['origin/main', 'main'],
    ['refs/remotes/origin/release/1.2', 'release/1.2'],
    ['main', 'main'],
    ['upstream/main', 'upstream/main'],
    ['HEAD~2', undefined],
  ])('%j is fetched from origin as %j', (rev, ref) => {
    expect(fetchableRef(rev, 'origin')).toBe(ref);
  });
});

describe('deepening a shallow clone', () => {
  test.each([
    [50, 3200, [50, 100, 200, 400, 800, 1600]],
    [1, 10, [1, 2, 4]],
    [100, 50, []],
  ])('from depth %d with at most %d commits deepens by %j', (depth, max, steps) => {
    expect(deepenSteps(depth, max)).toEqual(steps);
  });
});

describe('manifests after a clean merge', () => {
  test.each([
    ['a valid YAML file', 'deploy.yaml', 'a: 1\nb:\n  c: 2\n', []],
    ['several valid documents', 'all.yml', 'a: 1\n---\nb: 2\n', []],
    ['a valid JSON file', 'x.json', '{"a": 1, "b": [1, 2]}', []],
    ['a Helm template is not parsed', 'templates/d.yaml', 'a: {{ .Values.a }}\na: 2\n', []],
    [
      'a duplicate key',
      'deploy.yaml',
      'spec:\n  replicas: 3\n  paused: false\n  replicas: 5\n',
      [{ reason: 'duplicate key', line: 4 }],
    ],
    [
      'a duplicate key in the second document',
      'all.yaml',
      'a: 1\n---\nb: 1\nb: 2\n',
      [{ reason: 'duplicate key', line: 4 }],
    ],
    ['a broken flow sequence', 'x.yaml', 'a: 1\nb: [1, 2\nc: 3\n', [{ reason: 'invalid yaml' }]],
    [
      'an alias whose anchor is gone',
      'x.yaml',
      'defaults: {a: 1}\nx: 1\nother: *defaults\n',
      [{ reason: 'invalid yaml', line: 3 }],
    ],
    ['a trailing comma in JSON', 'x.json', '{\n  "a": 1,\n}\n', [{ reason: 'invalid json', line: 3 }]],
    [
      'a duplicate key in JSON',
      'x.json',
      '{\n  "a": 1,\n  "a": 2\n}\n',
      [{ reason: 'duplicate key', line: 3 }],
    ],
  ])('%s', (_name, path, text, expected) => {
    const problems = checkManifest(path, text);
    const got = problems.map((p, i) =>
      'line' in (expected[i] ?? {}) ? { reason: p.reason, line: p.line } : { reason: p.reason },
    );
    expect(got).toEqual(expected);
    for (const p of problems) {
      expect(p.path).toBe(path);
      expect(p.message).not.toContain('\n');
    }
  });
});

describe('naming commits in git messages', () => {
  const A = 'a'.repeat(40);
  const B = 'b'.repeat(40);
  test.each([
    [`x deleted in ${B} and modified in ${A}.`, 'x deleted in feature and modified in main.'],
    [`moving it to cfg~${A} instead.`, `moving it to cfg~${A} instead.`],
    ['Merge conflict in a.txt', 'Merge conflict in a.txt'],
    [`${A}${A}`, `${A}${A}`],
  ])('%j reads %j', (message, want) => {
    expect(nameCommits(message, [A, 'main'], [B, 'feature'])).toBe(want);
  });

  test('a name that is the SHA itself is left alone', () => {
    expect(nameCommits(`in ${A}`, [A, A])).toBe(`in ${A}`);
  });
});
