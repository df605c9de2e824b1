import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { ConfigurationError, memoryLogger } from '@upgrade-actions/common';
import { checkMerge, type MergeCheckResult } from '@upgrade-actions/git';
import { originWithWork, shallowClone, tempDir, TestRepo } from './fixtures/git-repos';
import { buildScenario, scenarios } from './fixtures/git-scenarios';

// The merge-check engine against real repositories in temp folders: every conflict reason git
// reports, clean merges, manifests, hostile names, shallow clones and histories hundreds of commits deep.

let tmp: ReturnType<typeof tempDir>;
beforeAll(() => (tmp = tempDir()));
afterAll(() => tmp.cleanup());
let n = 0;
const fresh = () => path.join(tmp.dir, `r${++n}`);

function untouched(repo: TestRepo, head: string): void {
  expect(repo.git('status', '--porcelain', '--untracked-files=all')).toBe('');
  expect(repo.sha('HEAD')).toBe(head);
  expect(existsSync(path.join(repo.dir, '.git', 'MERGE_HEAD'))).toBe(false);
}

function summary(r: MergeCheckResult) {
  return r.files.map((f) => ({
    path: f.path,
    reason: f.reason,
    ...(f.line === undefined ? {} : { line: f.line }),
  }));
}

describe('conflicts, one per reason git reports', () => {
  test.each(Object.entries(scenarios))(
    'a %s conflict is reported with its reason and line',
    async (_name, s) => {
      const repo = buildScenario(fresh(), s);
      const head = repo.sha('HEAD');
      const r = await checkMerge({ cwd: repo.dir, base: 'main', head: 'feature' });
      expect(r.conflicted).toBe(true);
      expect(summary(r)).toEqual(
        s.expected.map((e) => ({
          path: typeof e.path === 'string' ? e.path : expect.stringMatching(e.path),
          reason: e.reason,
          ...(e.line === undefined ? {} : { line: e.line }),
        })),
      );
      expect(r.mergeBase).toBe(repo.sha('main~1'));
      expect(r.base).toBe(repo.sha('main'));
      expect(r.head).toBe(repo.sha('feature'));
      untouched(repo, head);
    },
  );
});

describe('clean merges', () => {
  test('a clean merge gives the same tree as git merge in a work tree, and touches nothing', async () => {
    const repo = buildScenario(fresh(), {
      initial: { 'a.txt': 'a\n', 'deploy.yaml': 'image: app:1.0\nreplicas: 2\n' },
      base: { 'a.txt': 'a\nbase\n' },
      head: { 'deploy.yaml': 'image: app:1.1\nreplicas: 2\n', 'new/file.txt': 'new\n' },
      expected: [],
    });
    const head = repo.sha('HEAD');
    const r = await checkMerge({ cwd: repo.dir, base: 'main', head: 'feature' });
    expect(r).toMatchObject({ conflicted: false, files: [], fetches: [] });
    untouched(repo, head);

    repo.git('merge', '--quiet', '--no-ff', '--no-commit', 'feature');
    expect(repo.git('write-tree')).toBe(r.tree);
  });

  test('SHAs, tags and revision expressions work as base and head', async () => {
    const repo = buildScenario(fresh(), {
      initial: { 'a.txt': 'a\n' },
      base: { 'b.txt': 'b\n' },
      head: { 'c.txt': 'c\n' },
      expected: [],
    });
    repo.git('tag', 'v1', 'main');
    const r = await checkMerge({ cwd: repo.dir, base: 'v1', head: repo.sha('feature') });
    const r2 = await checkMerge({ cwd: repo.dir, base: 'main~0', head: 'feature^{commit}' });
    expect(r.tree).toBe(r2.tree);
    expect(r.conflicted).toBe(false);
  });

  test('a subfolder of the repository works as the working directory', async () => {
    const repo = buildScenario(fresh(), scenarios.content);
    const r = await checkMerge({ cwd: path.join(repo.dir, 'app'), base: 'main', head: 'feature' });
    expect(summary(r)).toEqual([{ path: 'app/config.txt', reason: 'content', line: 3 }]);
  });
});

