import * as core from '@actions/core';
import { exec } from '@actions/exec';
import { spawnRunner, type ProcessRunner } from '@upgrade-actions/common';

/**
 * Programs the actions call (git, kubectl, credential plugins) run through @actions/exec, as on every
 * other action: `[command]file args…` in the log, arguments as an array, no shell. Output is captured,
 * not echoed (`silent`): it is parsed (git's NUL-separated and binary output must stay bytes), can be
 * large (kubectl JSON), and may hold credentials (an exec plugin's token), so only the command line is
 * logged. Exit codes are the caller's to judge (execFile's okCodes).
 */
export const actionsExecRunner: ProcessRunner = async (file, args, opts) => {
  core.info(`[command]${[file, ...args].join(' ')}`);
  // Two kinds of call keep the node:child_process runner (same arguments, same result), where
  // @actions/exec gets in the way: it gives no handle on the child, so it can neither end one that
  // outlives its time limit nor catch the EPIPE of writing stdin to a child that already exited (an
  // unhandled 'error' that crashed the step when git failed fast).
  if (opts.timeoutMs || opts.input !== undefined) return spawnRunner(file, args, opts);
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  const code = await exec(file, [...args], {
    cwd: opts.cwd,
    env: opts.env as Record<string, string> | undefined,
    silent: true,
    ignoreReturnCode: true,
    listeners: { stdout: (d) => out.push(d), stderr: (d) => err.push(d) },
  });
  return {
    // A child ended by a signal has no exit code: 128, as the node:child_process runner says.
    code: code ?? 128,
    stdout: Buffer.concat(out),
    stderr: Buffer.concat(err).toString('utf8'),
  };
};
