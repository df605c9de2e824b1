import * as core from '@actions/core';
import {
  isConfigurationError,
  onFirstSignal,
  runCancelHandlers,
  useProcessRunner,
  wrapError,
  type Logger,
} from '@upgrade-actions/common';
import type { ActionDefinition, InputsOf } from './action';
import { envInputSource, parseInputs } from './action';
import { actionsExecRunner } from './exec-runner';
import { classifyFailure } from './failure';
import type { InputSchema } from './input-types';

/** An Actions-runner logger: groups fold in the log, warnings and errors become annotations. */
export const actionsLogger: Logger = {
  debug: (m) => core.debug(m),
  info: (m) => core.info(m),
  warning: (m) => core.warning(m),
  error: (m) => core.error(m),
  group: (name, fn) => {
    for (const l of groupListeners) l(name);
    return core.group(name, fn);
  },
};

export function mask(secret: string): void {
  if (secret) core.setSecret(secret);
}

/** Reads and validates every input of `def` from the runner's INPUT_* environment; masks secrets first. */
export function getInputs<
  D extends ActionDefinition<Record<string, InputSchema<unknown>>, Record<string, string>>,
>(def: D): InputsOf<D> {
  return parseInputs(def, envInputSource(), mask);
}

/** Sets outputs; values that are not strings are written as JSON. Only declared outputs are accepted. */
export function setOutputs<O extends Record<string, string>>(
  def: ActionDefinition<Record<string, InputSchema<unknown>>, O>,
  values: Partial<Record<keyof O & string, unknown>>,
): void {
  for (const [name, value] of Object.entries(values)) {
    if (!(name in def.outputs)) throw new Error(`${def.name}: output ${name} is not declared`);
    if (value === undefined) continue;
    core.setOutput(name, typeof value === 'string' ? value : JSON.stringify(value));
  }
}

export interface Annotation {
  level: 'error' | 'warning' | 'notice';
  message: string;
  title?: string;
  file?: string;
  line?: number;
  endLine?: number;
  column?: number;
}

/** One file/line annotation; @actions/core escapes the properties, so any file name is safe. */
export function annotate(a: Annotation): void {
  const props: core.AnnotationProperties = {
    title: a.title,
    file: a.file,
    startLine: a.line,
    endLine: a.endLine,
    startColumn: a.column,
  };
  if (a.level === 'error') core.error(a.message, props);
  else if (a.level === 'warning') core.warning(a.message, props);
  else core.notice(a.message, props);
}

const POST_STATE = 'isPost';

/**
 * The entry of every action: `run(main)` or `run(main, post)` for actions with a post step.
 * The post phase is detected from saved state (the runner runs the same definition twice).
 * A failure is one clear line; stacks go to the debug log only.
 * Post steps are best-effort: they warn and never hide the main step's result.
 */
export async function run(main: () => Promise<void>, post?: () => Promise<void>): Promise<void> {
  // Stacks are for step debug logging. With it on, map them to src: Node applies source maps to modules
  // loaded after this call, which is every engine (they load lazily, after the inputs). Enabling later,
  // when a stack is printed, maps nothing; enabling always would parse maps on every start-up.
  if (core.isDebug()) process.setSourceMapsEnabled(true);
  // Every program an engine runs goes through @actions/exec in an action (see exec-runner.ts).
  useProcessRunner(actionsExecRunner);
  const isPost = core.getState(POST_STATE) === 'true';
  if (!isPost) {
    if (post) core.saveState(POST_STATE, 'true');
    const stopOnSignal = handleCancellation();
    try {
      await main();
    } catch (thrown) {
      fail(thrown);
    } finally {
      stopOnSignal();
    }
  } else if (post) {
    try {
      await post();
    } catch (thrown) {
      core.warning(`cleanup failed: ${wrapError(thrown).message}`);
    }
  }
}

/**
 * A cancelled job: the runner sends SIGINT, then SIGTERM about 7.5 s later, then kills the process. On the
 * first signal the step says it was cancelled and during which log group, runs the engines' cancel handlers
 * (a Lease given back, …) for at most 5 s, and exits 1 — well inside the runner's grace period.
 */
function handleCancellation(): () => void {
  let group = '';
  const onGroup = (name: string) => (group = name);
  groupListeners.add(onGroup);
  // Later signals (the runner's SIGTERM after its SIGINT) are ignored while the cleanup runs.
  const removeSignals = onFirstSignal((signal) => {
    core.error(
      `cancelled (${signal})${group ? ` during "${group}"` : ''}: the step stopped; what it had done so far stays as the log above says`,
    );
    void runCancelHandlers(5000).finally(() => process.exit(1));
  });
  return () => {
    groupListeners.delete(onGroup);
    removeSignals();
  };
}

/** Who wants to know the log group being written (cancellation says where it stopped). */
export const groupListeners = new Set<(name: string) => void>();

/**
 * Reports a failed step: one `::error::` line saying what failed and what to check (see failure.ts);
 * the stack of anything but a user error goes to the debug log only, shown when debug logging is on.
 */
export function fail(thrown: unknown): void {
  const err: Error = wrapError(thrown);
  if (!isConfigurationError(thrown) && err.stack) core.debug(err.stack);
  core.setFailed(classifyFailure(err).message);
}

/** Prepends a directory to PATH for this step and every later step of the job (installed tools). */
export function addPath(dir: string): void {
  core.addPath(dir);
}

export function saveState(name: string, value: string): void {
  core.saveState(name, value);
}

export function getState(name: string): string {
  return core.getState(name);
}

export { core };
