import { LocalGitHubPulls } from '../../../cli/src/demo/local-github';
import { client, upsertPullRequest } from '../index';

let gh: LocalGitHubPulls;
beforeEach(async () => {
  gh = await new LocalGitHubPulls().start();
});
afterEach(() => gh.stop());

const octokit = () => client({ token: 'ghs_secret', apiUrl: gh.url });
const opts = (more: Partial<Parameters<typeof upsertPullRequest>[1]> = {}) => ({
  owner: 'acme',
  repo: 'app',
  head: 'upgrade-actions/patch-sweep',
  title: 'Bump 2 images to their latest patch releases',
  body: '| image | from | to |',
  ...more,
});
const routes = () => gh.requests.map((q) => `${q.method} ${q.path}`);

test('opens one pull request against the default branch when none is open from the branch', async () => {
  gh.defaultBranch = 'trunk';
  const r = await upsertPullRequest(octokit(), opts());
  expect(r).toEqual({
    action: 'created',
    number: 100,
    url: 'https://github.com/acme/app/pull/100',
    base: 'trunk',
  });
  expect(routes()).toEqual([
    'GET /repos/acme/app/pulls?head=acme%3Aupgrade-actions%2Fpatch-sweep&state=open&per_page=100',
    'GET /repos/acme/app',
    'POST /repos/acme/app/pulls',
  ]);
  expect(gh.requests[2].body).toEqual({
    head: 'upgrade-actions/patch-sweep',
    base: 'trunk',
    title: 'Bump 2 images to their latest patch releases',
    body: '| image | from | to |',
  });
  expect(gh.requests.every((q) => q.authorization === 'token ghs_secret')).toBe(true);
});

test('a base given is used as it is, without asking for the repository', async () => {
  const r = await upsertPullRequest(octokit(), opts({ base: 'release-1.4' }));
  expect(r.base).toBe('release-1.4');
  expect(routes()).not.toContain('GET /repos/acme/app');
  expect(gh.pulls[0].base.ref).toBe('release-1.4');
});

test('edits the open pull request from the branch instead of opening another', async () => {
  const old = gh.addPull({ head: 'upgrade-actions/patch-sweep', title: 'old', body: 'old table' });
  const r = await upsertPullRequest(octokit(), opts());
  expect(r).toMatchObject({ action: 'updated', number: old.number });
  expect(gh.pulls).toHaveLength(1);
  expect(gh.pulls[0]).toMatchObject({ title: opts().title, body: opts().body, state: 'open' });
  expect(routes().filter((x) => x.startsWith('PATCH'))).toEqual([
    `PATCH /repos/acme/app/pulls/${old.number}`,
  ]);
});

test('an open pull request that already says the same is not edited', async () => {
  gh.addPull({ head: 'upgrade-actions/patch-sweep', title: opts().title, body: opts().body });
  const r = await upsertPullRequest(octokit(), opts());
  expect(r.action).toBe('unchanged');
  expect(gh.requests.map((q) => q.method)).toEqual(['GET']);
});

test('closes nothing: merged and closed sweeps and other branches stay, a new sweep opens a new pull request', async () => {
  gh.addPull({ head: 'upgrade-actions/patch-sweep', state: 'closed', merged: true });
  gh.addPull({ head: 'upgrade-actions/patch-sweep', state: 'closed' });
  gh.addPull({ head: 'feature/x' });
  const r = await upsertPullRequest(octokit(), opts());
  expect(r.action).toBe('created');
  expect(gh.pulls.map((p) => [p.head.ref, p.state])).toEqual([
    ['upgrade-actions/patch-sweep', 'closed'],
    ['upgrade-actions/patch-sweep', 'closed'],
    ['feature/x', 'open'],
    ['upgrade-actions/patch-sweep', 'open'],
  ]);
  expect(routes().some((x) => x.startsWith('PATCH'))).toBe(false);
});

test("GitHub's refusal reaches the caller with its status", async () => {
  gh.failWith = { status: 401, message: 'Bad credentials' };
  await expect(upsertPullRequest(octokit(), opts())).rejects.toMatchObject({ status: 401 });
  expect(gh.pulls).toEqual([]);
});
