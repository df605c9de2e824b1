import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startKubeSim, type KubeSim } from '@upgrade-actions/kube-sim';
import { platformConfig, pushImage, RegistryClient } from '@upgrade-actions/registry';
import { LocalGitHubPulls } from '../packages/cli/src/demo/local-github';
import { runAction, type ActionRun } from './harness/run-action';
import { freePort, startRegistry, type RunningRegistry } from './registry/registry';

// The patch-sweep action from dist/, as the runner runs it: a real registry that wants the password from
// ~/.docker/config.json, a local bare repository as the checkout's remote, a local server for GitHub's REST
// routes. Done means one pull request with the right bumps, updated on the next run, and nothing changed
// by a run with nothing new; every bad input one clear error and no pull request.

const creds = { username: 'ci', password: 'r3g1stry-pass' };
const token = 'ghs_sweepToken123';
let reg: RunningRegistry;
let client: RegistryClient;
let gh: LocalGitHubPulls;
let scratch: string;

const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, ...gitIsolation() } }).trim();

/** No machine identity: the bot commits unless the checkout configures a user. */
function gitIsolation(): Record<string, string> {
  const empty = path.join(scratch, 'gitconfig');
  writeFileSync(empty, '');
  return { GIT_CONFIG_GLOBAL: empty, GIT_CONFIG_NOSYSTEM: '1' };
}

const tag = (repo: string, t: string) =>
  pushImage(client, repo, { config: platformConfig('amd64', undefined, { t }), tag: t });

function dockerConfig(password: string): string {
  const dir = mkdtempSync(path.join(scratch, 'docker-'));
  const auth = Buffer.from(`${creds.username}:${password}`).toString('base64');
  writeFileSync(path.join(dir, 'config.json'), JSON.stringify({ auths: { [reg.host]: { auth } } }));
  return dir;
}

beforeAll(async () => {
  scratch = mkdtempSync(path.join(tmpdir(), 'sweep-action-'));
  reg = await startRegistry({ kind: 'basic', ...creds });
  client = new RegistryClient({ registry: reg.host, credentials: creds });
  for (const t of ['1.25.1', '1.25.3', '1.25.4-rc.1', '1.25.1-alpine', '1.25.5-alpine', '1.26.0'])
    await tag('library/nginx', t);
  for (const t of ['2.1.0', '2.1.7', '2.2.0', '3.0.0-beta2']) await tag('acme/web', t);
});
afterAll(async () => {
  await reg?.stop();
});
beforeEach(async () => {
  gh = await new LocalGitHubPulls().start();
});
afterEach(() => gh.stop());

const APP = (h: string) => `# the shop's web tier
apiVersion: apps/v1
kind: Deployment
metadata: { name: web }
spec:
  template:
    spec:
      initContainers:
        - { name: init, image: "${h}/library/nginx:1.25.1-alpine" }  # variant kept
      containers:
        - name: web
          image: ${h}/acme/web:2.1.0
        - name: proxy
          image: '${h}/library/nginx:1.25.1'
---
apiVersion: batch/v1
kind: CronJob
metadata: { name: report }
spec:
  schedule: "0 3 * * *"
  jobTemplate:
    spec:
      template:
        spec:
          containers:
            - name: report
              image: ${h}/acme/web:2.1.7
`;
const VALUES = (h: string) => `image:
  repository: ${h}/acme/web
  tag: "2.1.0"   # the chart's default
replicas: 2
`;

/** A checkout of a repository whose remote is a local bare repository, at main, as actions/checkout leaves it. */
function repository(): { work: string; remote: string } {
  const dir = mkdtempSync(path.join(scratch, 'repo-'));
  const remote = path.join(dir, 'remote.git');
  const work = path.join(dir, 'work');
  git(dir, 'init', '--quiet', '--bare', '--initial-branch=main', remote);
  git(dir, 'clone', '--quiet', remote, work);
  mkdirSync(path.join(work, 'deploy'));
  mkdirSync(path.join(work, 'chart'));
  writeFileSync(path.join(work, 'deploy', 'app.yaml'), APP(reg.host));
  writeFileSync(path.join(work, 'chart', 'values.yaml'), VALUES(reg.host));
  git(work, 'add', '.');
  git(work, '-c', 'user.name=Dev', '-c', 'user.email=dev@example.com', 'commit', '--quiet', '-m', 'init');
  git(work, 'push', '--quiet', 'origin', 'HEAD:main');
  return { work, remote };
}

