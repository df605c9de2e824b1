export {
  STAGES,
  STAGE_TABLE_HEADER,
  StageFailure,
  StageRunner,
  stageRows,
  verdictOf,
  type StageName,
  type StageOutcome,
  type StageResult,
  type StageReport,
  type Verdict,
} from './stages';
export { clusterInputs, type VerifyClusterInputs } from './cluster-inputs';
export { verifyUpgrade, TORN_DOWN, type VerifyInputs, type VerifyDeps, type VerifyResult } from './verify';
export {
  stagedRollout,
  parseStages,
  type Stage,
  type StagedOutcome,
  type StagedResult,
  type StagedRolloutOptions,
} from './staged-rollout';
export { manualRollbackCommands, shellWord } from './stage-recovery';
