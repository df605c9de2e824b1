import { setTimeout as sleep } from 'node:timers/promises';
import { ConfigurationError, silentLogger, type Logger } from '@upgrade-actions/common';
import type { Octokit, PullRequestRef } from './pull-request';

export type MergeMethod = 'merge' | 'squash' | 'rebase';

/** One required check as the head commit shows it. */
export interface RequiredCheck {
  name: string;
  /** `success`, `failure`, `pending` (queued/in progress), `missing` (never reported on the head), … */
  state: string;
  green: boolean;
  /** `check-run` or `status` (the commit status API); absent when the check never reported. */
  source?: 'check-run' | 'status';
}

export interface MergeResult {
  /** `merged` by this call, or `already-merged` (a re-run after a merge that already happened). */
  action: 'merged' | 'already-merged';
  sha: string;
  checks: RequiredCheck[];
}

export interface MergeOptions {
  method: MergeMethod;
  logger?: Logger;
  /** How often to ask again while GitHub still computes `mergeable` (null); defaults 5 times, 2 s apart. */
  mergeableRetries?: number;
  mergeableDelayMs?: number;
}

/** Conclusions GitHub's branch protection accepts as passing. */
const PASSING_CONCLUSIONS = new Set(['success', 'neutral', 'skipped']);

/**
 * Merges a pull request after validation, as a careful human would: only when GitHub says it is mergeable
 * and every required status check (branch protection and repository rules for the base branch) is green
 * on the head commit. Refuses with a ConfigurationError naming the check that is not green. The merge is
 * pinned to the head SHA that was checked, so a push in between is refused by GitHub instead of merged.
 */
export async function mergePullRequest(
  octokit: Octokit,
  pr: PullRequestRef,
  opts: MergeOptions,
): Promise<MergeResult> {
  const logger = opts.logger ?? silentLogger;
  const retries = opts.mergeableRetries ?? 5;
  const where = `pull request #${pr.number}`;
  let data = (await octokit.rest.pulls.get({ owner: pr.owner, repo: pr.repo, pull_number: pr.number })).data;
  // GitHub computes mergeability in the background: null means "ask again shortly".
  for (let i = 0; data.mergeable === null && !data.merged && i < retries; i++) {
    await sleep(opts.mergeableDelayMs ?? 2000);
    data = (await octokit.rest.pulls.get({ owner: pr.owner, repo: pr.repo, pull_number: pr.number })).data;
  }
  if (data.merged) {
    logger.info(`${where} is already merged (${data.merge_commit_sha ?? 'unknown sha'})`);
    return { action: 'already-merged', sha: data.merge_commit_sha ?? '', checks: [] };
  }
  if (data.state !== 'open')
    throw new ConfigurationError(`merge-pull-request: ${where} is closed, not merging`);
  if (data.draft) throw new ConfigurationError(`merge-pull-request: ${where} is a draft, not merging`);
  if (data.mergeable === false)
    throw new ConfigurationError(`merge-pull-request: ${where} has conflicts with ${data.base.ref}`);
  if (data.mergeable === null)
    throw new ConfigurationError(
      `merge-pull-request: GitHub has not computed whether ${where} is mergeable yet; re-run the job`,
    );
  const sha = data.head.sha;
  const required = await requiredChecks(octokit, pr, data.base.ref, logger);
  const checks = await checkStates(octokit, pr, sha, required);
  const red = checks.find((c) => !c.green);
  if (red) {
    throw new ConfigurationError(
      `merge-pull-request: required check "${red.name}" is ${red.state} on ${sha.slice(0, 12)}, not merging ${where}`,
    );
  }
  if (checks.length)
    logger.info(`Required checks green on ${sha.slice(0, 12)}: ${checks.map((c) => c.name).join(', ')}`);
  else logger.info(`${data.base.ref} requires no status checks`);
  try {
    const r = await octokit.rest.pulls.merge({
      owner: pr.owner,
      repo: pr.repo,
      pull_number: pr.number,
      merge_method: opts.method,
      sha,
    });
    logger.info(`Merged ${where} (${opts.method}) as ${r.data.sha}`);
    return { action: 'merged', sha: r.data.sha, checks };
  } catch (e) {
    const status = (e as { status?: number }).status;
    const message = (e as Error).message;
    // 405: not mergeable (e.g. a method the repository disables); 409: the head moved after the checks.
    if (status === 405 || status === 409 || status === 422)
      throw new ConfigurationError(`merge-pull-request: GitHub refused to merge ${where}: ${message}`);
    throw e;
  }
}

/**
 * The status checks the base branch requires: from branch protection (404 when unprotected, 403 when the
 * token may not read it) and from repository rulesets (readable with read access). Union by name.
 */
export async function requiredChecks(
  octokit: Octokit,
  pr: PullRequestRef,
  branch: string,
  logger: Logger = silentLogger,
): Promise<string[]> {
  const names = new Set<string>();
  try {
    const p = await octokit.rest.repos.getStatusChecksProtection({ owner: pr.owner, repo: pr.repo, branch });
    for (const c of p.data.checks ?? []) names.add(c.context);
    for (const c of p.data.contexts ?? []) names.add(c);
  } catch (e) {
    const status = (e as { status?: number }).status;
    if (status !== 404 && status !== 403) throw e;
    logger.debug(
      `branch protection of ${branch}: ${status === 404 ? 'none' : 'not readable with this token'}`,
    );
  }
  const rules = await octokit.rest.repos.getBranchRules({
    owner: pr.owner,
    repo: pr.repo,
    branch,
    per_page: 100,
  });
  for (const rule of rules.data) {
    if (rule.type !== 'required_status_checks') continue;
    for (const c of rule.parameters?.required_status_checks ?? []) names.add(c.context);
  }
  return [...names].sort();
}

/** Each required check's state on `sha`: the newest check run of that name, else the commit status context. */
export async function checkStates(
  octokit: Octokit,
  pr: PullRequestRef,
  sha: string,
  required: string[],
): Promise<RequiredCheck[]> {
  if (!required.length) return [];
  const runs = await octokit.paginate(octokit.rest.checks.listForRef, {
    owner: pr.owner,
    repo: pr.repo,
    ref: sha,
    per_page: 100,
  });
  const combined = await octokit.rest.repos.getCombinedStatusForRef({
    owner: pr.owner,
    repo: pr.repo,
    ref: sha,
    per_page: 100,
  });
  return required.map((name): RequiredCheck => {
    // A re-run creates a new check run with a higher id; the newest one is what protection judges.
    const run = runs.filter((r) => r.name === name).sort((a, b) => b.id - a.id)[0];
    if (run) {
      const state = run.status === 'completed' ? (run.conclusion ?? 'completed') : 'pending';
      return { name, state, green: PASSING_CONCLUSIONS.has(state), source: 'check-run' };
    }
    const status = combined.data.statuses.find((s) => s.context === name);
    if (status) return { name, state: status.state, green: status.state === 'success', source: 'status' };
    return { name, state: 'missing', green: false };
  });
}
