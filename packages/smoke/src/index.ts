export {
  smokeFileSchema,
  type SmokeFile,
  type SmokeStep,
  type Expectation,
  type JsonAssertion,
} from './schema';
export { loadSmokeFile, type LoadedSmokeFile } from './load';
export { evaluate, type Observed, type Failure } from './assertions';
export { queryJson, compileJsonPath } from './jsonpath';
export { interpolate, referencedVariables, flattenVariables } from './variables';
export { junitXml, escapeXml, type JUnitCase } from './junit';
export {
  runSmoke,
  baseUrlText,
  resolveBase,
  describe as describeStep,
  type SmokeReport,
  type StepResult,
  type SmokeOptions,
  type Phase,
} from './runner';
export { reportJUnit, reportTable } from './report';
export { runSmokeJob, jobReport, type JobSmokeOptions, type JobSmokeResult } from './job';
export {
  smokeTest,
  planSmokeTest,
  runSmokePlan,
  parseVariables,
  type SmokeTestRequest,
  type SmokeTestDeps,
  type SmokePlan,
} from './smoke-test';
