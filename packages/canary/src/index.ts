export { parseSteps, DEFAULT_STEPS } from './steps';
export {
  CANARY_STATE_ANNOTATION,
  MAX_ROUNDS_KEPT,
  readCanaryState,
  writeCanaryState,
  newCanaryState,
  type CanaryPhase,
  type CanaryState,
  type RoundRecord,
  type StepRecord,
} from './state';
export {
  decide,
  recordRound,
  advance,
  aborted,
  promoted,
  trafficWeight,
  type Decision,
  type Timing,
} from './plan';
export type { Trip } from '@upgrade-actions/analysis';
export { runCanary, type CanaryOptions, type CanaryResult, type CanaryAction } from './engine';
export { CanaryCluster, PINNED_ANNOTATION } from './cluster';
export {
  CANARY_ROLE_LABEL,
  CANARY_OF_ANNOTATION,
  canaryName,
  renderCanaryDeployment,
  routedCanaryReplicas,
} from './objects';
export { parseMatches } from './matches';
export { analysisJson, stepRows, mermaidCharts } from './report';
