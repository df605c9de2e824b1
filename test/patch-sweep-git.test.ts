import { execFile, execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { BOT_IDENTITY, commitAndPush, gitEnv, prepareBranch } from '@upgrade-actions/git';

// The sweep's branch: one commit on HEAD, force-pushed to a local bare repository standing in for GitHub.

// The machine's own git identity (~/.gitconfig) must not stand in for "git is configured".
const saved = { global: process.env.GIT_CONFIG_GLOBAL, nosystem: process.env.GIT_CONFIG_NOSYSTEM };
beforeAll(() => {
  const empty = path.join(mkdtempSync(path.join(tmpdir(), 'gitconfig-')), 'config');
  writeFileSync(empty, '');
  process.env.GIT_CONFIG_GLOBAL = empty;
  process.env.GIT_CONFIG_NOSYSTEM = '1';
});
afterAll(() => {
  for (const [k, v] of [
    ['GIT_CONFIG_GLOBAL', saved.global],
    ['GIT_CONFIG_NOSYSTEM', saved.nosystem],
  ] as const)
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
});

const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, LC_ALL: 'C' } }).trim();

/** A bare remote and a clone of it with one commit on main; no git identity unless asked. */
function checkout(identity = false): { remote: string; work: string } {
  const dir = mkdtempSync(path.join(tmpdir(), 'sweep-git-'));
  const remote = path.join(dir, 'remote.git');
  const work = path.join(dir, 'work');
  git(dir, 'init', '--quiet', '--bare', '--initial-branch=main', remote);
  git(dir, 'clone', '--quiet', remote, work);
  mkdirSync(path.join(work, 'deploy'));
  writeFileSync(path.join(work, 'deploy', 'app.yaml'), 'image: nginx:1.25.1 # pinned\n');
  writeFileSync(path.join(work, 'deploy', 'run.sh'), 'image: nginx:1.25.1\n');
  chmodSync(path.join(work, 'deploy', 'run.sh'), 0o755);
  git(work, 'add', '.');
  git(work, '-c', 'user.name=Dev', '-c', 'user.email=dev@example.com', 'commit', '--quiet', '-m', 'init');
  git(work, 'push', '--quiet', 'origin', 'HEAD:main');
  if (identity) {
    git(work, 'config', 'user.name', 'Release Bot');
    git(work, 'config', 'user.email', 'release@example.com');
  }
  return { remote, work };
}

const bump = new Map([
  ['app.yaml', 'image: nginx:1.25.3 # pinned\n'],
  ['run.sh', 'image: nginx:1.25.3\n'],
]);

test('one commit on HEAD as github-actions[bot], pushed to the branch; the work tree, index and HEAD stay', async () => {
  const { remote, work } = checkout();
  const head = git(work, 'rev-parse', 'HEAD');
  const t = await prepareBranch({ cwd: path.join(work, 'deploy'), branch: 'upgrade-actions/patch-sweep' });
  const r = await commitAndPush(t, bump, 'Bump image patch releases\n\n- nginx 1.25.1 → 1.25.3\n');
  expect(r).toMatchObject({ pushed: true, untracked: [] });
  expect(git(remote, 'rev-parse', 'refs/heads/upgrade-actions/patch-sweep')).toBe(r.commit);
  expect(git(remote, 'log', '-1', '--format=%an <%ae>|%cn <%ce>|%P|%B', r.commit)).toBe(
    `${BOT_IDENTITY.name} <${BOT_IDENTITY.email}>|${BOT_IDENTITY.name} <${BOT_IDENTITY.email}>|${head}|Bump image patch releases\n\n- nginx 1.25.1 → 1.25.3`,
  );
  expect(git(remote, 'show', `${r.commit}:deploy/app.yaml`)).toBe('image: nginx:1.25.3 # pinned');
  // The executable bit is kept.
  expect(git(remote, 'ls-tree', r.commit, 'deploy/run.sh')).toMatch(/^100755 /);
  expect(git(work, 'rev-parse', 'HEAD')).toBe(head);
  expect(git(work, 'status', '--porcelain')).toBe('');
  expect(readFileSync(path.join(work, 'deploy', 'app.yaml'), 'utf8')).toBe('image: nginx:1.25.1 # pinned\n');
});

test('a configured git user commits instead of the bot', async () => {
  const { remote, work } = checkout(true);
  const t = await prepareBranch({ cwd: work, branch: 'sweep' });
  const r = await commitAndPush(t, new Map([['deploy/app.yaml', 'image: nginx:1.25.3\n']]), 'bump');
  expect(git(remote, 'log', '-1', '--format=%an <%ae>', r.commit)).toBe('Release Bot <release@example.com>');
});

