import type { Logger } from '@upgrade-actions/common';
import { createDeployment, DeploymentTracker } from './deployments';
import { mergePullRequest, type MergeMethod } from './merge-pull-request';
import { client } from './pull-request';

/** What a Deployment records: the release descriptor (any JSON object). */
type Release = Record<string, unknown>;

/**
 * One repository's release-side API for an action run: the merge after validation, a Deployment with its
 * statuses (promote, canary), and the tracker of a Deployment an earlier run created (a resumed canary).
 */
export function repository(token: string, owner: string, repo: string) {
  const octokit = client({ token });
  return {
    async merge(number: number, method: MergeMethod, logger: Logger): Promise<void> {
      await mergePullRequest(octokit, { owner, repo, number }, { method, logger });
    },
    async deployment(
      d: { ref: string; environment: string; release: Release; description: string; environmentUrl?: string },
      logger: Logger,
    ): Promise<DeploymentTracker> {
      const created = await createDeployment(
        octokit,
        {
          owner,
          repo,
          ref: d.ref,
          environment: d.environment,
          payload: d.release,
          description: d.description,
        },
        logger,
      );
      const server = process.env.GITHUB_SERVER_URL ?? 'https://github.com';
      const logUrl = process.env.GITHUB_RUN_ID
        ? `${server}/${owner}/${repo}/actions/runs/${process.env.GITHUB_RUN_ID}`
        : undefined;
      return new DeploymentTracker(
        octokit,
        owner,
        repo,
        created.id,
        { logUrl, environmentUrl: d.environmentUrl },
        logger,
      );
    },
    tracker(id: number, environmentUrl: string | undefined, logger: Logger): DeploymentTracker {
      const server = process.env.GITHUB_SERVER_URL ?? 'https://github.com';
      const logUrl = process.env.GITHUB_RUN_ID
        ? `${server}/${owner}/${repo}/actions/runs/${process.env.GITHUB_RUN_ID}`
        : undefined;
      return new DeploymentTracker(octokit, owner, repo, id, { logUrl, environmentUrl }, logger);
    },
  };
}
