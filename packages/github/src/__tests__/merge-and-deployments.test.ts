import { FakeGitHubRelease } from '../../../../test/fixtures/github-release-api';
import { client, createDeployment, DeploymentTracker, mergePullRequest } from '../index';

let gh: FakeGitHubRelease;
beforeEach(async () => {
  gh = await new FakeGitHubRelease().start();
});
afterEach(() => gh.stop());

const pr = () => ({ owner: gh.owner, repo: gh.repo, number: gh.pull.number });
const octokit = () => client({ token: 'ghs_secret', apiUrl: gh.url });
const merge = (method: 'merge' | 'squash' | 'rebase' = 'squash') =>
  mergePullRequest(octokit(), pr(), { method, mergeableDelayMs: 1 });

describe('merging the pull request after validation', () => {
  test('merges with the chosen method, pinned to the head SHA, when every required check is green', async () => {
    gh.protection = { contexts: ['ci/legacy'], checks: [{ context: 'build', app_id: 15368 }] };
    gh.rulesetChecks = ['e2e'];
    gh.checkRun('build', 'completed', 'success');
    gh.checkRun('e2e', 'completed', 'skipped');
    gh.statuses = [{ context: 'ci/legacy', state: 'success', description: 'ok' }];
    const r = await merge('squash');
    expect(r.action).toBe('merged');
    expect(r.checks.map((c) => `${c.name}:${c.state}:${c.source}`)).toEqual([
      'build:success:check-run',
      'ci/legacy:success:status',
      'e2e:skipped:check-run',
    ]);
    const put = gh.requests.find((q) => q.method === 'PUT');
    expect(put?.body).toEqual({ merge_method: 'squash', sha: gh.pull.head.sha });
    expect(gh.pull.merged).toBe(true);
    expect(gh.requests.every((q) => q.authorization === 'token ghs_secret')).toBe(true);
  });

  test('refuses, naming the check, when a required check failed; nothing is merged', async () => {
    gh.rulesetChecks = ['build', 'e2e'];
    gh.checkRun('build', 'completed', 'success');
    gh.checkRun('e2e', 'completed', 'failure');
    await expect(merge()).rejects.toThrow(
      'merge-pull-request: required check "e2e" is failure on a1b2c3d4e5f6, not merging pull request #42',
    );
    expect(gh.routes()).not.toContain('PUT /repos/acme/app/pulls/42/merge');
    expect(gh.pull.merged).toBe(false);
  });

  test('judges the newest run of a re-run check, and a running check is pending', async () => {
    gh.rulesetChecks = ['build'];
    gh.checkRun('build', 'completed', 'failure');
    gh.checkRun('build', 'in_progress');
    await expect(merge()).rejects.toThrow('required check "build" is pending');
    gh.checkRuns = [];
    gh.checkRun('build', 'completed', 'failure');
    gh.checkRun('build', 'completed', 'success');
    await expect(merge()).resolves.toMatchObject({ action: 'merged' });
  });

  test('a required check that never reported on the head is missing, and a pending status is not green', async () => {
    gh.protection = { contexts: ['deploy/preview'], checks: [] };
    await expect(merge()).rejects.toThrow('required check "deploy/preview" is missing');
    gh.statuses = [{ context: 'deploy/preview', state: 'pending', description: 'waiting' }];
    await expect(merge()).rejects.toThrow('required check "deploy/preview" is pending');
  });

  test('a branch protection the token may not read falls back to the rulesets', async () => {
    gh.protectionForbidden = true;
    gh.rulesetChecks = ['build'];
    gh.checkRun('build', 'completed', 'cancelled');
    await expect(merge()).rejects.toThrow('required check "build" is cancelled');
  });

  test('asks again while GitHub computes mergeability, and refuses a conflicted pull request', async () => {
    gh.mergeableUnknownFor = 2;
    await expect(merge()).resolves.toMatchObject({ action: 'merged' });
    expect(gh.routes().filter((r) => r === 'GET /repos/acme/app/pulls/42')).toHaveLength(3);

    gh.pull = { ...gh.pull, merged: false, state: 'open', mergeable: false, merge_commit_sha: null };
    await expect(merge()).rejects.toThrow('merge-pull-request: pull request #42 has conflicts with main');
  });

  test('a pull request merged by an earlier run is not merged twice; a closed or draft one is refused', async () => {
    gh.pull = { ...gh.pull, merged: true, state: 'closed', merge_commit_sha: 'abc' };
    await expect(merge()).resolves.toEqual({ action: 'already-merged', sha: 'abc', checks: [] });
    expect(gh.requests.map((q) => q.method)).toEqual(['GET']);
    gh.pull = { ...gh.pull, merged: false };
    await expect(merge()).rejects.toThrow('pull request #42 is closed');
    gh.pull = { ...gh.pull, state: 'open', draft: true };
    await expect(merge()).rejects.toThrow('pull request #42 is a draft');
  });

  test("GitHub's own refusal (a disabled method, a head pushed meanwhile) is reported as such", async () => {
    gh.mergeRefusal = { status: 405, message: 'Merge commits are not allowed on this repository.' };
    await expect(merge('merge')).rejects.toThrow(
      'merge-pull-request: GitHub refused to merge pull request #42: Merge commits are not allowed on this repository.',
    );
  });
});

describe('GitHub Deployments', () => {
  test('a deployment for the ref and environment carries the release as payload; statuses move in_progress → success', async () => {
    const release = { version: 1, namespace: 'shop', workloads: [{ kind: 'Deployment', name: 'web' }] };
    const d = await createDeployment(octokit(), {
      owner: 'acme',
      repo: 'app',
      ref: 'a1b2c3',
      environment: 'production',
      payload: release,
      description: 'promote web',
    });
    expect(gh.requests[0]).toMatchObject({
      method: 'POST',
      path: '/repos/acme/app/deployments',
      body: {
        ref: 'a1b2c3',
        environment: 'production',
        payload: release,
        auto_merge: false,
        required_contexts: [],
      },
    });
    const t = new DeploymentTracker(octokit(), 'acme', 'app', d.id, {
      environmentUrl: 'https://shop.example.com',
      logUrl: 'https://github.com/acme/app/actions/runs/1',
    });
    await t.status('in_progress', 'validating green');
    await t.status('success', 'promoted web-green');
    expect(gh.deployments[0].statuses).toEqual([
      expect.objectContaining({ state: 'in_progress', environment_url: 'https://shop.example.com' }),
      expect.objectContaining({
        state: 'success',
        description: 'promoted web-green',
        log_url: 'https://github.com/acme/app/actions/runs/1',
      }),
    ]);
  });
});
