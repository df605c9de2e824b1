import { execFile, type ExecResult, type Logger, silentLogger } from '@upgrade-actions/common';
import { parseGitVersion, type GitVersion } from './version';

export interface TreeEntry {
  mode: string;
  type: 'blob' | 'tree' | 'commit';
  oid: string;
  path: string;
}

/**
 * A small adapter over the git binary in one repository. Every call is `git <args>` without a shell;
 * user-given revisions are validated by the caller and passed after `--end-of-options`.
 */
export class Git {
  constructor(
    readonly cwd: string,
    readonly logger: Logger = silentLogger,
    private readonly gitBinary = 'git',
  ) {}

  /** Runs git; `okCodes` lists exit codes that are answers rather than failures. */
  async run(args: string[], opts: { okCodes?: number[]; input?: string | Buffer } = {}): Promise<ExecResult> {
    this.logger.debug(`git ${args.join(' ')}`);
    return execFile(this.gitBinary, args, {
      cwd: this.cwd,
      okCodes: opts.okCodes,
      input: opts.input,
      env: {
        ...process.env,
        // Messages are matched by text in a few places; never prompt for credentials in CI.
        LC_ALL: 'C',
        LANGUAGE: '',
        GIT_TERMINAL_PROMPT: '0',
        GIT_OPTIONAL_LOCKS: '0',
      },
    });
  }

  async text(args: string[]): Promise<string> {
    return (await this.run(args)).stdout.toString('utf8').trim();
  }

  async version(): Promise<GitVersion> {
    return parseGitVersion(await this.text(['version']));
  }

  /** The top of the work tree (or the git dir of a bare repository); undefined outside a repository. */
  async repositoryRoot(): Promise<string | undefined> {
    const r = await this.run(['rev-parse', '--absolute-git-dir'], { okCodes: [0, 128] });
    return r.code === 0 ? r.stdout.toString('utf8').trim() : undefined;
  }

  /** The top of the work tree; undefined in a bare repository. Paths from merge-tree are relative to it. */
  async topLevel(): Promise<string | undefined> {
    const r = await this.run(['rev-parse', '--show-toplevel'], { okCodes: [0, 128] });
    const top = r.stdout.toString('utf8').trim();
    return r.code === 0 && top ? top : undefined;
  }

  /** The commit a revision names, or undefined when the repository does not have it. */
  async resolveCommit(rev: string): Promise<string | undefined> {
    const r = await this.run(['rev-parse', '--verify', '--quiet', '--end-of-options', `${rev}^{commit}`], {
      okCodes: [0, 1, 128],
    });
    return r.code === 0 ? r.stdout.toString('utf8').trim() : undefined;
  }

  async isShallow(): Promise<boolean> {
    return (await this.text(['rev-parse', '--is-shallow-repository'])) === 'true';
  }

  /** The best common ancestor, or undefined when the histories (as far as we have them) do not meet. */
  async mergeBase(a: string, b: string): Promise<string | undefined> {
    const r = await this.run(['merge-base', '--end-of-options', a, b], { okCodes: [0, 1] });
    return r.code === 0 ? r.stdout.toString('utf8').trim() : undefined;
  }

  async fetch(
    remote: string,
    refs: string[],
    depth: { depth?: number; deepen?: number; unshallow?: boolean },
  ) {
    const args = ['fetch', '--no-tags', '--no-recurse-submodules', '--quiet'];
    if (depth.depth) args.push(`--depth=${depth.depth}`);
    if (depth.deepen) args.push(`--deepen=${depth.deepen}`);
    if (depth.unshallow) args.push('--unshallow');
    return this.run([...args, '--end-of-options', remote, ...refs]);
  }

  /** Paths changed between two commits (no rename detection: a rename is a delete and an add). */
  async changedPaths(from: string, to: string): Promise<string[]> {
    const r = await this.run([
      'diff-tree',
      '-r',
      '-z',
      '--name-only',
      '--no-renames',
      '--end-of-options',
      from,
      to,
    ]);
    return r.stdout.toString('utf8').split('\0').filter(Boolean);
  }

  /** Entries of `tree` at exactly `paths` (no pathspec magic: a file named `*` or `:(glob)x` is literal). */
  async lsTree(tree: string, paths: string[]): Promise<Map<string, TreeEntry>> {
    const found = new Map<string, TreeEntry>();
    for (let at = 0; at < paths.length; at += 500) {
      const chunk = paths.slice(at, at + 500);
      const r = await this.run(['--literal-pathspecs', 'ls-tree', '-z', '--full-tree', tree, '--', ...chunk]);
      for (const rec of r.stdout.toString('utf8').split('\0')) {
        const m = /^(\d+) (blob|tree|commit) ([0-9a-f]+)\t([\s\S]*)$/.exec(rec);
        if (m) found.set(m[4], { mode: m[1], type: m[2] as TreeEntry['type'], oid: m[3], path: m[4] });
      }
    }
    return found;
  }

  /** Reads blobs by id through one `git cat-file --batch` process. */
  async readBlobs(oids: string[]): Promise<Map<string, Buffer>> {
    const unique = [...new Set(oids)];
    const out = new Map<string, Buffer>();
    if (unique.length === 0) return out;
    const r = await this.run(['cat-file', '--batch'], { input: unique.join('\n') + '\n' });
    const buf = r.stdout;
    let pos = 0;
    while (pos < buf.length) {
      const eol = buf.indexOf(0x0a, pos);
      const header = buf.subarray(pos, eol).toString('utf8');
      const m = /^([0-9a-f]+) (\S+) (\d+)$/.exec(header);
      if (!m) {
        pos = eol + 1; // "<oid> missing"
        continue;
      }
      const size = Number(m[3]);
      out.set(m[1], buf.subarray(eol + 1, eol + 1 + size));
      pos = eol + 1 + size + 1;
    }
    return out;
  }
}