describe('manifests broken by a clean merge', () => {
  const deployment = (extra: { top?: string; bottom?: string }) =>
    [
      'apiVersion: apps/v1',
      'kind: Deployment',
      'spec:',
      ...(extra.top ? [extra.top] : []),
      '  selector: {matchLabels: {app: web}}',
      '  strategy: {type: RollingUpdate}',
      '  minReadySeconds: 30',
      ...(extra.bottom ? [extra.bottom] : []),
      '  template: {}',
      '',
    ].join('\n');

  test('both sides adding the same key to one mapping is a duplicate key at the second one', async () => {
    const repo = buildScenario(fresh(), {
      initial: { 'k8s/deploy.yaml': deployment({}) },
      base: { 'k8s/deploy.yaml': deployment({ top: '  replicas: 3' }) },
      head: { 'k8s/deploy.yaml': deployment({ bottom: '  replicas: 5' }) },
      expected: [],
    });
    const r = await checkMerge({ cwd: repo.dir, base: 'main', head: 'feature' });
    expect(r.conflicted).toBe(true);
    expect(summary(r)).toEqual([{ path: 'k8s/deploy.yaml', reason: 'duplicate key', line: 8 }]);
    expect(r.files[0].message).toMatch(/^duplicate key after merge: Map keys must be unique/);
    expect(r.manifestsChecked).toEqual(['k8s/deploy.yaml']);
  });

  test('an alias whose anchor the other side removed makes the merged YAML invalid', async () => {
    const repo = buildScenario(fresh(), {
      initial: { 'values.yaml': 'defaults: &defaults {cpu: 1}\nweb: *defaults\na: 1\nb: 2\nc: 3\n' },
      base: { 'values.yaml': 'defaults: {cpu: 1}\nweb: {cpu: 1}\na: 1\nb: 2\nc: 3\n' },
      head: {
        'values.yaml': 'defaults: &defaults {cpu: 1}\nweb: *defaults\na: 1\nb: 2\nc: 3\nworker: *defaults\n',
      },
      expected: [],
    });
    const r = await checkMerge({ cwd: repo.dir, base: 'main', head: 'feature' });
    expect(summary(r)).toEqual([{ path: 'values.yaml', reason: 'invalid yaml', line: 6 }]);
  });

  test('duplicate keys in JSON are found, and the check can be turned off', async () => {
    const obj = (extra: { a?: boolean; b?: boolean }) =>
      [
        '{',
        '  "name": "app",',
        ...(extra.a ? ['  "port": 80,'] : []),
        '  "x": 1,',
        '  "y": 2,',
        '  "z": 3,',
        ...(extra.b ? ['  "port": 8080,'] : []),
        '  "last": true',
        '}',
        '',
      ].join('\n');
    const repo = buildScenario(fresh(), {
      initial: { 'config.json': obj({}) },
      base: { 'config.json': obj({ a: true }) },
      head: { 'config.json': obj({ b: true }) },
      expected: [],
    });
    const r = await checkMerge({ cwd: repo.dir, base: 'main', head: 'feature' });
    expect(summary(r)).toEqual([{ path: 'config.json', reason: 'duplicate key', line: 7 }]);
    const off = await checkMerge({ cwd: repo.dir, base: 'main', head: 'feature', checkManifests: false });
    expect(off).toMatchObject({ conflicted: false, files: [], manifestsChecked: [] });
  });

  test('every manifest the head changes is parsed; one only base changed is base’s own state', async () => {
    const repo = buildScenario(fresh(), {
      initial: { 'a.yaml': 'a: 1\n', 'b.yaml': 'b: 1\n' },
      base: { 'a.yaml': 'a: 1\na: 2\n' },
      head: { 'b.yaml': 'b: 2\n', 'c.json': '{"c": 1}\n' },
      expected: [],
    });
    const r = await checkMerge({ cwd: repo.dir, base: 'main', head: 'feature' });
    expect(r).toMatchObject({ conflicted: false, files: [] });
    expect(r.manifestsChecked.sort()).toEqual(['b.yaml', 'c.json']);
  });

  test('a pull request that breaks a JSON or YAML file on its own is not clean', async () => {
    const repo = buildScenario(fresh(), {
      initial: {
        'package.json': '{\n  "name": "app",\n  "version": "1.0.0"\n}\n',
        'k8s/web.yaml': 'kind: Service\nspec:\n  ports: [{port: 80}]\n',
        'gone.yaml': 'x: 1\n',
      },
      base: { 'README.md': 'moved on\n' },
      head: {
        // A trailing comma: invalid JSON that no other change touches.
        'package.json': '{\n  "name": "app",\n  "version": "1.1.0",\n}\n',
        'k8s/web.yaml': 'kind: Service\nspec:\n  ports: [{port: 80}\n',
        'gone.yaml': null,
      },
      expected: [],
    });
    const r = await checkMerge({ cwd: repo.dir, base: 'main', head: 'feature' });
    expect(r.conflicted).toBe(true);
    expect(summary(r).sort((a, b) => a.path.localeCompare(b.path))).toEqual([
      { path: 'k8s/web.yaml', reason: 'invalid yaml', line: 4 },
      { path: 'package.json', reason: 'invalid json', line: 4 },
    ]);
    expect(r.manifestsChecked.sort()).toEqual(['k8s/web.yaml', 'package.json']);
  });
});

