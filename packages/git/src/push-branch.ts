import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  ConfigurationError,
  ExecError,
  execFile,
  silentLogger,
  type ExecResult,
  type Logger,
} from '@upgrade-actions/common';

/** Who commits when the checkout has no git identity: the account GitHub shows for `github.token`. */
export const BOT_IDENTITY = {
  name: 'github-actions[bot]',
  email: '41898282+github-actions[bot]@users.noreply.github.com',
};

/** A checkout ready to receive one bot commit on `branch`, checked before anything is written. */
export interface BranchTarget {
  /** The top of the work tree. */
  top: string;
  /** The folder paths are relative to, as a prefix inside the work tree (`deploy/`, or ''). */
  prefix: string;
  remote: string;
  branch: string;
  /** The commit the bot commit goes on (the checkout's HEAD). */
  head: string;
  /** Environment for git: no prompt, C messages, and for https remotes the token as an extra header. */
  env: NodeJS.ProcessEnv;
  logger: Logger;
}

export interface PrepareBranchOptions {
  /** Any folder inside the checkout; the files given later are relative to it. */
  cwd: string;
  branch: string;
  /** Default `origin`, the remote actions/checkout sets up. */
  remote?: string;
  /** For an https remote: sent as `AUTHORIZATION: basic` (as actions/checkout does), never in a URL. */
  token?: string;
  /** Called with every secret before use (the action masks it). */
  onSecret?: (secret: string) => void;
  /** Input names for messages. */
  names?: { branch?: string; cwd?: string };
  logger?: Logger;
}

const git = (
  target: Pick<BranchTarget, 'top' | 'env' | 'logger'>,
  args: string[],
  okCodes = [0],
  input?: string,
) => {
  target.logger.debug(`git ${args.join(' ')}`);
  return execFile('git', args, { cwd: target.top, env: target.env, okCodes, input });
};
const out = (r: ExecResult) => r.stdout.toString('utf8').trim();

/**
 * The git environment of a push. The token travels as configuration in the environment
 * (GIT_CONFIG_COUNT, read like `git -c`), so it is in no command line and no log; the empty first value
 * drops the header actions/checkout persisted for the same URL, or GitHub would get two Authorization
 * headers and refuse both.
 */
export function gitEnv(remoteUrl: string, token: string | undefined, onSecret?: (s: string) => void) {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    LC_ALL: 'C',
    LANGUAGE: '',
    GIT_TERMINAL_PROMPT: '0',
  };
  if (token && /^https?:\/\//i.test(remoteUrl)) {
    const basic = Buffer.from(`x-access-token:${token}`).toString('base64');
    onSecret?.(token);
    onSecret?.(basic);
    const key = `http.${new URL(remoteUrl).origin}/.extraheader`;
    Object.assign(env, {
      GIT_CONFIG_COUNT: '2',
      GIT_CONFIG_KEY_0: key,
      GIT_CONFIG_VALUE_0: '',
      GIT_CONFIG_KEY_1: key,
      GIT_CONFIG_VALUE_1: `AUTHORIZATION: basic ${basic}`,
    });
  }
  return env;
}

/**
 * Checks, before any side effect, that `cwd` is a git checkout with a commit and the remote, and that
 * `branch` is a valid branch name.
 */
