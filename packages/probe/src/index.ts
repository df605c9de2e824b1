export type { Check, CheckResult, HealthStatus, Level } from './types';
export { roundMs, stopwatch } from './latency';
export { parseThreshold, breaches, formatThreshold, type Threshold, type Operator } from './threshold';
export { parseStatusSet, type StatusSet } from './status-codes';
export { parseTarget, serviceProxyPath, describeTarget, type Target } from './target';
export { targetEndpoint, apiServerUrl, type Endpoint } from './endpoint';
export {
  httpRequest,
  HttpFailure,
  type HttpRequest,
  type HttpResponse,
  type TlsOptions,
} from './http-client';
export {
  httpCheck,
  judgeResponse,
  judgeFailure,
  compilePattern,
  type HttpCheckSpec,
  type ApiServerAccess,
  type ApiCredentials,
} from './http-check';
export {
  PrometheusClient,
  PrometheusError,
  parseSampleValue,
  samplesFromResponse,
  type Sample,
} from './prometheus';
export { PRESETS, expandPreset, type Preset, type PresetParams } from './presets';
export { businessCheck, judgeSamples, type BusinessCheckSpec } from './business-check';
export { assessPods, restartCounts, podCheck, HINTS, type PodLike, type PodFinding } from './pods';
export {
  startEvaluation,
  recordRound,
  verdict,
  type Evaluation,
  type CheckTally,
  type Verdict,
} from './evaluator';
export { buildReport, reportTable, type ProbeReport, type CheckReport } from './report';
export { runProbe, type ProbeOptions } from './probe';
export {
  buildChecks,
  parseChecksText,
  secretValues,
  needsCluster,
  type ProbeInputs,
  type BuildOptions,
} from './spec';
export { apiServerAccess, workloadPodCheck, type WorkloadRef } from './cluster';
export {
  healthProbe,
  planHealthProbe,
  releaseBaseline,
  probeOutputs,
  type HealthProbeInputs,
  type HealthProbeDeps,
  type HealthProbeOutputs,
} from './health-probe';
export { warningEventsCheck, releaseWarnings } from './events';
