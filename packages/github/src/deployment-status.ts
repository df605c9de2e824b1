import type { Logger } from '@upgrade-actions/common';
import { silentLogger } from '@upgrade-actions/common';
import type { Octokit } from './pull-request';

export type DeploymentState =
  'error' | 'failure' | 'inactive' | 'in_progress' | 'queued' | 'pending' | 'success';

export interface DeploymentStatusOptions {
  owner: string;
  repo: string;
  deploymentId: number;
  state: DeploymentState;
  /** Shown on the deployment; GitHub keeps 140 characters. */
  description?: string;
  /** Link to the run's logs. */
  logUrl?: string;
  environmentUrl?: string;
}

/**
 * `POST /repos/{owner}/{repo}/deployments/{id}/statuses`: marks a GitHub Deployment, e.g. `failure`
 * after an automatic rollback, or `inactive` when it was rolled back on purpose.
 */
export async function setDeploymentStatus(
  octokit: Octokit,
  opts: DeploymentStatusOptions,
  logger: Logger = silentLogger,
): Promise<{ id: number; state: string }> {
  const description =
    opts.description && opts.description.length > 140
      ? `${opts.description.slice(0, 139)}…`
      : opts.description;
  const r = await octokit.rest.repos.createDeploymentStatus({
    owner: opts.owner,
    repo: opts.repo,
    deployment_id: opts.deploymentId,
    state: opts.state,
    description,
    log_url: opts.logUrl,
    environment_url: opts.environmentUrl,
  });
  logger.info(`Deployment ${opts.deploymentId} is now ${r.data.state}`);
  return { id: r.data.id, state: r.data.state };
}
