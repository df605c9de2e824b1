import { spawn } from 'node:child_process';

export interface ExecOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Bytes written to the child's stdin (which is closed either way, so no child waits on it). */
  input?: string | Buffer;
  /** Exit codes that are not failures (default: only 0). */
  okCodes?: number[];
  /** Ends the program with SIGTERM after this long; it then counts as ended by a signal (code 128). */
  timeoutMs?: number;
}

export interface ExecResult {
  code: number;
  stdout: Buffer;
  stderr: string;
}

export class ExecError extends Error {
  constructor(
    readonly file: string,
    readonly args: readonly string[],
    readonly result: ExecResult,
  ) {
    const detail = result.stderr.trim() || result.stdout.toString('utf8').trim();
    super(`${file} ${args.join(' ')} exited with code ${result.code}${detail ? `: ${detail}` : ''}`);
    this.name = 'ExecError';
  }
}

/**
 * Starts a program with an argument vector, never through a shell, and resolves with its exit code
 * (128 when a signal ended it) and its whole output, whatever the code. Rejects only when the program
 * could not run. Engines never pick one: the process entry does (see useProcessRunner).
 */
export type ProcessRunner = (
  file: string,
  args: readonly string[],
  opts: Omit<ExecOptions, 'okCodes'>,
) => Promise<ExecResult>;

/** node:child_process, for the command line and tests; the actions use the toolkit's @actions/exec runner. */
export const spawnRunner: ProcessRunner = (file, args, opts) =>
  new Promise((resolve, reject) => {
    const child = spawn(file, args, {
      cwd: opts.cwd,
      env: opts.env ?? process.env,
      stdio: ['pipe', 'pipe', 'pipe'],
      shell: false,
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    const timer = opts.timeoutMs ? setTimeout(() => child.kill('SIGTERM'), opts.timeoutMs) : undefined;
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({
        code: code ?? (signal ? 128 : 1),
        stdout: Buffer.concat(out),
        stderr: Buffer.concat(err).toString('utf8'),
      });
    });
    child.stdin.on('error', () => {}); // a child that exits early closes its stdin; its exit code tells the story
    child.stdin.end(opts.input ?? '');
  });

let runner: ProcessRunner = spawnRunner;

/** Chooses how this process runs programs; called once by the entry (the toolkit's run() for actions). */
export function useProcessRunner(next: ProcessRunner): void {
  runner = next;
}

/**
 * Runs a program with an argument vector, never through a shell: refs, paths and PR text stay data.
 * Resolves with the raw stdout (callers that use NUL-separated output need the bytes); an exit code
 * outside `okCodes` rejects with an ExecError carrying the output.
 */
export async function execFile(
  file: string,
  args: readonly string[],
  opts: ExecOptions = {},
): Promise<ExecResult> {
  const { okCodes = [0], ...rest } = opts;
  const result = await runner(file, args, rest);
  if (!okCodes.includes(result.code)) throw new ExecError(file, args, result);
  return result;
}