test('the same change again pushes nothing; a new change force-pushes over the previous sweep', async () => {
  const { remote, work } = checkout();
  const t = await prepareBranch({ cwd: path.join(work, 'deploy'), branch: 'sweep' });
  const first = await commitAndPush(t, bump, 'bump');
  const again = await commitAndPush(t, bump, 'bump');
  expect(again).toEqual({ commit: first.commit, pushed: false, untracked: [] });
  const next = await commitAndPush(t, new Map([['app.yaml', 'image: nginx:1.25.4 # pinned\n']]), 'bump');
  expect(next.pushed).toBe(true);
  expect(git(remote, 'rev-parse', 'refs/heads/sweep')).toBe(next.commit);
  // Forced: the new commit replaces the old one on HEAD, it does not stack on it.
  expect(git(remote, 'rev-list', '--count', 'refs/heads/sweep')).toBe('2');
});

test('files git does not track are left out and reported', async () => {
  const { remote, work } = checkout();
  writeFileSync(path.join(work, 'deploy', 'local.yaml'), 'image: nginx:1.25.1\n');
  const t = await prepareBranch({ cwd: path.join(work, 'deploy'), branch: 'sweep' });
  const r = await commitAndPush(t, new Map([...bump, ['local.yaml', 'image: nginx:1.25.3\n']]), 'bump');
  expect(r.untracked).toEqual(['deploy/local.yaml']);
  expect(git(remote, 'ls-tree', '--name-only', '-r', r.commit)).toBe('deploy/app.yaml\ndeploy/run.sh');
});

test('a push the remote refuses is an error naming the remote and the branch, with what the remote said', async () => {
  const { remote, work } = checkout();
  const hook = path.join(remote, 'hooks', 'pre-receive');
  writeFileSync(hook, '#!/bin/sh\necho "branch protection: pushes to sweep are not allowed" >&2\nexit 1\n');
  chmodSync(hook, 0o755);
  const t = await prepareBranch({ cwd: work, branch: 'sweep' });
  await expect(commitAndPush(t, new Map([['deploy/app.yaml', 'x: 1\n']]), 'bump')).rejects.toThrow(
    /the remote "origin" refused the push of branch sweep: .*branch protection: pushes to sweep are not allowed/s,
  );
  expect(git(remote, 'branch', '--list', 'sweep')).toBe('');
});

test.each([
  [
    'a folder outside any checkout',
    () => ({ cwd: mkdtempSync(path.join(tmpdir(), 'nogit-')), branch: 'b' }),
    /working-directory: .* is not inside a git checkout/,
  ],
  [
    'a malformed branch',
    () => ({ cwd: checkout().work, branch: 'bad..name' }),
    /branch: "bad..name" is not a valid branch name/,
  ],
  [
    'a branch that reads as an option',
    () => ({ cwd: checkout().work, branch: '-f' }),
    /branch: "-f" is not a valid branch name/,
  ],
  [
    'no such remote',
    () => ({ cwd: checkout().work, branch: 'b', remote: 'upstream' }),
    /has no remote "upstream"/,
  ],
])('%s is refused before anything is written', async (_name, opts, message) => {
  await expect(prepareBranch(opts())).rejects.toThrow(message);
});

test('an http(s) remote gets the token as its only Authorization header, from the environment, never in an argument', async () => {
  // A real HTTP server as the remote: it records what git sends and answers 403.
  const seen: (string | string[] | undefined)[] = [];
  const server = createServer((req, res) => {
    seen.push(req.headers.authorization);
    res.writeHead(403).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/acme/app.git`;
    const { work } = checkout();
    // actions/checkout persists its own header for the URL; ours must replace it, not come as a second one.
    git(work, 'config', `http.${new URL(url).origin}/.extraheader`, 'AUTHORIZATION: basic b2xkOm9sZA==');
    const secrets: string[] = [];
    const env = gitEnv(url, 'ghs_token', (s) => secrets.push(s));
    await promisify(execFile)('git', ['ls-remote', url], { cwd: work, env }).catch(() => undefined);
    const basic = Buffer.from('x-access-token:ghs_token').toString('base64');
    expect(seen.length).toBeGreaterThan(0);
    expect(new Set(seen)).toEqual(new Set([`basic ${basic}`]));
    expect(secrets).toEqual(['ghs_token', basic]);
    expect(JSON.stringify(Object.entries(env).filter(([k]) => !k.startsWith('GIT_CONFIG_')))).not.toContain(
      basic,
    );
  } finally {
    await new Promise((r) => server.close(r));
  }
  // Local and ssh remotes get no header at all.
  expect(gitEnv('/srv/git/app.git', 'ghs_token').GIT_CONFIG_COUNT).toBeUndefined();
  expect(gitEnv('git@github.com:acme/app.git', 'ghs_token').GIT_CONFIG_COUNT).toBeUndefined();
});

test('changes only to files git does not track commit and push nothing', async () => {
  const { remote, work } = checkout();
  writeFileSync(path.join(work, 'local.yaml'), 'image: nginx:1.25.1\n');
  const t = await prepareBranch({ cwd: work, branch: 'sweep' });
  const r = await commitAndPush(t, new Map([['local.yaml', 'image: nginx:1.25.3\n']]), 'bump');
  expect(r).toEqual({ commit: '', pushed: false, untracked: ['local.yaml'] });
  expect(git(remote, 'branch', '--list', 'sweep')).toBe('');
});