describe('hostile names are data', () => {
  const names = [
    'with space.txt',
    'it\'s "quoted".txt',
    'new\nline.txt',
    '-rf',
    '--upload-pack=touch pwned',
    '$(touch pwned).txt',
    '`touch pwned`.txt',
    'ünïcødé/分支.txt',
    ':(glob)*.txt',
  ];

  test('conflicting files with spaces, quotes, newlines, leading dashes, $(…) and unicode are reported exactly', async () => {
    const files = (side: string) => Object.fromEntries(names.map((f) => [f, `a\n${side}\nc\n`]));
    const repo = buildScenario(fresh(), {
      initial: files('common'),
      base: files('base'),
      head: files('head'),
      expected: [],
    });
    const r = await checkMerge({ cwd: repo.dir, base: 'main', head: 'feature' });
    expect(summary(r)).toEqual(
      [...names]
        .sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)))
        .map((p) => ({ path: p, reason: 'content', line: 2 })),
    );
    expect(readdirSync(repo.dir).filter((f) => f.includes('pwned') && !names.includes(f))).toEqual([]);
    expect(existsSync(path.join(repo.dir, 'pwned'))).toBe(false);
  });

  test.each(['feature/$(touch${IFS}pwned)', 'it\'s-"quoted"', 'ünï/分支', 'x;touch${IFS}pwned'])(
    'a branch named %j is a branch, not a command',
    async (branch) => {
      const repo = buildScenario(fresh(), scenarios.content);
      repo.git('branch', '-m', 'feature', branch);
      const r = await checkMerge({ cwd: repo.dir, base: 'main', head: branch });
      expect(r.headRef).toBe(branch);
      expect(summary(r)).toEqual([{ path: 'app/config.txt', reason: 'content', line: 3 }]);
      expect(existsSync(path.join(repo.dir, 'pwned'))).toBe(false);
    },
  );

  test.each([
    ['base', { base: '--output=/tmp/x', head: 'feature' }, /^base: "--output=\/tmp\/x" starts with "-"/],
    ['head', { base: 'main', head: '-h' }, /^head: "-h" starts with "-"/],
  ])('a %s starting with a dash is refused before git runs', async (_side, revs, message) => {
    const logger = memoryLogger();
    const p = checkMerge({ cwd: '/nonexistent', ...revs, logger });
    await expect(p).rejects.toThrow(ConfigurationError);
    await expect(p).rejects.toThrow(message);
    expect(logger.lines).toEqual([]);
  });
});

