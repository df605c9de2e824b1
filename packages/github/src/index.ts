export {
  client,
  setLabel,
  upsertStickyComment,
  type GitHubClientOptions,
  type Octokit,
  type PullRequestRef,
} from './pull-request';