export async function prepareBranch(opts: PrepareBranchOptions): Promise<BranchTarget> {
  const logger = opts.logger ?? silentLogger;
  const names = { branch: 'branch', cwd: 'working-directory', ...opts.names };
  const remote = opts.remote ?? 'origin';
  const probe = { top: opts.cwd, env: gitEnv('', undefined), logger };
  let top: string;
  try {
    const r = await git(probe, ['rev-parse', '--show-toplevel'], [0, 128]);
    if (r.code !== 0 || !out(r)) throw new Error(r.stderr.trim() || 'a bare repository');
    top = out(r);
  } catch (e) {
    throw new ConfigurationError(
      `${names.cwd}: ${opts.cwd} is not inside a git checkout (${(e as Error).message}); run actions/checkout first, or set dry-run: true`,
    );
  }
  const prefix = (await git(probe, ['rev-parse', '--show-prefix'])).stdout.toString('utf8').trim();
  const valid = await git({ ...probe, top }, ['check-ref-format', `refs/heads/${opts.branch}`], [0, 1]);
  if (valid.code !== 0 || opts.branch.startsWith('-') || opts.branch === '')
    throw new ConfigurationError(
      `${names.branch}: "${opts.branch}" is not a valid branch name (git check-ref-format); e.g. upgrade-actions/patch-sweep`,
    );
  const url = await git({ ...probe, top }, ['remote', 'get-url', '--', remote], [0, 2, 128]);
  if (url.code !== 0)
    throw new ConfigurationError(`the checkout at ${top} has no remote "${remote}" to push the branch to`);
  const head = await git({ ...probe, top }, ['rev-parse', '--verify', '--quiet', 'HEAD^{commit}'], [0, 1]);
  if (head.code !== 0) throw new ConfigurationError(`the checkout at ${top} has no commit yet (HEAD)`);
  return {
    top,
    prefix,
    remote,
    branch: opts.branch,
    head: out(head),
    env: gitEnv(out(url), opts.token, opts.onSecret),
    logger,
  };
}

export interface BranchPush {
  /** The commit the branch points at on the remote now; '' when no tracked file changed (nothing committed). */
  commit: string;
  /** False when the remote branch already held the same change on the same base: nothing was pushed. */
  pushed: boolean;
  /** Files left out because git does not track them (the bot commits only tracked files). */
  untracked: string[];
}

/** Mode of each path in HEAD; paths git does not track are absent. */
async function headModes(t: BranchTarget, paths: string[]): Promise<Map<string, string>> {
  const modes = new Map<string, string>();
  for (let at = 0; at < paths.length; at += 500) {
    const r = await git(t, [
      '--literal-pathspecs',
      'ls-tree',
      '-z',
      '--full-tree',
      t.head,
      '--',
      ...paths.slice(at, at + 500),
    ]);
    for (const rec of r.stdout.toString('utf8').split('\0')) {
      const m = /^(\d+) blob [0-9a-f]+\t([\s\S]*)$/.exec(rec);
      if (m) modes.set(m[2], m[1]);
    }
  }
  return modes;
}

/** The remote branch's commit, or '' when the remote has no such branch. */
async function remoteBranch(t: BranchTarget): Promise<string> {
  const r = await git(t, ['ls-remote', '--exit-code', '--', t.remote, `refs/heads/${t.branch}`], [0, 2, 128]);
  if (r.code === 128)
    throw new Error(`cannot read branch ${t.branch} of remote "${t.remote}": ${r.stderr.trim()}`);
  return r.code === 0 ? out(r).split(/\s/)[0] : '';
}

/**
 * Commits `files` (path relative to the prepared folder → new text) on top of HEAD as one commit and
 * force-pushes it to the remote branch. The work tree, the index and HEAD are left alone: the commit is
 * built from the texts in a scratch index. The identity is the checkout's git user, else
 * github-actions[bot]. When the remote branch already holds the same tree on the same parent, nothing is
 * pushed (a re-run with nothing new changes nothing). The lease is the remote commit just read, so a push
 * that raced someone else's is refused rather than overwriting it.
 */
