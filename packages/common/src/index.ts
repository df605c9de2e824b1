export { ConfigurationError, wrapError, isConfigurationError } from './errors';
export { type Logger, type ConsoleLoggerOptions, consoleLogger, memoryLogger, silentLogger } from './logger';
export { parseDuration, formatDuration } from './duration';
export {
  execFile,
  ExecError,
  spawnRunner,
  useProcessRunner,
  type ExecOptions,
  type ExecResult,
  type ProcessRunner,
} from './exec';
export { onCancel, onFirstSignal, runCancelHandlers } from './cancel';
export { checkOutputFile, writeOutputFile, type OutputPathOptions } from './output-path';
export { isKubeconfigContent, kubeconfigContentSecrets } from './kubeconfig-text';
export { abortableSleep } from './sleep';
export { freePort } from './free-port';
export { stopProcess } from './stop-process';
export {
  kubeNameProblem,
  checkKubeName,
  changeCauseProblem,
  workloadRefProblem,
  objectMetaProblems,
  type KubeNameRule,
} from './kube-names';