describe('missing commits and histories', () => {
  test('a ref that exists nowhere is a clear configuration error naming it', async () => {
    const { work } = originWithWork(fresh());
    work.commit('initial', { 'a.txt': 'a\n' });
    work.git('push', '--quiet', 'origin', 'main');
    const p = checkMerge({ cwd: work.dir, base: 'main', head: 'no-such-branch' });
    await expect(p).rejects.toThrow(ConfigurationError);
    await expect(p).rejects.toThrow(
      /^head: "no-such-branch" is not in this repository and fetching it from origin failed: .*couldn't find remote ref no-such-branch/,
    );
  });

  test('a revision expression that does not resolve cannot be fetched and says so', async () => {
    const repo = buildScenario(fresh(), scenarios.content);
    await expect(checkMerge({ cwd: repo.dir, base: 'main~5', head: 'feature' })).rejects.toThrow(
      /^base: "main~5" is not a commit in this repository and cannot be fetched$/,
    );
  });

  test('a folder that is not a repository is a configuration error', async () => {
    await expect(checkMerge({ cwd: '/', base: 'main', head: 'feature' })).rejects.toThrow(
      /^working-directory: \/ is not inside a git repository$/,
    );
  });

  test('unrelated histories are a clear error', async () => {
    const repo = buildScenario(fresh(), scenarios.content);
    repo.git('checkout', '--quiet', '--orphan', 'orphan');
    repo.commit('orphan', { 'o.txt': 'o\n' });
    await expect(checkMerge({ cwd: repo.dir, base: 'main', head: 'orphan' })).rejects.toThrow(
      /^base main \([0-9a-f]{12}\) and head orphan \([0-9a-f]{12}\) have no common history/,
    );
  });

  test('a branch only on the remote is fetched into a full clone without making it shallow', async () => {
    const { work } = originWithWork(fresh());
    work.commit('initial', { 'a.txt': 'a\nb\nc\n' });
    work.checkout('release', { create: true });
    work.commit('release', { 'a.txt': 'a\nRELEASE\nc\n' });
    work.git('push', '--quiet', 'origin', 'main', 'release');
    work.checkout('main');
    work.git('branch', '-D', 'release');
    work.git('update-ref', '-d', 'refs/remotes/origin/release');
    work.commit('main', { 'a.txt': 'a\nMAIN\nc\n' });
    const logger = memoryLogger();
    const r = await checkMerge({ cwd: work.dir, base: 'main', head: 'origin/release', logger });
    expect(r.fetches).toEqual(['Fetching head origin/release from origin']);
    expect(summary(r)).toEqual([{ path: 'a.txt', reason: 'content', line: 2 }]);
    expect(work.git('rev-parse', '--is-shallow-repository')).toBe('false');
  });
});

