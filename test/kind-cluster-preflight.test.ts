import { existsSync } from 'node:fs';
import path from 'node:path';
import { runAction } from './harness/run-action';
import { kindWorld } from './kind-cluster-helpers';

/**
 * What kind-cluster checks before it downloads anything, and how it fails when a download does: a
 * Docker engine first (the stub docker answers `info`, or fails as a stopped daemon does), a runner
 * without RUNNER_TOOL_CACHE, and one error line naming the URL with the stack only in the debug log.
 */
const w = kindWorld();
const { downloaded, opts } = w;

test('without a Docker CLI on PATH: "kind needs a Docker engine" before any download', async () => {
  const before = w.site.requests.length;
  const main = await runAction('kind-cluster', opts(downloaded(), { PATH: '/usr/bin:/bin' }));
  expect(main.code).toBe(1);
  expect(main.failedMessage).toBe(
    'kind needs a Docker engine: the docker CLI is not on PATH. Run on a runner that has Docker (GitHub-hosted ubuntu runners do), or install it before this step',
  );
  expect(w.site.requests.length).toBe(before);
  expect(existsSync(path.join(w.job.toolCache, 'kind'))).toBe(false);
});

test('a Docker daemon that does not answer: its own words, before any download', async () => {
  const before = w.site.requests.length;
  const main = await runAction('kind-cluster', opts(downloaded(), { STUB_FAIL: 'docker-info' }));
  expect(main.code).toBe(1);
  expect(main.failedMessage).toBe(
    'kind needs a Docker engine: `docker info` failed: Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?. Start the Docker daemon, or run on a runner that has one (GitHub-hosted ubuntu runners do)',
  );
  expect(w.site.requests.length).toBe(before);
  expect(w.job.kindCalls()).toEqual([]);
});

test('RUNNER_TOOL_CACHE unset: a temporary tool cache, said in the log, and the cluster is created', async () => {
  const main = await runAction('kind-cluster', opts(downloaded(), { RUNNER_TOOL_CACHE: '' }));
  expect(main.failedMessage).toBeUndefined();
  expect(main.code).toBe(0);
  expect(main.stdout).toMatch(
    /^RUNNER_TOOL_CACHE is not set \(not on a GitHub runner\?\): using \/\S+ for this run$/m,
  );
  expect(main.stdout).not.toContain('AssertionError');
  expect(w.job.kindCalls()).toEqual(expect.arrayContaining([expect.stringMatching(/^create cluster /)]));
});

test('a failed download: one error line naming the URL and what to check; the stack only under ::debug::', async () => {
  const main = await runAction(
    'kind-cluster',
    opts(downloaded({ 'kind-download-url': `${w.site.url}/missing` })),
  );
  expect(main.code).toBe(1);
  const errors = main.annotations.filter((a) => a.level === 'error');
  expect(errors.map((e) => e.message)).toEqual([
    `downloading kind v0.32.0 from ${w.site.url}/missing/v0.32.0/kind-linux-amd64 failed: Unexpected HTTP response: 404. Check 'kind-version' and 'kind-download-url' (a mirror must serve that path) and that the runner can reach the host`,
  ]);
  const plain = main.stdout.split('\n').filter((l) => !l.startsWith('::debug::'));
  expect(plain.join('\n')).not.toMatch(/^\s+at /m);
  expect(w.job.kindCalls()).toEqual([]);
});