function sweep(work: string, inputs: Record<string, string> = {}, dockerDir = dockerConfig(creds.password)) {
  return runAction('patch-sweep', {
    workspace: work,
    inputs: { token, ...inputs },
    eventName: 'schedule',
    env: {
      GITHUB_API_URL: gh.url,
      GITHUB_REPOSITORY: 'acme/app',
      DOCKER_CONFIG: dockerDir,
      ...gitIsolation(),
    },
  });
}

/** The log as the runner shows it: ::add-mask:: commands are consumed, not printed. */
const shown = (r: ActionRun) => (r.stdout + r.stderr).replace(/^::add-mask::.*$/gm, '');
const stackFrames = (r: ActionRun) =>
  shown(r)
    .split('\n')
    .filter((l) => /^\s+at /.test(l));
const writes = () => gh.requests.filter((q) => q.method !== 'GET').map((q) => `${q.method} ${q.path}`);

test('opens one pull request with the bumps, updates it when a newer patch appears, and changes nothing when nothing is new', async () => {
  const { work, remote } = repository();
  const h = reg.host;
  const head = git(work, 'rev-parse', 'HEAD');

  const first = await sweep(work);
  expect(first.code).toBe(0);
  const expected = [
    { file: 'chart/values.yaml', line: 3, image: `${h}/acme/web`, from: '2.1.0', to: '2.1.7' },
    {
      file: 'deploy/app.yaml',
      line: 9,
      image: `${h}/library/nginx`,
      from: '1.25.1-alpine',
      to: '1.25.5-alpine',
    },
    { file: 'deploy/app.yaml', line: 12, image: `${h}/acme/web`, from: '2.1.0', to: '2.1.7' },
    { file: 'deploy/app.yaml', line: 14, image: `${h}/library/nginx`, from: '1.25.1', to: '1.25.3' },
  ];
  expect(JSON.parse(first.outputs.updates)).toEqual(expected);
  expect(gh.pulls).toHaveLength(1);
  const pr = gh.pulls[0];
  expect(first.outputs['pull-request-number']).toBe(String(pr.number));
  expect(first.outputs['pull-request-url']).toBe(pr.html_url);
  expect(pr).toMatchObject({
    head: { ref: 'upgrade-actions/patch-sweep' },
    base: { ref: 'main' }, // the repository's default branch, from the API
    title: 'Patch releases for 2 images',
    state: 'open',
  });
  expect(pr.body).toContain(`| ${h}/library/nginx | 1.25.1-alpine | 1.25.5-alpine | deploy/app.yaml:9 |`);
  expect(pr.body).toContain(`| ${h}/acme/web | 2.1.0 | 2.1.7 | chart/values.yaml:3 |`);
  expect(writes()).toEqual(['POST /repos/acme/app/pulls']);

  // The branch: one commit by the bot on main; files byte-identical but for the tags.
  const branch = git(remote, 'rev-parse', 'refs/heads/upgrade-actions/patch-sweep');
  expect(git(remote, 'log', '-1', '--format=%P|%an <%ae>', branch)).toBe(
    `${head}|github-actions[bot] <41898282+github-actions[bot]@users.noreply.github.com>`,
  );
  expect(git(remote, 'show', `${branch}:deploy/app.yaml`) + '\n').toBe(
    APP(h)
      .replace(`"${h}/library/nginx:1.25.1-alpine"`, `"${h}/library/nginx:1.25.5-alpine"`)
      .replace(`image: ${h}/acme/web:2.1.0`, `image: ${h}/acme/web:2.1.7`)
      .replace(`'${h}/library/nginx:1.25.1'`, `'${h}/library/nginx:1.25.3'`),
  );
  expect(git(remote, 'show', `${branch}:chart/values.yaml`) + '\n').toBe(
    VALUES(h).replace('"2.1.0"', '"2.1.7"'),
  );
  // The checkout itself is left as it was.
  expect(git(work, 'status', '--porcelain')).toBe('');
  expect(first.summary).toContain('<td>deploy/app.yaml:14</td>');
  expect(first.summary).toContain(`#${pr.number}</a> opened`);
  expect(shown(first)).not.toContain(token);
  expect(shown(first)).not.toContain(creds.password);

  // Nothing new: no push, no edit, the same pull request reported.
  gh.requests.length = 0;
  const second = await sweep(work);
  expect(second.code).toBe(0);
  expect(git(remote, 'rev-parse', 'refs/heads/upgrade-actions/patch-sweep')).toBe(branch);
  expect(writes()).toEqual([]);
  expect(second.outputs['pull-request-number']).toBe(String(pr.number));
  expect(second.summary).toContain('already up to date');

  // A newer patch appears: the branch is force-pushed and the same pull request edited.
  await tag('library/nginx', '1.25.4');
  gh.requests.length = 0;
  const third = await sweep(work);
  expect(third.code).toBe(0);
  const again = git(remote, 'rev-parse', 'refs/heads/upgrade-actions/patch-sweep');
  expect(again).not.toBe(branch);
  expect(git(remote, 'log', '-1', '--format=%P', again)).toBe(head);
  expect(gh.pulls).toHaveLength(1);
  expect(writes()).toEqual([`PATCH /repos/acme/app/pulls/${pr.number}`]);
  expect(gh.pulls[0].body).toContain(`| ${h}/library/nginx | 1.25.1 | 1.25.4 | deploy/app.yaml:14 |`);
  expect(third.outputs['pull-request-number']).toBe(String(pr.number));
});