describe('shallow clones, as actions/checkout leaves them', () => {
  function pr(root: string, opts: { sharedCommits: number; baseAhead: number; headAhead: number }) {
    const { origin, work } = originWithWork(root);
    work.commit('initial', { 'app/config.txt': 'a\nb\nc\nd\n' });
    if (opts.sharedCommits) work.appendCommits('main', opts.sharedCommits, 'shared.log');
    const fork = work.sha('main');
    work.checkout('feature', { create: true });
    work.commit('head change', { 'app/config.txt': 'a\nb\nHEAD\nd\n' });
    if (opts.headAhead) work.appendCommits('feature', opts.headAhead, 'head.log');
    work.checkout('main');
    work.commit('base change', { 'app/config.txt': 'a\nb\nBASE\nd\n' });
    if (opts.baseAhead) work.appendCommits('main', opts.baseAhead, 'base.log');
    work.git('push', '--quiet', 'origin', 'main', 'feature');
    return { origin, work, fork, base: work.sha('main'), head: work.sha('feature') };
  }

  test('a depth-1 checkout fetches both sides by SHA and finds the merge base, logging what it fetched', async () => {
    const root = fresh();
    const { origin, fork, base, head } = pr(root, { sharedCommits: 3, baseAhead: 0, headAhead: 0 });
    const clone = shallowClone(origin, path.join(root, 'clone'), 'main', 1);
    const checkedOut = clone.sha('HEAD');
    const logger = memoryLogger();
    const r = await checkMerge({ cwd: clone.dir, base, head, logger });
    // the checked-out base has one commit of history: one deepening reaches the fork point
    expect(r.fetches).toEqual([
      `Fetching head ${head} from origin (depth 50)`,
      `No merge base of ${base.slice(0, 12)} and ${head.slice(0, 12)} in the shallow history; deepening by 50 commits`,
    ]);
    expect(r.mergeBase).toBe(fork);
    expect(summary(r)).toEqual([{ path: 'app/config.txt', reason: 'content', line: 3 }]);
    expect(logger.lines).toContain(`Merge base: ${fork}`);
    untouched(clone, checkedOut);
  });

  test('a merge base several hundred commits back is reached by deepening step by step', async () => {
    const root = fresh();
    const { origin, fork, base, head } = pr(root, { sharedCommits: 5, baseAhead: 400, headAhead: 150 });
    const clone = shallowClone(origin, path.join(root, 'clone'), 'main', 1);
    const r = await checkMerge({ cwd: clone.dir, base: 'main', head, fetch: { depth: 50 } });
    expect(r.mergeBase).toBe(fork);
    expect(r.base).toBe(base);
    // base is 401 commits past the fork: 50 (first fetch) + 50 + 100 + 200 + 400 reach it
    const deepen = (d: number) =>
      `No merge base of ${base.slice(0, 12)} and ${head.slice(0, 12)} in the shallow history; deepening by ${d} commits`;
    expect(r.fetches).toEqual([
      'Fetching base main from origin (depth 50)',
      `Fetching head ${head} from origin (depth 50)`,
      deepen(50),
      deepen(100),
      deepen(200),
      deepen(400),
    ]);
    expect(summary(r)).toEqual([{ path: 'app/config.txt', reason: 'content', line: 3 }]);
  });

  test('when deepening is exhausted the full history is fetched', async () => {
    const root = fresh();
    const { origin, fork, head } = pr(root, { sharedCommits: 2, baseAhead: 60, headAhead: 0 });
    const clone = shallowClone(origin, path.join(root, 'clone'), 'main', 1);
    const r = await checkMerge({ cwd: clone.dir, base: 'HEAD', head, fetch: { depth: 2, maxDeepen: 10 } });
    expect(r.mergeBase).toBe(fork);
    expect(r.fetches.at(-1)).toMatch(/^Still no merge base; fetching the full history of/);
    expect(clone.git('rev-parse', '--is-shallow-repository')).toBe('false');
  });

  test('a branch name missing from a shallow clone is fetched from the remote by name', async () => {
    const root = fresh();
    const { origin, fork } = pr(root, { sharedCommits: 0, baseAhead: 0, headAhead: 0 });
    const clone = shallowClone(origin, path.join(root, 'clone'), 'main', 1);
    clone.git('update-ref', '-d', 'refs/remotes/origin/main');
    const r = await checkMerge({ cwd: clone.dir, base: 'origin/main', head: 'feature' });
    expect(r.fetches[0]).toBe('Fetching base origin/main from origin (depth 50)');
    expect(r.fetches[1]).toBe('Fetching head feature from origin (depth 50)');
    expect(r.mergeBase).toBe(fork);
  });
});
