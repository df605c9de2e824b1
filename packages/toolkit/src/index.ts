export * as input from './input-types';
export { inputMeta, type InputMeta, type InputSchema } from './input-types';
export {
  defineAction,
  parseInputs,
  envInputSource,
  toCamel,
  type ActionDefinition,
  type InputsOf,
} from './action';
export {
  actionsLogger,
  addPath,
  annotate,
  fail,
  getInputs,
  getState,
  mask,
  run,
  saveState,
  setOutputs,
  type Annotation,
} from './runtime';
export { actionsExecRunner } from './exec-runner';
export { Summary, escapeHtml, htmlTable } from './summary';
export { readEvent, eventName } from './event';
export { classifyFailure, type ClassifiedFailure } from './failure';