test('dry-run only reports: no push, no pull request, and needs no checkout', async () => {
  const work = mkdtempSync(path.join(scratch, 'plain-'));
  writeFileSync(path.join(work, 'pod.yaml'), `image: ${reg.host}/acme/web:2.1.0\n`);
  const r = await sweep(work, { 'dry-run': 'true', 'pin-digest': 'true' });
  expect(r.code).toBe(0);
  const digest = await client.manifestDigest('acme/web', '2.1.7');
  expect(JSON.parse(r.outputs.updates)).toEqual([
    { file: 'pod.yaml', line: 1, image: `${reg.host}/acme/web`, from: '2.1.0', to: '2.1.7', digest },
  ]);
  expect(r.outputs['pull-request-number']).toBe('');
  expect(gh.requests).toEqual([]);
  expect(readFileSync(path.join(work, 'pod.yaml'), 'utf8')).toBe(`image: ${reg.host}/acme/web:2.1.0\n`);
  expect(r.summary).toContain('dry run, nothing pushed');
});

describe('with a kubeconfig', () => {
  let sim: KubeSim;
  beforeAll(async () => {
    sim = await startKubeSim();
  });
  afterAll(() => sim?.stop());

  test("reports the cluster's Kubernetes version against the N-2 policy", async () => {
    const work = mkdtempSync(path.join(scratch, 'plain-'));
    writeFileSync(path.join(work, 'pod.yaml'), `image: ${reg.host}/acme/web:2.1.7\n`);
    const r = await sweep(work, { 'dry-run': 'true', kubeconfig: sim.kubeconfigPath });
    expect(r.code).toBe(0);
    expect(shown(r)).toMatch(
      /Kubernetes v1\.32\.0-kube-sim, \d+ minor releases? behind 1\.\d+: (within|outside) the N-2 policy/,
    );
    expect(r.summary).toContain('v1.32.0-kube-sim');
  });
});

