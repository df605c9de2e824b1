export {
  client,
  setLabel,
  upsertStickyComment,
  type GitHubClientOptions,
  type Octokit,
  type PullRequestRef,
} from './pull-request';
export { setDeploymentStatus, type DeploymentState, type DeploymentStatusOptions } from './deployment-status';
