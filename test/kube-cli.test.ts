import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { node24, repoRoot } from './harness/run-action';

// Argument handling of `upgrade-actions rollout`, before any cluster is contacted. Behaviour against
// a cluster is compared with kubectl in rollout-parity-*.test.ts.
const cli = path.join(repoRoot, 'dist', 'cli', 'index.js');
const run = (...args: string[]) =>
  spawnSync(node24, [cli, ...args], { encoding: 'utf8', env: { ...process.env, KUBECONFIG: '/dev/null' } });

describe('upgrade-actions rollout arguments', () => {
  test('rollout is listed in the help', () => {
    expect(run('--help').stdout).toMatch(/^ {2}rollout +Show rollout status, history, or undo a rollout/m);
  });

  test('rollout --help shows its usage', () => {
    const r = run('rollout', '--help');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^upgrade-actions rollout status\|history\|undo \(TYPE\/NAME \| TYPE NAME\)/);
  });

  test.each([
    [['rollout'], 'error: rollout: expected a subcommand status, history or undo, got none\n'],
    [
      ['rollout', 'restart', 'deploy/web'],
      'error: rollout: expected a subcommand status, history or undo, got "restart"\n',
    ],
    [['rollout', 'status'], 'error: required resource not specified\n'],
    [
      ['rollout', 'history', 'deploy/web', '--revision=-2'],
      'error: revision must be a positive integer: -2\n',
    ],
    [
      ['rollout', 'status', 'deploy/web', '--revision=x'],
      'error: invalid argument "x" for "--revision" flag: strconv.ParseInt: parsing "x": invalid syntax\n',
    ],
    [['rollout', 'status', 'deploy/web', '--timeout=soon'], /^error: timeout: "soon" is not a duration/],
    [
      ['rollout', 'undo', 'deploy/web', '--dry-run=maybe'],
      'error: Invalid dry-run value (maybe). Must be "none", "server", or "client".\n',
    ],
    [
      ['rollout', 'status', 'web'],
      /^error: rollout: "web": give TYPE\/NAME \(e\.g\. deployment\/web\) or TYPE NAME/,
    ],
    [
      ['rollout', 'status', 'deploy/web', '--kubeconfig', '/nowhere'],
      'error: kubeconfig: file /nowhere does not exist\n',
    ],
  ])('%p fails before contacting a cluster, exit 1', (args, stderr) => {
    const r = run(...args);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    if (typeof stderr === 'string') expect(r.stderr).toBe(stderr);
    else expect(r.stderr).toMatch(stderr);
  });

  test('an unreachable API server is reported as kubectl words it', () => {
    const r = spawnSync(node24, [cli, 'rollout', 'status', 'deploy/web'], {
      encoding: 'utf8',
      env: {
        ...process.env,
        KUBECONFIG: '',
        HOME: path.join(repoRoot, 'test', 'fixtures', 'kube-unreachable-home'),
      },
    });
    expect(r.status).toBe(1);
    // kubectl's sentence, then what to check.
    expect(r.stderr).toMatch(
      /^error: The connection to the server 127\.0\.0\.1:9 was refused - did you specify the right host or port\? Check the server of cluster "\S+" in kubeconfig \S+ and that the API server is up and reachable from the runner\.\n$/,
    );
  });
});
