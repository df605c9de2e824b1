export { buildAnalysis, outcome, ANALYSIS_INPUTS, type Analysis, type AnalysisSpec } from './analysis';
export { recordFailures, UNREACHABLE_LIMIT, type RoundRecord, type CheckOutcome, type Trip } from './round';
export { renderTemplate, promDuration, deploymentPodMatcher, type AnalysisVars } from './templates';
export { comparisonCheck, judgeComparison, parseLimit, bound, describeLimit, type Limit } from './compare';
