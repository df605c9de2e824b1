export {
  checkMerge,
  nameCommits,
  type MergeCheckOptions,
  type MergeCheckResult,
  type MergeProblem,
} from './merge-check';
export {
  parseMergeTreeOutput,
  conflictsOf,
  reasonOfMessage,
  type Conflict,
  type ConflictReason,
  type MergeTreeMessage,
  type MergeTreeOutput,
} from './merge-tree-output';
export { firstConflictMarkerLine } from './conflict-markers';
export {
  parseGitVersion,
  supportsMergeTree,
  requireMergeTree,
  MERGE_TREE_MIN,
  type GitVersion,
} from './version';
export { validateRevision, isFetchableRefName, FULL_SHA } from './refs';
export {
  resolvePair,
  fetchableRef,
  deepenSteps,
  DEFAULT_FETCH_POLICY,
  type FetchPolicy,
  type ResolvedPair,
} from './fetch';
export { Git, type TreeEntry } from './git';
export { checkManifest, isManifestPath, isTemplated, lineAt, type ManifestProblem } from './manifest-check';
export {
  COMMENT_MARKER,
  annotationMessage,
  commentMarkdown,
  headline,
  isManifestReason,
  plural,
  problemRows,
  textReport,
  visible,
} from './report';
export {
  prepareBranch,
  commitAndPush,
  gitEnv,
  BOT_IDENTITY,
  type BranchTarget,
  type BranchPush,
  type PrepareBranchOptions,
} from './push-branch';
