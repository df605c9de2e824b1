import { ConfigurationError, ExecError, type Logger } from '@upgrade-actions/common';
import type { Git } from './git';
import { FULL_SHA, isFetchableRefName } from './refs';

export interface FetchPolicy {
  /** Remote to fetch missing commits from (`origin` after actions/checkout). */
  remote: string;
  /** Depth of the first fetch into a shallow clone; each deepening doubles it. */
  depth: number;
  /** After this many commits of deepening without a merge base, fetch the whole history. */
  maxDeepen: number;
}

export const DEFAULT_FETCH_POLICY: FetchPolicy = { remote: 'origin', depth: 50, maxDeepen: 3200 };

export interface ResolvedPair {
  base: string;
  head: string;
  mergeBase: string;
  /** What was fetched, in order, as it was logged. */
  fetches: string[];
}

/**
 * The ref to ask the remote for: SHAs and ref names as given; `origin/main` (a remote-tracking name
 * of this remote) becomes `main`; revision expressions (`HEAD~2`) cannot be fetched.
 */
export function fetchableRef(rev: string, remote: string): string | undefined {
  if (FULL_SHA.test(rev)) return rev;
  const name = rev.startsWith(`${remote}/`)
    ? rev.slice(remote.length + 1)
    : rev.replace(/^refs\/remotes\/[^/]+\//, '');
  return isFetchableRefName(name) ? name : undefined;
}

/**
 * Depths of successive deepenings: doubling from `depth` until `maxDeepen` commits have been added,
 * then the caller unshallows. With 50 and 3200: 50, 100, 200, 400, 800, 1600.
 */
export function deepenSteps(depth: number, maxDeepen: number): number[] {
  const steps: number[] = [];
  let total = 0;
  for (let d = depth; total + d <= maxDeepen; d *= 2) {
    steps.push(d);
    total += d;
  }
  return steps;
}

/**
 * Makes sure both commits and their merge base are present, fetching only what is missing: straight
 * after `actions/checkout` (a depth-1 clone of the PR's merge commit) neither side's history is there.
 * Logs every fetch so the job log says why the step touched the network.
 */
export async function resolvePair(
  git: Git,
  revs: { base: string; head: string },
  policy: FetchPolicy,
  logger: Logger,
): Promise<ResolvedPair> {
  const fetches: string[] = [];
  const note = (line: string) => {
    fetches.push(line);
    logger.info(line);
  };
  const [isShallow, baseSha, headSha] = await Promise.all([
    git.isShallow(),
    git.resolveCommit(revs.base),
    git.resolveCommit(revs.head),
  ]);
  let shallow = isShallow;
  const wanted: Record<'base' | 'head', { rev: string; remoteRef?: string; sha?: string }> = {
    base: { rev: revs.base, sha: baseSha },
    head: { rev: revs.head, sha: headSha },
  };

  for (const side of ['base', 'head'] as const) {
    const w = wanted[side];
    w.remoteRef = fetchableRef(w.rev, policy.remote);
    if (w.sha) continue;
    if (!w.remoteRef)
      throw new ConfigurationError(
        `${side}: "${w.rev}" is not a commit in this repository and cannot be fetched`,
      );
    note(`Fetching ${side} ${w.rev} from ${policy.remote}${shallow ? ` (depth ${policy.depth})` : ''}`);
    try {
      await git.fetch(policy.remote, [w.remoteRef], shallow ? { depth: policy.depth } : {});
    } catch (e) {
      throw new ConfigurationError(
        `${side}: "${w.rev}" is not in this repository and fetching it from ${policy.remote} failed: ${fetchFailure(e)}`,
      );
    }
    w.sha = await git.resolveCommit('FETCH_HEAD');
    if (!w.sha)
      throw new ConfigurationError(`${side}: fetching "${w.rev}" from ${policy.remote} gave no commit`);
  }
  const base = wanted.base.sha!;
  const head = wanted.head.sha!;

  let mergeBase = await git.mergeBase(base, head);
  if (!mergeBase && shallow) {
    // Deepen from the current shallow boundary by the SHAs themselves (their names may be gone).
    for (const step of deepenSteps(policy.depth, policy.maxDeepen)) {
      note(
        `No merge base of ${short(base)} and ${short(head)} in the shallow history; deepening by ${step} commits`,
      );
      await git.fetch(policy.remote, [base, head], { deepen: step }).catch((e) => {
        throw new ConfigurationError(
          `deepening the history from ${policy.remote} failed: ${fetchFailure(e)}`,
        );
      });
      mergeBase = await git.mergeBase(base, head);
      if (mergeBase) break;
      shallow = await git.isShallow();
      if (!shallow) break;
    }
    if (!mergeBase && shallow) {
      note(`Still no merge base; fetching the full history of ${short(base)} and ${short(head)}`);
      await git.fetch(policy.remote, [base, head], { unshallow: true }).catch((e) => {
        throw new ConfigurationError(
          `fetching the full history from ${policy.remote} failed: ${fetchFailure(e)}`,
        );
      });
      mergeBase = await git.mergeBase(base, head);
    }
  }
  if (!mergeBase)
    throw new ConfigurationError(
      `base ${revs.base} (${short(base)}) and head ${revs.head} (${short(head)}) have no common history; ` +
        'merge-check compares a branch with the branch it was made from',
    );
  if (fetches.length) logger.info(`Merge base: ${mergeBase}`);
  return { base, head, mergeBase, fetches };
}

function short(sha: string): string {
  return sha.slice(0, 12);
}

function fetchFailure(e: unknown): string {
  if (e instanceof ExecError) {
    // git's first fatal/error line says what went wrong; the rest is advice about access rights.
    const lines = e.result.stderr.trim().split('\n').filter(Boolean);
    return (
      lines.find((l) => /^(fatal|error):/.test(l)) ??
      lines[0] ??
      `git fetch exited with code ${e.result.code}`
    );
  }
  return e instanceof Error ? e.message : String(e);
}
