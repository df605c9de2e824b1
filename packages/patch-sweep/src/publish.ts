import type { Logger } from '@upgrade-actions/common';
import { commitAndPush, type BranchTarget } from '@upgrade-actions/git';
import { upsertPullRequest, type Octokit, type UpsertedPullRequest } from '@upgrade-actions/github';
import { commitMessage, pullRequestBody, pullRequestTitle } from './report';
import type { SweepResult, Update } from './sweep';

export interface PublishOptions {
  /** The checkout and branch, checked by prepareBranch before the sweep. */
  target: BranchTarget;
  result: SweepResult;
  /** Without it the branch is pushed and no pull request is opened (the CLI's --push alone). */
  github?: { octokit: Octokit; owner: string; repo: string; base?: string };
  logger: Logger;
}

export interface Published {
  /** The updates that went into the commit (those in files git tracks). */
  updates: Update[];
  commit: string;
  pushed: boolean;
  pullRequest?: UpsertedPullRequest;
}

/**
 * One commit of the bumps on the sweep's branch, force-pushed, then the one pull request from it opened
 * or edited. The push comes first: a pull request is only ever opened on a branch that holds the change,
 * and a refused push leaves no pull request behind.
 */
export async function publish(opts: PublishOptions): Promise<Published> {
  const { target, result, logger } = opts;
  const inRepo = (file: string) => `${target.prefix}${file}`;
  const tracked = (untracked: Set<string>) => result.updates.filter((u) => !untracked.has(inRepo(u.file)));
  const pushed = await commitAndPush(target, result.files, (left) => commitMessage(tracked(new Set(left))));
  const untracked = new Set(pushed.untracked);
  if (untracked.size > 0)
    logger.warning(`left out of the commit, as git does not track them: ${[...untracked].join(', ')}`);
  const updates = tracked(untracked);
  if (!pushed.commit) return { updates: [], commit: '', pushed: false };
  if (!opts.github) return { updates, commit: pushed.commit, pushed: pushed.pushed };
  let pullRequest: UpsertedPullRequest;
  try {
    pullRequest = await upsertPullRequest(opts.github.octokit, {
      owner: opts.github.owner,
      repo: opts.github.repo,
      head: target.branch,
      base: opts.github.base,
      title: pullRequestTitle(updates),
      body: pullRequestBody(updates),
      logger,
    });
  } catch (e) {
    const status = (e as { status?: number }).status;
    throw new Error(
      `GitHub refused the pull request from ${target.branch}${status ? ` (HTTP ${status})` : ''}: ${(e as Error).message}; ` +
        `the branch is pushed and the next run opens the pull request (the token needs pull-requests: write)`,
    );
  }
  return { updates, commit: pushed.commit, pushed: pushed.pushed, pullRequest };
}
