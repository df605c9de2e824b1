// The two ways tests run `upgrade-actions`: a command in this process (its logger, stdout and stderr
// captured), and the built CLI as its own process (what a terminal or a runner starts).
import { execFile, spawn, type ChildProcessByStdio } from 'node:child_process';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { memoryLogger } from '@upgrade-actions/common';
import type { Command } from '../../packages/cli/src/command';
import { commands } from '../../packages/cli/src/commands/index';
import { node24, repoRoot } from './run-action';

/** The built CLI (npm's pretest builds dist). */
export const cliPath = path.join(repoRoot, 'dist', 'cli', 'index.js');

export interface CommandRun {
  code: number;
  stdout: string;
  stderr: string;
  /** What the command logged, line by line. */
  log: string[];
}

/** Runs the command `name` in this process; it rejects as the CLI's entry point would see the error. */
export async function runCommand(
  name: string,
  argv: string[],
  opts: { cwd: string; env?: Record<string, string> },
): Promise<CommandRun> {
  const cmd: Command = await commands.find((c) => c.name === name)!.load();
  let stdout = '';
  let stderr = '';
  const logger = memoryLogger();
  const code = await cmd.run({
    argv,
    logger,
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    cwd: opts.cwd,
    env: opts.env ?? {},
  });
  return { code, stdout, stderr, log: logger.lines };
}

export interface CliRun {
  /** The exit code; null when a signal ended the process. */
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs the built CLI with `args` (no shell) and resolves with how it ended, a failure included. Async on
 * purpose: a sync child would block the event loop of an in-process simulator it talks to.
 */
export function runBuiltCli(args: string[], opts: { cwd: string; env?: NodeJS.ProcessEnv }): Promise<CliRun> {
  return new Promise((resolve) =>
    execFile(
      node24,
      [cliPath, ...args],
      { cwd: opts.cwd, env: opts.env ?? process.env },
      (e, stdout, stderr) =>
        resolve({ code: e ? (typeof e.code === 'number' ? e.code : null) : 0, stdout, stderr }),
    ),
  );
}

/** Starts the built CLI with its output piped (no input), for a test that signals it while it runs. */
export function spawnBuiltCli(
  args: string[],
  opts: { cwd: string },
): ChildProcessByStdio<null, Readable, Readable> {
  return spawn(node24, [cliPath, ...args], { cwd: opts.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
}
