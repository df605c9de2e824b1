import { spawn, type ChildProcess } from 'node:child_process';
import type { Logger } from '@upgrade-actions/common';

/** `kind create cluster` with `--retain`, so a failed create keeps its nodes for `kind export logs`. */
export function createArgs(o: {
  name: string;
  configFile: string;
  kubeconfig: string;
  image?: string;
}): string[] {
  const args = [
    'create',
    'cluster',
    '--name',
    o.name,
    '--config',
    o.configFile,
    '--kubeconfig',
    o.kubeconfig,
  ];
  if (o.image) args.push('--image', o.image);
  args.push('--retain');
  return args;
}

export function deleteArgs(name: string, kubeconfig?: string): string[] {
  return ['delete', 'cluster', '--name', name, ...(kubeconfig ? ['--kubeconfig', kubeconfig] : [])];
}

export function exportLogsArgs(name: string, dir: string): string[] {
  return ['export', 'logs', dir, '--name', name];
}

export function getNodesArgs(name: string): string[] {
  return ['get', 'nodes', '--name', name];
}

/** An archive is a path ending in .tar (optionally compressed); anything else is an image reference. */
export function isArchive(entry: string): boolean {
  return /\.(tar|tar\.gz|tgz)$/i.test(entry);
}

/** `load-images` → one `kind load docker-image` for all references, one `kind load image-archive` per file. */
export function loadArgs(name: string, entries: string[]): string[][] {
  const images = entries.filter((e) => !isArchive(e));
  const archives = entries.filter(isArchive);
  return [
    ...(images.length ? [['load', 'docker-image', ...images, '--name', name]] : []),
    ...archives.map((a) => ['load', 'image-archive', a, '--name', name]),
  ];
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs a program (kind, docker) without a shell, streaming its lines to the log as they come (kind's
 * progress is on stderr), and remembers running children so a cancelled step can stop them.
 */
export class ProgramRunner {
  private readonly running = new Set<ChildProcess>();

  constructor(
    private readonly log: Logger,
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {}

  run(file: string, args: string[], opts: { input?: string; quiet?: boolean } = {}): Promise<RunResult> {
    return new Promise((resolve, reject) => {
      const child = spawn(file, args, { env: this.env, stdio: ['pipe', 'pipe', 'pipe'], shell: false });
      this.running.add(child);
      let stdout = '';
      let stderr = '';
      const lines = (sink: (s: string) => void) => {
        let buf = '';
        return (chunk: Buffer) => {
          buf += chunk.toString('utf8');
          const parts = buf.split('\n');
          buf = parts.pop() ?? '';
          if (!opts.quiet) for (const l of parts) this.log.info(l);
          sink(chunk.toString('utf8'));
        };
      };
      child.stdout.on(
        'data',
        lines((s) => (stdout += s)),
      );
      child.stderr.on(
        'data',
        lines((s) => (stderr += s)),
      );
      child.on('error', (e) => {
        this.running.delete(child);
        reject(new Error(`${file} could not be started: ${e.message}`));
      });
      child.on('close', (code, signal) => {
        this.running.delete(child);
        if (!opts.quiet) {
          const tail = (s: string) => (s.endsWith('\n') ? '' : (s.split('\n').pop() ?? ''));
          for (const t of [tail(stdout), tail(stderr)]) if (t) this.log.info(t);
        }
        resolve({ code: code ?? (signal ? 128 : 1), stdout, stderr });
      });
      child.stdin.on('error', () => {});
      child.stdin.end(opts.input ?? '');
    });
  }

  /** Runs and fails with the program's own last words when it exits non-zero. */
  async must(
    file: string,
    args: string[],
    opts: { input?: string; quiet?: boolean } = {},
  ): Promise<RunResult> {
    const r = await this.run(file, args, opts);
    if (r.code !== 0) {
      const detail = (r.stderr.trim() || r.stdout.trim()).split('\n').slice(-3).join(' | ');
      throw new Error(
        `${[file.split('/').pop(), ...args.slice(0, 2)].join(' ')} exited with code ${r.code}${detail ? `: ${detail}` : ''}`,
      );
    }
    return r;
  }

  /** Stops whatever is still running (on cancellation). */
  stopAll(signal: NodeJS.Signals = 'SIGTERM'): void {
    for (const c of this.running) c.kill(signal);
  }
}
