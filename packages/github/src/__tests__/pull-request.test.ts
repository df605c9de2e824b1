import { FakeGitHub } from '../../../../test/fixtures/github-api';
import { client, setLabel, upsertStickyComment } from '../index';

const MARKER = '<!-- upgrade-actions:merge-check -->';

let gh: FakeGitHub;
beforeEach(async () => {
  gh = await new FakeGitHub().start();
});
afterEach(() => gh.stop());

const pr = () => ({ owner: gh.owner, repo: gh.repo, number: gh.pr });
const octokit = () => client({ token: 'ghs_secret', apiUrl: gh.url });

describe('the sticky pull request comment', () => {
  test('is created with the marker when the pull request has none, with the token as authorization', async () => {
    gh.addComment('LGTM');
    const r = await upsertStickyComment(octokit(), pr(), MARKER, 'conflicts in 2 files');
    expect(r.action).toBe('created');
    expect(gh.comments.map((c) => c.body)).toEqual(['LGTM', `${MARKER}\nconflicts in 2 files`]);
    expect(gh.requests.map((q) => `${q.method} ${q.path}`)).toEqual([
      'GET /repos/acme/app/issues/42/comments?per_page=100',
      'POST /repos/acme/app/issues/42/comments',
    ]);
    expect(gh.requests.every((q) => q.authorization === 'token ghs_secret')).toBe(true);
  });

  test('is updated in place when a comment with the marker exists, even past the first page', async () => {
    for (let i = 0; i < 120; i++) gh.addComment(`chatter ${i}`);
    const mine = gh.addComment(`${MARKER}\nold result`, 'github-actions[bot]');
    const r = await upsertStickyComment(octokit(), pr(), MARKER, `${MARKER}\nnew result`);
    expect(r).toMatchObject({ action: 'updated', id: mine.id });
    expect(gh.comments).toHaveLength(121);
    expect(mine.body).toBe(`${MARKER}\nnew result`);
    expect(gh.requests.map((q) => `${q.method} ${q.path}`)).toEqual([
      'GET /repos/acme/app/issues/42/comments?per_page=100',
      'GET /repos/acme/app/issues/42/comments?per_page=100&page=2',
      `PATCH /repos/acme/app/issues/comments/${mine.id}`,
    ]);
  });

  test('is not edited when its text is already current', async () => {
    gh.addComment(`${MARKER}\nsame`);
    const r = await upsertStickyComment(octokit(), pr(), MARKER, `${MARKER}\nsame`);
    expect(r.action).toBe('updated');
    expect(gh.requests.map((q) => q.method)).toEqual(['GET']);
  });

  test('is not created when only an update is wanted (a clean result on a pull request never commented)', async () => {
    const r = await upsertStickyComment(octokit(), pr(), MARKER, 'clean', { onlyUpdate: true });
    expect(r.action).toBe('skipped');
    expect(gh.comments).toEqual([]);
  });

  test('carries hostile text as data', async () => {
    const body = `${MARKER}\nPR "$(rm -rf /)" \`id\` <script>alert(1)</script> ünï`;
    await upsertStickyComment(octokit(), pr(), MARKER, body);
    expect(gh.comments[0].body).toBe(body);
  });
});

describe('the conflict label', () => {
  test('is added when conflicted, creating it as GitHub does', async () => {
    expect(await setLabel(octokit(), pr(), 'merge conflict', true)).toBe('added');
    expect([...gh.labels]).toEqual(['merge conflict']);
    expect(gh.requests[0]).toMatchObject({
      method: 'POST',
      path: '/repos/acme/app/issues/42/labels',
      body: { labels: ['merge conflict'] },
    });
  });

  test('is removed when clean, with its name escaped in the URL', async () => {
    gh.labels.add('merge conflict/ü');
    expect(await setLabel(octokit(), pr(), 'merge conflict/ü', false)).toBe('removed');
    expect(gh.labels.size).toBe(0);
    expect(gh.requests[0].path).toBe('/repos/acme/app/issues/42/labels/merge%20conflict%2F%C3%BC');
  });

  test('removing a label the pull request does not have is not an error', async () => {
    expect(await setLabel(octokit(), pr(), 'merge-conflict', false)).toBe('absent');
  });
});
