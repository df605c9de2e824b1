import { silentLogger, type Logger } from '@upgrade-actions/common';
import { setDeploymentStatus } from './deployment-status';
import type { Octokit } from './pull-request';

export interface CreateDeploymentOptions {
  owner: string;
  repo: string;
  /** The commit (SHA), branch or tag deployed. */
  ref: string;
  environment: string;
  /** Stored with the deployment: the release descriptor, so the Deployments page says what went out. */
  payload: Record<string, unknown>;
  description?: string;
  /** `production_environment`; GitHub infers it for an environment named production. */
  production?: boolean;
}

/**
 * `POST /repos/{owner}/{repo}/deployments` for a release. `auto_merge` is off (we never want GitHub to
 * merge the default branch into the ref) and `required_contexts` is empty: the checks were judged before
 * (merge-pull-request refuses a red one), and an empty list is how GitHub's API says "do not re-check".
 */
export async function createDeployment(
  octokit: Octokit,
  opts: CreateDeploymentOptions,
  logger: Logger = silentLogger,
): Promise<{ id: number; url: string }> {
  const r = await octokit.rest.repos.createDeployment({
    owner: opts.owner,
    repo: opts.repo,
    ref: opts.ref,
    environment: opts.environment,
    payload: opts.payload as { [key: string]: unknown },
    description: opts.description,
    auto_merge: false,
    required_contexts: [],
    ...(opts.production !== undefined ? { production_environment: opts.production } : {}),
  });
  // 202 carries {message} instead of a deployment (an auto-merge happened); with auto_merge off it is unexpected.
  const d = r.data as { id?: number; url?: string; message?: string };
  if (typeof d.id !== 'number') throw new Error(`GitHub created no deployment: ${d.message ?? r.status}`);
  logger.info(`GitHub Deployment ${d.id} for ${opts.ref} to ${opts.environment}`);
  return { id: d.id, url: d.url ?? '' };
}

/** A deployment this run owns: statuses move in_progress → success / failure, best effort at each step. */
export class DeploymentTracker {
  constructor(
    private readonly octokit: Octokit,
    readonly owner: string,
    readonly repo: string,
    readonly id: number,
    private readonly defaults: { logUrl?: string; environmentUrl?: string } = {},
    private readonly logger: Logger = silentLogger,
  ) {}

  async status(
    state: 'in_progress' | 'success' | 'failure' | 'error' | 'inactive',
    description: string,
  ): Promise<void> {
    await setDeploymentStatus(
      this.octokit,
      {
        owner: this.owner,
        repo: this.repo,
        deploymentId: this.id,
        state,
        description,
        logUrl: this.defaults.logUrl,
        environmentUrl: this.defaults.environmentUrl,
      },
      this.logger,
    );
  }
}