describe('bad input: one clear error, no stack trace, no pull request', () => {
  test('a malformed pattern names the input, before any registry or git work', async () => {
    const { work, remote } = repository();
    const r = await sweep(work, { exclude: 'ghcr.io/$(touch x)' });
    expect(r.code).toBe(1);
    expect(r.failedMessage).toBe(
      'exclude: "ghcr.io/$(touch x)" is not an image pattern; use names with * wildcards, e.g. ghcr.io/acme/*',
    );
    expect(stackFrames(r)).toEqual([]);
    expect(gh.requests).toEqual([]);
    expect(git(remote, 'branch', '--list')).toBe('* main');
  });

  test('an unreachable registry names the reference that needed it', async () => {
    const { work, remote } = repository();
    const port = await freePort();
    writeFileSync(path.join(work, 'deploy', 'app.yaml'), `image: 127.0.0.1:${port}/acme/web:1.0.0\n`);
    git(work, '-c', 'user.name=Dev', '-c', 'user.email=dev@example.com', 'commit', '--quiet', '-am', 'gone');
    const r = await sweep(work);
    expect(r.code).toBe(1);
    expect(r.failedMessage).toContain(
      `127.0.0.1:${port}/acme/web (deploy/app.yaml:1): cannot reach registry 127.0.0.1:${port}`,
    );
    expect(stackFrames(r)).toEqual([]);
    expect(writes()).toEqual([]);
    expect(git(remote, 'branch', '--list')).toBe('* main');
  }, 60_000);

  test('a wrong password in the docker config names the registry and the user', async () => {
    const { work, remote } = repository();
    const r = await sweep(work, {}, dockerConfig('wrong'));
    expect(r.code).toBe(1);
    expect(r.failedMessage).toContain(`registry ${reg.host}: tags of`);
    expect(r.failedMessage).toContain('the credentials of user "ci" were refused (401)');
    expect(stackFrames(r)).toEqual([]);
    expect(gh.requests).toEqual([]);
    expect(git(remote, 'branch', '--list')).toBe('* main');
  });

  test('a push the remote refuses says what the remote said, and opens no pull request', async () => {
    const { work, remote } = repository();
    const hook = path.join(remote, 'hooks', 'pre-receive');
    writeFileSync(hook, '#!/bin/sh\necho "protected: bots may not push here" >&2\nexit 1\n');
    chmodSync(hook, 0o755);
    const r = await sweep(work);
    expect(r.code).toBe(1);
    expect(r.failedMessage).toMatch(
      /^the remote "origin" refused the push of branch upgrade-actions\/patch-sweep: .*protected: bots may not push here/s,
    );
    expect(stackFrames(r)).toEqual([]);
    expect(gh.requests).toEqual([]);
    expect(gh.pulls).toEqual([]);
  });

  test('a token GitHub refuses: the error says so; the branch is pushed, no pull request is half-made', async () => {
    const { work } = repository();
    gh.failWith = { status: 401, message: 'Bad credentials' };
    const r = await sweep(work);
    expect(r.code).toBe(1);
    expect(r.failedMessage).toMatch(
      /^GitHub refused the pull request from upgrade-actions\/patch-sweep \(HTTP 401\): Bad credentials/,
    );
    expect(stackFrames(r)).toEqual([]);
    expect(gh.pulls).toEqual([]);
  });

  test.each([
    [{ branch: 'bad..branch' }, 'branch: "bad..branch" is not a valid branch name'],
    [{ 'working-directory': 'nope' }, 'working-directory: "nope" is not a folder of the workspace'],
    [{ token: '' }, 'token: empty; give a token with contents: write and pull-requests: write'],
  ])('%j is refused naming the input', async (inputs, message) => {
    const { work, remote } = repository();
    const r = await sweep(work, inputs);
    expect(r.code).toBe(1);
    expect(r.failedMessage).toContain(message);
    expect(stackFrames(r)).toEqual([]);
    expect(gh.requests).toEqual([]);
    expect(git(remote, 'branch', '--list')).toBe('* main');
  });

  test('a checkout that is not a git repository is refused unless dry-run', async () => {
    const work = mkdtempSync(path.join(scratch, 'plain-'));
    writeFileSync(path.join(work, 'pod.yaml'), `image: ${reg.host}/acme/web:2.1.0\n`);
    const r = await sweep(work);
    expect(r.code).toBe(1);
    expect(r.failedMessage).toMatch(/^working-directory: .* is not inside a git checkout/);
    expect(r.failedMessage).toContain('or set dry-run: true');
  });
});
