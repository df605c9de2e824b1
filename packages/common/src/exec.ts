import { spawn } from 'node:child_process';

export interface ExecOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Bytes written to the child's stdin. */
  input?: string | Buffer;
  /** Exit codes that are not failures (default: only 0). */
  okCodes?: number[];
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
 * Runs a program with an argument vector, never through a shell: refs, paths and PR text stay data.
 * Resolves with the raw stdout (callers that use NUL-separated output need the bytes).
 */
export function execFile(file: string, args: readonly string[], opts: ExecOptions = {}): Promise<ExecResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, {
      cwd: opts.cwd,
      env: opts.env ?? process.env,
      stdio: ['pipe', 'pipe', 'pipe'],
      shell: false,
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let timer: NodeJS.Timeout | undefined;
    if (opts.timeoutMs) timer = setTimeout(() => child.kill('SIGTERM'), opts.timeoutMs);
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    child.on('error', (e) => {
      if (timer) clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      const result = {
        code: code ?? (signal ? 128 : 1),
        stdout: Buffer.concat(out),
        stderr: Buffer.concat(err).toString('utf8'),
      };
      const ok = opts.okCodes ?? [0];
      if (ok.includes(result.code)) resolve(result);
      else reject(new ExecError(file, args, result));
    });
    child.stdin.on('error', () => {}); // a child that exits early closes its stdin; its exit code tells the story
    child.stdin.end(opts.input ?? '');
  });
}
