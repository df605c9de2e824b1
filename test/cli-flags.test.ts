import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { inFlags, parserMessage } from '../packages/cli/src/args';
import { node24, repoRoot } from './harness/run-action';

// At a terminal, errors name the flags the user typed, never the action's input names or Node's parser text.
const cli = path.join(repoRoot, 'dist', 'cli', 'index.js');
const run = (...args: string[]) =>
  spawnSync(node24, [cli, ...args], {
    encoding: 'utf8',
    env: { ...process.env, KUBECONFIG: '/nonexistent' },
  });

test.each([
  [
    ['merge-check', '--base', 'main', '-C', '/nonexistent-dir'],
    'error: --dir: /nonexistent-dir is not a folder',
  ],
  [['probe'], 'error: TARGET: nothing to probe'],
  [['deploy', '--release', 'x'], 'error: unknown option --release\n\nupgrade-actions deploy'],
  [['rollback', '--bogus'], 'error: unknown option --bogus\n\nupgrade-actions rollback'],
  [
    ['rollout', 'status', 'deployment/web', '--bogus'],
    'error: unknown option --bogus\n\nupgrade-actions rollout',
  ],
  [['deploy', '-f'], 'error: --filename needs a value'],
  [
    ['deploy', '-f', 'x.yaml', '--timeout', 'soon'],
    'error: --filename: "x.yaml" matches no file or directory',
  ],
])('%j → %s', (args, message) => {
  const r = run(...args);
  expect(r.status).toBe(1);
  expect(r.stderr).toContain(message);
  expect(r.stderr).not.toContain('To specify a positional argument');
  expect(r.stderr).not.toMatch(/^\s+at /m);
});

describe('inFlags', () => {
  const flags = {
    'allow-failed-revision': '--allow-failed-revision',
    'working-directory': '--dir',
    base: '--base',
  };
  test('names the flag where the input is named', () => {
    expect(
      inFlags('template marked failed: fix it, or set allow-failed-revision to deploy it again', flags),
    ).toBe('template marked failed: fix it, or set --allow-failed-revision to deploy it again');
    expect(inFlags('working-directory: /x is not a folder', flags)).toBe('--dir: /x is not a folder');
  });
  test('leaves the same word alone where it is prose', () => {
    expect(inFlags('no merge base between the commits', flags)).toBe('no merge base between the commits');
  });
});

test('parserMessage turns Node’s parser text into ours', () => {
  expect(
    parserMessage(
      "Unknown option '--release'. To specify a positional argument starting with a '-', place it at the end of the command after '--', as in '-- \"--release\"",
    ),
  ).toBe('unknown option --release');
  expect(parserMessage("Option '-f, --filename <value>' argument missing")).toBe('--filename needs a value');
});
