export {
  client,
  setLabel,
  upsertStickyComment,
  type GitHubClientOptions,
  type Octokit,
  type PullRequestRef,
} from './pull-request';
export { setDeploymentStatus, type DeploymentState, type DeploymentStatusOptions } from './deployment-status';
export {
  mergePullRequest,
  requiredChecks,
  checkStates,
  type MergeMethod,
  type MergeOptions,
  type MergeResult,
  type RequiredCheck,
} from './merge-pull-request';
export { createDeployment, DeploymentTracker, type CreateDeploymentOptions } from './deployments';
export { repository } from './repository';
export {
  upsertPullRequest,
  type UpsertPullRequestOptions,
  type UpsertedPullRequest,
} from './upsert-pull-request';
