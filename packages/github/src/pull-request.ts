import { getOctokit } from '@actions/github';
import type { Logger } from '@upgrade-actions/common';
import { silentLogger } from '@upgrade-actions/common';

export interface PullRequestRef {
  owner: string;
  repo: string;
  number: number;
}

export interface GitHubClientOptions {
  token: string;
  /** REST API root; defaults to GITHUB_API_URL (GitHub Enterprise Server, tests) or api.github.com. */
  apiUrl?: string;
  logger?: Logger;
}

export type Octokit = ReturnType<typeof getOctokit>;

export function client(opts: GitHubClientOptions): Octokit {
  const baseUrl = opts.apiUrl ?? process.env.GITHUB_API_URL ?? 'https://api.github.com';
  return getOctokit(opts.token, { baseUrl });
}

/**
 * Creates or updates the one comment on a pull request that carries `marker` (a hidden HTML comment),
 * so repeated runs edit it in place instead of piling up. With `onlyUpdate`, a missing comment is not
 * created (a clean result needs no new comment, but an old "conflicted" one must be corrected).
 */
export async function upsertStickyComment(
  octokit: Octokit,
  pr: PullRequestRef,
  marker: string,
  body: string,
  opts: { onlyUpdate?: boolean; logger?: Logger } = {},
): Promise<{ action: 'created' | 'updated' | 'skipped'; id?: number; url?: string }> {
  const logger = opts.logger ?? silentLogger;
  const text = body.includes(marker) ? body : `${marker}\n${body}`;
  const comments = await octokit.paginate(octokit.rest.issues.listComments, {
    owner: pr.owner,
    repo: pr.repo,
    issue_number: pr.number,
    per_page: 100,
  });
  const mine = comments.find((c) => (c.body ?? '').includes(marker));
  if (mine) {
    if (mine.body === text) {
      logger.info(`PR comment ${mine.html_url} is up to date`);
      return { action: 'updated', id: mine.id, url: mine.html_url };
    }
    const r = await octokit.rest.issues.updateComment({
      owner: pr.owner,
      repo: pr.repo,
      comment_id: mine.id,
      body: text,
    });
    logger.info(`Updated PR comment ${r.data.html_url}`);
    return { action: 'updated', id: r.data.id, url: r.data.html_url };
  }
  if (opts.onlyUpdate) return { action: 'skipped' };
  const r = await octokit.rest.issues.createComment({
    owner: pr.owner,
    repo: pr.repo,
    issue_number: pr.number,
    body: text,
  });
  logger.info(`Created PR comment ${r.data.html_url}`);
  return { action: 'created', id: r.data.id, url: r.data.html_url };
}

/**
 * Adds `label` to the pull request or removes it. Adding creates the label in the repository when it
 * does not exist yet (GitHub does that); removing a label that is not there is not an error.
 */
export async function setLabel(
  octokit: Octokit,
  pr: PullRequestRef,
  label: string,
  present: boolean,
  logger: Logger = silentLogger,
): Promise<'added' | 'removed' | 'absent'> {
  if (present) {
    await octokit.rest.issues.addLabels({
      owner: pr.owner,
      repo: pr.repo,
      issue_number: pr.number,
      labels: [label],
    });
    logger.info(`Labelled #${pr.number} "${label}"`);
    return 'added';
  }
  try {
    await octokit.rest.issues.removeLabel({
      owner: pr.owner,
      repo: pr.repo,
      issue_number: pr.number,
      name: label,
    });
    logger.info(`Removed label "${label}" from #${pr.number}`);
    return 'removed';
  } catch (e) {
    if ((e as { status?: number }).status === 404) return 'absent';
    throw e;
  }
}
