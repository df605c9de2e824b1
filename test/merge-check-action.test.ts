import { chmodSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { FakeGitHub } from './fixtures/github-api';
import { originWithWork, shallowClone, tempDir } from './fixtures/git-repos';
import { buildScenario, scenarios } from './fixtures/git-scenarios';
import { runAction, type ActionRun } from './harness/run-action';

// The merge-check action from its dist/ bundle, run the way the GitHub runner runs it.

let tmp: ReturnType<typeof tempDir>;
beforeAll(() => (tmp = tempDir('merge-check-action-')));
afterAll(() => tmp.cleanup());
let n = 0;
const fresh = () => path.join(tmp.dir, `r${++n}`);

const errors = (r: ActionRun) =>
  r.annotations.filter((a) => a.level === 'error' && a.properties.file !== undefined);

describe('conflicts from the dist bundle', () => {
  test('a conflicted merge fails with one annotation per file, outputs and a summary table', async () => {
    const repo = buildScenario(fresh(), scenarios.content);
    const r = await runAction('merge-check', {
      workspace: repo.dir,
      inputs: { base: 'main', head: 'feature' },
    });
    expect(r.code).toBe(1);
    expect(errors(r)).toEqual([
      {
        level: 'error',
        message: 'Merge conflict detected (content): CONFLICT (content): Merge conflict in app/config.txt',
        properties: { title: 'Merge conflict', file: 'app/config.txt', line: '3' },
      },
    ]);
    expect(r.failedMessage).toMatch(
      /^Merging feature \([0-9a-f]{7}\) into main \([0-9a-f]{7}\) conflicts in 1 file\.$/,
    );
    expect(r.stdout).not.toContain('    at '); // a conflict is not a bug: no stack trace
    expect(r.outputs.conflicted).toBe('true');
    expect(JSON.parse(r.outputs.files)).toEqual([
      {
        path: 'app/config.txt',
        reason: 'content',
        line: 3,
        message: 'CONFLICT (content): Merge conflict in app/config.txt',
      },
    ]);
    expect(r.outputs['merge-tree']).toBe('');
    expect(r.outputs['merge-base']).toBe(repo.sha('main~1'));
    expect(r.summary).toContain('<h2>merge-check: ❌ conflicts</h2>');
    expect(r.summary).toMatch(/<tr><td>app\/config.txt<\/td><td>content<\/td><td>3<\/td><\/tr>/);
    expect(r.groups).toEqual(['Merging feature into main']);
    expect(repo.git('status', '--porcelain')).toBe('');
  });

  test('with fail-on-conflict false a conflicted merge exits 0 and still reports', async () => {
    const repo = buildScenario(fresh(), scenarios['modify/delete']);
    const r = await runAction('merge-check', {
      workspace: repo.dir,
      inputs: { base: 'main', head: 'feature', 'fail-on-conflict': 'false' },
    });
    expect(r.code).toBe(0);
    expect(r.outputs.conflicted).toBe('true');
    expect(JSON.parse(r.outputs.files)).toMatchObject([{ path: 'values.yaml', reason: 'modify/delete' }]);
    expect(errors(r)).toHaveLength(1);
    expect(r.failedMessage).toBeUndefined();
  });

  test.each(Object.entries(scenarios))(
    'a %s conflict is annotated with its file and reason',
    async (name, s) => {
      const repo = buildScenario(fresh(), s);
      const r = await runAction('merge-check', {
        workspace: repo.dir,
        inputs: { base: 'main', head: 'feature' },
      });
      expect(r.code).toBe(1);
      const got = errors(r).map((a) => ({
        file: a.properties.file,
        line: a.properties.line,
        message: a.message,
      }));
      expect(got).toEqual(
        s.expected.map((e) => ({
          file: typeof e.path === 'string' ? e.path : expect.stringMatching(e.path),
          line: e.line === undefined ? undefined : String(e.line),
          message: expect.stringContaining(`Merge conflict detected (${e.reason})`),
        })),
      );
      expect(JSON.parse(r.outputs.files).map((f: { reason: string }) => f.reason)).toEqual(
        s.expected.map((e) => e.reason),
      );
      expect(name).toBe(s.expected[0].reason);
    },
  );
});

describe('clean merges and manifests', () => {
  test('a clean merge exits 0 with the merged tree as output', async () => {
    const repo = buildScenario(fresh(), {
      initial: { 'a.txt': 'a\n' },
      base: { 'b.txt': 'b\n' },
      head: { 'c.txt': 'c\n' },
      expected: [],
    });
    const r = await runAction('merge-check', {
      workspace: repo.dir,
      inputs: { base: 'main', head: 'feature' },
    });
    expect(r.code).toBe(0);
    expect(r.outputs).toMatchObject({ conflicted: 'false', files: '[]', 'merge-base': repo.sha('main~1') });
    expect(r.outputs['merge-tree']).toMatch(/^[0-9a-f]{40}$/);
    expect(r.annotations.filter((a) => a.level === 'error')).toEqual([]);
    expect(r.summary).toContain('merge-check: ✅ clean');
    expect(r.summary).toContain(`merged tree <code>${r.outputs['merge-tree']}</code>`);
  });

  test('a clean merge that duplicates a key fails with an annotation at that line; check-manifests false lets it pass', async () => {
    const doc = (a: string, b: string) =>
      `kind: Deployment\nspec:\n${a}  paused: false\n  minReadySeconds: 30\n${b}  template: {}\n`;
    const repo = buildScenario(fresh(), {
      initial: { 'deploy/app.yaml': doc('', '') },
      base: { 'deploy/app.yaml': doc('  replicas: 3\n', '') },
      head: { 'deploy/app.yaml': doc('', '  replicas: 5\n') },
      expected: [],
    });
    const r = await runAction('merge-check', {
      workspace: repo.dir,
      inputs: { base: 'main', head: 'feature' },
    });
    expect(r.code).toBe(1);
    expect(errors(r)).toEqual([
      {
        level: 'error',
        message: expect.stringMatching(/^duplicate key after merge: Map keys must be unique/),
        properties: { title: 'Merge breaks manifest', file: 'deploy/app.yaml', line: '6' },
      },
    ]);
    expect(r.failedMessage).toMatch(/is textually clean but breaks 1 manifest\.$/);
    const off = await runAction('merge-check', {
      workspace: repo.dir,
      inputs: { base: 'main', head: 'feature', 'check-manifests': 'false' },
    });
    expect(off.code).toBe(0);
    expect(off.outputs.conflicted).toBe('false');
  });
});

describe('pull request events and shallow checkouts', () => {
  function pullRequest(root: string) {
    const { origin, work } = originWithWork(root);
    work.commit('initial', { 'app/config.txt': 'a\nb\nc\nd\n' });
    work.appendCommits('main', 120, 'history.log');
    work.checkout('feature', { create: true });
    work.commit('bump', { 'app/config.txt': 'a\nb\nHEAD\nd\n' });
    work.checkout('main');
    work.commit('main moves on', { 'app/config.txt': 'a\nb\nBASE\nd\n' });
    work.appendCommits('main', 80, 'more.log');
    work.git('push', '--quiet', 'origin', 'main', 'feature', 'feature:refs/pull/42/head');
    return { origin, work, base: work.sha('main'), head: work.sha('feature'), fork: work.sha('feature~1') };
  }

  test('base and head come from a pull_request_target event and a depth-1 checkout is fetched as needed', async () => {
    const root = fresh();
    const { origin, base, head, fork } = pullRequest(root);
    const clone = shallowClone(origin, path.join(root, 'checkout'), 'main', 1);
    const r = await runAction('merge-check', {
      workspace: clone.dir,
      eventName: 'pull_request_target',
      event: {
        repository: { full_name: 'acme/app' },
        pull_request: { number: 42, title: 'Bump', base: { sha: base }, head: { sha: head } },
      },
    });
    expect(r.code).toBe(1);
    expect(r.outputs['merge-base']).toBe(fork);
    expect(r.stdout).toContain(`Fetching head ${head} from origin (depth 50)`);
    expect(r.stdout).toMatch(/deepening by 50 commits/);
    expect(r.stdout).toMatch(/deepening by 100 commits/);
    expect(errors(r).map((a) => [a.properties.file, a.properties.line])).toEqual([['app/config.txt', '3']]);
    expect(clone.git('status', '--porcelain')).toBe('');
  });

  test('after actions/checkout of a pull_request merge ref at depth 1, both sides are fetched and a broken manifest is caught', async () => {
    const root = fresh();
    const { origin, work } = originWithWork(root);
    const doc = (top: string, bottom: string) =>
      `kind: Deployment\nspec:\n${top}  paused: false\n  minReadySeconds: 30\n${bottom}  template: {}\n`;
    work.commit('initial', { 'deploy/app.yaml': doc('', '') });
    work.appendCommits('main', 30);
    work.checkout('feature', { create: true });
    const head = work.commit('pr', { 'deploy/app.yaml': doc('', '  replicas: 5\n') });
    work.checkout('main');
    const base = work.commit('main', { 'deploy/app.yaml': doc('  replicas: 3\n', '') });
    // GitHub's refs/pull/42/merge: the textually clean merge commit actions/checkout checks out
    work.checkout('pr-merge', { create: true });
    work.git('merge', '--quiet', '--no-ff', '--no-edit', 'feature');
    work.git('push', '--quiet', 'origin', 'main', 'feature', 'pr-merge:refs/pull/42/merge');
    const clone = shallowClone(origin, path.join(root, 'checkout'), 'refs/pull/42/merge', 1);
    const r = await runAction('merge-check', {
      workspace: clone.dir,
      eventName: 'pull_request',
      event: { pull_request: { number: 42, title: 'Scale', base: { sha: base }, head: { sha: head } } },
    });
    expect(r.stdout).toContain(`Fetching base ${base} from origin (depth 50)`);
    expect(r.stdout).toContain(`Fetching head ${head} from origin (depth 50)`);
    expect(r.outputs['merge-base']).toBe(work.sha('feature~1'));
    expect(r.code).toBe(1);
    expect(errors(r).map((a) => [a.properties.file, a.properties.line, a.properties.title])).toEqual([
      ['deploy/app.yaml', '6', 'Merge breaks manifest'],
    ]);
  });

  test('a merge_group event gives base and head too', async () => {
    const root = fresh();
    const { work, base, head } = pullRequest(root);
    const r = await runAction('merge-check', {
      workspace: work.dir,
      eventName: 'merge_group',
      event: { merge_group: { base_sha: base, head_sha: head } },
      inputs: { 'fail-on-conflict': 'false' },
    });
    expect(r.code).toBe(0);
    expect(r.outputs.conflicted).toBe('true');
  });

  test('a pull_request event is reported by branch names, SHAs beside them, in the log, summary and comment', async () => {
    const root = fresh();
    const { work, base, head } = pullRequest(root);
    const gh = await new FakeGitHub('acme', 'app', 42).start();
    try {
      const r = await runAction('merge-check', {
        workspace: work.dir,
        eventName: 'pull_request',
        event: {
          repository: { full_name: 'acme/app' },
          pull_request: {
            number: 42,
            title: 'Bump',
            base: { sha: base, ref: 'main' },
            head: { sha: head, ref: 'upgrade/app-1.2' },
          },
        },
        inputs: { token: 'ghs_fake_token_123' },
        env: { GITHUB_API_URL: gh.url },
      });
      const line = `Merging upgrade/app-1.2 (${head.slice(0, 7)}) into main (${base.slice(0, 7)}) conflicts in 1 file.`;
      expect(r.code).toBe(1);
      expect(r.failedMessage).toBe(line);
      expect(r.groups).toEqual(['Merging upgrade/app-1.2 into main']);
      expect(r.summary).toContain(line);
      expect(r.summary).toContain(`base <code>${base}</code> (main)`);
      expect(r.summary).toContain(`head <code>${head}</code> (upgrade/app-1.2)`);
      expect(gh.comments[0].body).toContain(
        `Merging upgrade/app\\-1\\.2 \\(${head.slice(0, 7)}\\) into main \\(${base.slice(0, 7)}\\)`,
      );
      // git's own messages name the branches too, not the SHAs merge-tree was given.
      expect(JSON.parse(r.outputs.files)[0].message).toBe(
        'CONFLICT (content): Merge conflict in app/config.txt',
      );
    } finally {
      await gh.stop();
    }
  });

  test('a push event without base and head is a configuration error naming both', async () => {
    const repo = buildScenario(fresh(), scenarios.content);
    const r = await runAction('merge-check', { workspace: repo.dir, eventName: 'push', event: {} });
    expect(r.code).toBe(1);
    expect(r.failedMessage).toMatch(/^base and head: required when the event \(push\) is not a pull_request/);
  });

  test('with a token the pull request gets one sticky comment and the label, both cleared when clean', async () => {
    const root = fresh();
    const { work, base, head } = pullRequest(root);
    const gh = await new FakeGitHub('acme', 'app', 42).start();
    try {
      const event = (b: string) => ({
        repository: { full_name: 'acme/app' },
        pull_request: {
          number: 42,
          title: 'Bump "app" $(touch pwned) <b>',
          base: { sha: b },
          head: { sha: head },
        },
      });
      const opts = (b: string) => ({
        workspace: work.dir,
        eventName: 'pull_request',
        event: event(b),
        inputs: { token: 'ghs_fake_token_123', 'conflict-label': 'merge conflict' },
        env: { GITHUB_API_URL: gh.url },
      });
      const r = await runAction('merge-check', opts(base));
      expect(r.code).toBe(1);
      expect(gh.comments).toHaveLength(1);
      expect(gh.comments[0].body).toContain('<!-- upgrade-actions:merge-check -->');
      expect(gh.comments[0].body).toContain('| `app/config.txt` | content | 3 |');
      expect([...gh.labels]).toEqual(['merge conflict']);
      expect(r.stdout.split('ghs_fake_token_123').length - 1).toBe(1); // only in ::add-mask::
      expect(r.stdout).toContain('::add-mask::ghs_fake_token_123');
      expect(r.summary).toContain('Bump &quot;app&quot; $(touch pwned) &lt;b&gt;');
      expect(existsSync(path.join(work.dir, 'pwned'))).toBe(false);

      // The author merges main into the branch: the same PR, now clean.
      work.checkout('feature');
      work.commit('resolve', { 'app/config.txt': 'a\nb\nBASE\nd\n' });
      work.git('merge', '--quiet', '--no-edit', '-X', 'ours', 'main');
      const fixed = work.sha('HEAD');
      work.checkout('main');
      const clean = await runAction('merge-check', {
        ...opts(base),
        event: { ...event(base), pull_request: { ...event(base).pull_request, head: { sha: fixed } } },
      });
      expect(clean.code).toBe(0);
      expect(gh.comments).toHaveLength(1);
      expect(gh.comments[0].body).toContain('✅ merge-check');
      expect(gh.labels.size).toBe(0);
    } finally {
      await gh.stop();
    }
  });

  test('a GitHub API failure is a warning: the verdict stands', async () => {
    const repo = buildScenario(fresh(), scenarios.content);
    const r = await runAction('merge-check', {
      workspace: repo.dir,
      eventName: 'pull_request',
      event: { repository: { full_name: 'acme/app' }, pull_request: { number: 1, title: 't' } },
      inputs: { base: 'main', head: 'feature', token: 'ghs_x' },
      env: { GITHUB_API_URL: 'http://127.0.0.1:9' },
    });
    expect(r.code).toBe(1);
    expect(r.annotations.find((a) => a.level === 'warning')?.message).toMatch(
      /^could not update pull request #1: /,
    );
    expect(errors(r)).toHaveLength(1);
  });
});

describe('hostile input is data', () => {
  test('file names with spaces, quotes, newlines, dashes, $(…) and unicode reach the annotations intact', async () => {
    const names = ['a b.txt', 'q"\'.txt', 'new\nline.txt', '-n', '$(touch pwned)', 'ü/分支, x:y.txt'];
    const files = (s: string) => Object.fromEntries(names.map((f) => [f, `x\n${s}\n`]));
    const repo = buildScenario(fresh(), {
      initial: files('o'),
      base: files('b'),
      head: files('h'),
      expected: [],
    });
    const r = await runAction('merge-check', {
      workspace: repo.dir,
      inputs: { base: 'main', head: 'feature' },
    });
    expect(r.code).toBe(1);
    expect(new Set(errors(r).map((a) => a.properties.file))).toEqual(new Set(names));
    expect(errors(r).every((a) => a.properties.line === '2')).toBe(true);
    expect(
      JSON.parse(r.outputs.files)
        .map((f: { path: string }) => f.path)
        .sort(),
    ).toEqual([...names].sort());
    expect(existsSync(path.join(repo.dir, 'pwned'))).toBe(false);
  });

  test.each(['feature/$(touch${IFS}pwned)', 'it\'s-"q"', 'ünï/分支'])(
    'a branch named %j is merged as a name',
    async (branch) => {
      const repo = buildScenario(fresh(), scenarios.content);
      repo.git('branch', '-m', 'feature', branch);
      const r = await runAction('merge-check', {
        workspace: repo.dir,
        inputs: { base: 'main', head: branch },
      });
      expect(r.code).toBe(1);
      expect(errors(r)).toHaveLength(1);
      expect(existsSync(path.join(repo.dir, 'pwned'))).toBe(false);
    },
  );

  test.each([
    [
      { base: '--upload-pack=touch pwned', head: 'feature' },
      /^base: "--upload-pack=touch pwned" starts with "-"/,
    ],
    [
      { base: 'main', head: 'feature', 'fail-on-conflict': 'maybe' },
      /^Input 'fail-on-conflict' must be true or false, got "maybe"$/,
    ],
    [
      { base: 'main', head: 'feature', 'fetch-depth': '0' },
      /^Input 'fetch-depth' must be a whole number from 1 to 100000, got "0"$/,
    ],
    [{ base: 'main', head: 'feature', remote: '--exec=x' }, /^remote: "--exec=x" is not a remote name$/],
    [
      { base: 'main', head: 'feature', 'working-directory': 'missing' },
      /^working-directory: .*missing is not a folder$/,
    ],
  ])('bad input %j fails with a clear message before any side effect', async (inputs, message) => {
    const repo = buildScenario(fresh(), scenarios.content);
    const r = await runAction('merge-check', { workspace: repo.dir, inputs });
    expect(r.code).toBe(1);
    expect(r.failedMessage).toMatch(message);
    expect(r.outputs).toEqual({});
    expect(r.summary).toBe('');
    expect(r.stdout).not.toContain('    at ');
    expect(existsSync(path.join(repo.dir, '.git', 'FETCH_HEAD'))).toBe(false);
    expect(existsSync(path.join(repo.dir, 'pwned'))).toBe(false);
  });

  test('a ref that is nowhere is a clear error naming it', async () => {
    const repo = buildScenario(fresh(), scenarios.content);
    const r = await runAction('merge-check', {
      workspace: repo.dir,
      inputs: { base: 'main', head: 'no-such' },
    });
    expect(r.code).toBe(1);
    expect(r.failedMessage).toMatch(
      /^head: "no-such" is not in this repository and fetching it from origin failed: fatal: 'origin' does not appear to be a git repository$/,
    );
    expect(r.outputs).toEqual({});
  });

  test('a git older than 2.38 is named in a clear error', async () => {
    const bin = path.join(fresh(), 'bin');
    mkdirSync(bin, { recursive: true });
    writeFileSync(path.join(bin, 'git'), '#!/bin/sh\necho "git version 2.34.1"\n');
    chmodSync(path.join(bin, 'git'), 0o755);
    const repo = buildScenario(fresh(), scenarios.content);
    const r = await runAction('merge-check', {
      workspace: repo.dir,
      inputs: { base: 'main', head: 'feature' },
      env: { PATH: `${bin}:${process.env.PATH}` },
    });
    expect(r.code).toBe(1);
    expect(r.failedMessage).toMatch(
      /^git 2\.34\.1 found; merge-check needs git >= 2\.38 \(git merge-tree --write-tree\)/,
    );
  });
});
