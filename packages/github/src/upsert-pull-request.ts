import type { Logger } from '@upgrade-actions/common';
import { silentLogger } from '@upgrade-actions/common';
import type { Octokit } from './pull-request';

export interface UpsertPullRequestOptions {
  owner: string;
  repo: string;
  /** The branch the pull request is from, in the same repository. */
  head: string;
  /** The branch it merges into; empty: the repository's default branch. */
  base?: string;
  title: string;
  body: string;
  logger?: Logger;
}

export interface UpsertedPullRequest {
  /** created: a new pull request; updated: its title/body edited; unchanged: it already said this. */
  action: 'created' | 'updated' | 'unchanged';
  number: number;
  url: string;
  base: string;
}

/**
 * Keeps exactly one open pull request from `head`: the open one from that branch is found (GET pulls with
 * `head=owner:branch`) and its title and body edited when they changed; when there is none, one is opened
 * against `base` (the default branch when not given). Nothing is ever closed: closed and merged pull
 * requests from the branch are history, and a new sweep opens a new one.
 */
export async function upsertPullRequest(
  octokit: Octokit,
  opts: UpsertPullRequestOptions,
): Promise<UpsertedPullRequest> {
  const logger = opts.logger ?? silentLogger;
  const { owner, repo } = opts;
  const open = await octokit.rest.pulls.list({
    owner,
    repo,
    head: `${owner}:${opts.head}`,
    state: 'open',
    per_page: 100,
  });
  // GitHub filters by head; a server that ignored the filter must not make us edit someone else's PR.
  const mine = open.data.find(
    (p) => p.head.ref === opts.head && (opts.base ? p.base.ref === opts.base : true),
  );
  if (mine) {
    if (mine.title === opts.title && (mine.body ?? '') === opts.body) {
      logger.info(`Pull request #${mine.number} is up to date: ${mine.html_url}`);
      return { action: 'unchanged', number: mine.number, url: mine.html_url, base: mine.base.ref };
    }
    const r = await octokit.rest.pulls.update({
      owner,
      repo,
      pull_number: mine.number,
      title: opts.title,
      body: opts.body,
    });
    logger.info(`Updated pull request #${r.data.number}: ${r.data.html_url}`);
    return { action: 'updated', number: r.data.number, url: r.data.html_url, base: r.data.base.ref };
  }
  const base = opts.base || (await octokit.rest.repos.get({ owner, repo })).data.default_branch;
  const r = await octokit.rest.pulls.create({
    owner,
    repo,
    head: opts.head,
    base,
    title: opts.title,
    body: opts.body,
  });
  logger.info(`Opened pull request #${r.data.number} (${opts.head} → ${base}): ${r.data.html_url}`);
  return { action: 'created', number: r.data.number, url: r.data.html_url, base };
}