export async function commitAndPush(
  t: BranchTarget,
  files: Map<string, string>,
  /** The commit message, or a function of the untracked paths left out (to leave them out of it too). */
  message: string | ((untracked: string[]) => string),
): Promise<BranchPush> {
  const repoPaths = [...files.keys()].map((f) => path.posix.join(t.prefix, f.split(path.sep).join('/')));
  const modes = await headModes(t, repoPaths);
  const untracked = repoPaths.filter((p) => !modes.has(p));
  const scratch = await mkdtemp(path.join(tmpdir(), 'upgrade-actions-index-'));
  const indexEnv = { ...t.env, GIT_INDEX_FILE: path.join(scratch, 'index') };
  const withIndex = { ...t, env: indexEnv };
  let commit: string;
  try {
    await git(withIndex, ['read-tree', t.head]);
    for (const [file, text] of files) {
      const p = path.posix.join(t.prefix, file.split(path.sep).join('/'));
      if (!modes.has(p)) continue;
      // --path applies the file's attributes (eol, filters) as `git add` would.
      const oid = out(await git(t, ['hash-object', '-w', '--stdin', `--path=${p}`], [0], text));
      await git(withIndex, ['update-index', '--cacheinfo', `${modes.get(p)},${oid},${p}`]);
    }
    const tree = out(await git(withIndex, ['write-tree']));
    if (tree === out(await git(t, ['rev-parse', `${t.head}^{tree}`]))) {
      t.logger.info('no tracked file changes: nothing to commit');
      return { commit: '', pushed: false, untracked };
    }
    const identity = await gitIdentity(t);
    commit = out(
      await git(
        { ...t, env: { ...t.env, ...identity } },
        ['commit-tree', tree, '-p', t.head, '-F', '-'],
        [0],
        typeof message === 'string' ? message : message(untracked),
      ),
    );
    const remote = await remoteBranch(t);
    if (remote && (await sameChange(t, remote, tree))) {
      t.logger.info(
        `${t.remote}/${t.branch} already holds this change on ${t.head.slice(0, 12)}: nothing to push`,
      );
      return { commit: remote, pushed: false, untracked };
    }
    try {
      await git(t, [
        'push',
        '--quiet',
        `--force-with-lease=refs/heads/${t.branch}:${remote}`,
        '--',
        t.remote,
        `${commit}:refs/heads/${t.branch}`,
      ]);
    } catch (e) {
      const detail = e instanceof ExecError ? e.result.stderr.trim() : (e as Error).message;
      throw new Error(`the remote "${t.remote}" refused the push of branch ${t.branch}: ${detail}`);
    }
    t.logger.info(
      `pushed ${commit.slice(0, 12)} to ${t.remote} as ${t.branch}${remote ? ' (forced over the previous sweep)' : ''}`,
    );
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
  return { commit, pushed: true, untracked };
}

/** The checkout's identity when git has one configured, else github-actions[bot]. */
async function gitIdentity(t: BranchTarget): Promise<NodeJS.ProcessEnv> {
  const get = async (key: string) => out(await git(t, ['config', '--get', key], [0, 1]));
  const [name, email] = await Promise.all([get('user.name'), get('user.email')]);
  if (name && email) return {};
  return {
    GIT_AUTHOR_NAME: BOT_IDENTITY.name,
    GIT_AUTHOR_EMAIL: BOT_IDENTITY.email,
    GIT_COMMITTER_NAME: BOT_IDENTITY.name,
    GIT_COMMITTER_EMAIL: BOT_IDENTITY.email,
  };
}

/** Whether the remote commit is our change: the same tree on the same parent. */
async function sameChange(t: BranchTarget, remoteCommit: string, tree: string): Promise<boolean> {
  const fetched = await git(
    t,
    ['fetch', '--no-tags', '--quiet', '--', t.remote, `refs/heads/${t.branch}`],
    [0, 1, 128],
  );
  if (fetched.code !== 0) return false; // unreadable: push, the lease still guards it
  const r = await git(t, ['cat-file', '-p', remoteCommit], [0, 128]);
  if (r.code !== 0) return false;
  const header = out(r).split('\n\n')[0].split('\n');
  const parents = header.filter((l) => l.startsWith('parent ')).map((l) => l.slice(7));
  return header.includes(`tree ${tree}`) && parents.length === 1 && parents[0] === t.head;
}
