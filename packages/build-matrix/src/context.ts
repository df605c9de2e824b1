/** What the tag rules read of the run: the GitHub context, as GITHUB_* variables and the event give it. */
export interface BuildContext {
  /** `push`, `pull_request`, `workflow_dispatch`, `schedule`, … */
  eventName: string;
  /** `refs/heads/main`, `refs/tags/v1.2.3`, `refs/pull/12/merge`. */
  ref: string;
  sha: string;
  /** The PR's number on pull_request events. */
  prNumber?: number;
  /** The PR head's commit on pull_request events (metadata-action tags PRs by it). */
  prHeadSha?: string;
  /** `https://github.com/acme/web` */
  repositoryUrl?: string;
  repositoryName?: string;
  description?: string;
  license?: string;
  /** ISO time of the build (annotations' `created`). */
  created: string;
}

/** The fields of a webhook payload the tag rules and labels read; the rest is ignored. */
export interface EventFields {
  number?: number;
  pull_request?: { number?: number; head?: { sha?: string } };
  repository?: { description?: string | null; license?: { spdx_id?: string } | null };
}

export function contextFromEnv(
  env: NodeJS.ProcessEnv,
  event: EventFields = {},
  now = new Date(),
): BuildContext {
  const server = env.GITHUB_SERVER_URL ?? 'https://github.com';
  const repo = env.GITHUB_REPOSITORY;
  return {
    eventName: env.GITHUB_EVENT_NAME ?? '',
    ref: env.GITHUB_REF ?? '',
    sha: env.GITHUB_SHA ?? '',
    prNumber: event.pull_request?.number ?? event.number,
    prHeadSha: event.pull_request?.head?.sha,
    repositoryUrl: repo ? `${server}/${repo}` : undefined,
    repositoryName: repo?.split('/')[1],
    description: event.repository?.description ?? undefined,
    license: event.repository?.license?.spdx_id ?? undefined,
    created: now.toISOString(),
  };
}
