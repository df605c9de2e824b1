import { spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { node24, repoRoot } from './harness/run-action';

const cli = path.join(repoRoot, 'dist', 'cli', 'index.js');
const demoWith = (env: NodeJS.ProcessEnv, ...args: string[]) =>
  spawnSync(node24, [cli, 'demo', ...args], { encoding: 'utf8', env: { ...process.env, ...env } });
const demo = (...args: string[]) => demoWith({}, ...args);
/** The verdict lines of a stage's output, in order. */
const verdicts = (stdout: string) => stdout.match(/^ {3}[✓✗].*$/gm) ?? [];
const rootOf = (stdout: string) => /^upgrade-actions demo in (\S+)/.exec(stdout)?.[1] ?? '';

describe('upgrade-actions demo', () => {
  test('runs merge-check on three PRs, then a build-matrix merge on a registry, then deploy, probe and automatic rollback, then a canary promoted and one aborted, then a blue-green promotion and a switch back, on the simulator; exits 0 and cleans up', () => {
    const r = demo();
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('── 1. merge-check');
    expect(r.stdout).toMatch(
      /Merging upgrade\/shop-api-1\.5 \([0-9a-f]{7}\) into main \([0-9a-f]{7}\) is clean\./,
    );
    expect(r.stdout).toMatch(/deploy\/shop-api\.yaml {2}content {2}6/);
    expect(r.stdout).toMatch(/deploy\/shop-api\.yaml {2}duplicate key {2}13/);
    expect(r.stdout).toContain('Fetching head'); // the CI checkout is shallow: the demo shows the fetch
    expect(r.stdout).toContain('✓ the clean PR passes');
    expect(r.stdout).toContain('── 2. build-matrix');
    expect(r.stdout).toContain('✓ forbid-latest refused the latest rule before anything was pushed');
    expect(r.stdout).toContain('── 3. api-check');
    expect(r.stdout).toMatch(/removed +batch\/v1beta1 CronJob +shop\/shop-report +deploy\/shop\.yaml:7/);
    expect(r.stdout).toContain(
      '✓ the FlowSchema on flowcontrol v1beta3 is flagged as not yet served at 1.25',
    );
    expect(r.stdout).toContain('── 4. deploy-probe-rollback');
    expect(r.stdout).toContain('deployment "shop-api" successfully rolled out');
    // A first deploy has no revision before it: said in words, not as "revision none → 1".
    expect(r.stdout).toMatch(/rolled out as a new workload \(revision 1\)/);
    expect(r.stdout).not.toContain('revision none');
    expect(r.stdout).toMatch(/service +shop-api\.shop:80\/health +healthy \d+(\.\d+)? ms/);
    expect(r.stdout).toContain('deployment "shop-api" exceeded its progress deadline');
    expect(r.stdout).toMatch(/rolled back from revision 2 to revision 1 \(now revision 3\); verified/);
    // The failed rollout, then the rollback, each said once, in the order they happened.
    const failed = r.stdout.indexOf('error: rollout failed: shop/deployment.apps/shop-api');
    expect(failed).toBeGreaterThan(-1);
    expect(r.stdout.indexOf('rolled back from revision 2')).toBeGreaterThan(failed);
    expect(r.stdout.match(/rollout failed/g)).toHaveLength(1);
    expect(r.stdout.match(/rolled back from revision 2 to revision 1/g)).toHaveLength(1);
    expect(r.stdout).toContain('✓ the rollback was verified and ghcr.io/acme/shop-api:1.5.0 runs again');
    expect(r.stdout).toContain('── 5. canary');
    expect(r.stdout).toContain('Step 3/3: 100% of traffic to the canary');
    expect(r.stdout).toContain(
      '✓ ghcr.io/acme/shop-api:1.6.0 went through every step (25% → 50% → 100%) and was promoted',
    );
    expect(r.stdout).toMatch(
      /✓ ghcr\.io\/acme\/shop-api:1\.7\.0 was aborted at its first gate \(shop-api-canary:80\/health: status 500, \d+ ms\), weight back to 0/,
    );
    expect(r.stdout).toContain('✓ ghcr.io/acme/shop-api:1.6.0 keeps serving, and no canary object is left');
    expect(r.stdout).toContain('── 6. promote');
    expect(r.stdout).toContain('Switched checkout to checkout-green; watching for 3s');
    expect(r.stdout).toContain(
      '✓ ghcr.io/acme/checkout:2.4.0 was validated, switched to and watched: checkout-green serves, blue scaled down',
    );
    expect(r.stdout).toMatch(
      /✓ ghcr\.io\/acme\/checkout:2\.5\.0 failed during the watch \(checkout-preview:80\/health: status 500, \d+ ms\) and the selector went back to checkout-green \d+ ms after the failed round/,
    );
    expect(r.stdout).toContain('✓ 2.4.0 serves again and the Service selects checkout-green alone');
    expect(r.stdout).toContain('── 7. patch-sweep');
    expect(r.stdout).toContain(
      '✓ the second run moved the branch to 1.25.4 and edited #100: still one pull request',
    );
    expect(r.stdout).not.toMatch(/^ {3}✗/m); // no stage verdict failed (a bad canary's rounds show ✗)
    expect(r.stdout).toMatch(/demo: all \d+ stage\(s\) behaved as expected\n$/);
    const root = rootOf(r.stdout);
    expect(root).not.toBe('');
    expect(existsSync(root)).toBe(false);
  });

  test('--keep leaves the demo repositories in place for a look', () => {
    const r = demo('--keep');
    const root = rootOf(r.stdout);
    try {
      expect(r.status).toBe(0);
      expect(r.stdout).toContain('(kept)');
      expect(existsSync(path.join(root, 'merge-check', 'origin.git', 'HEAD'))).toBe(true);
      expect(existsSync(path.join(root, 'merge-check', 'ci-checkout', 'deploy', 'shop-api.yaml'))).toBe(true);
    } finally {
      if (root) rmSync(root, { recursive: true, force: true });
    }
  });

  test('--stage runs one stage; an unknown stage names the ones there are', () => {
    const r = demo('--stage', 'api-check');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('── 1. api-check');
    expect(r.stdout).not.toContain('merge-check');
    expect(r.stdout).toMatch(/demo: all 1 stage\(s\) behaved as expected\n$/);
    const bad = demo('--stage', 'nope');
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(
      /--stage: no stage named nope; the stages are merge-check, build-matrix, api-check, deploy-probe-rollback, canary, promote, patch-sweep/,
    );
  });

  test('--stage build-matrix merges the per-platform digests into one index under the release tags on a real registry, and refuses latest', () => {
    const r = demo('--stage', 'build-matrix');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('── 1. build-matrix');
    expect(r.stdout).toMatch(/registry http:\/\/127\.0\.0\.1:\d+: docker-registry/);
    const pushed = [
      ...r.stdout.matchAll(/^ {5}(linux\/\w+) +127\.0\.0\.1:\d+\/acme\/shop-api@(sha256:[0-9a-f]{12})…$/gm),
    ];
    expect(pushed.map((m) => m[1])).toEqual(['linux/amd64', 'linux/arm64']);
    // The index read back names each platform with the digest its build job pushed.
    for (const [, platform, digest] of pushed)
      expect(r.stdout).toContain(`/acme/shop-api:1.4.2  ${platform}  ${digest}…`);
    expect(r.stdout).toMatch(/pushed 127\.0\.0\.1:\d+\/acme\/shop-api:1\.4 → sha256:[0-9a-f]{64}/);
    expect(r.stdout).toMatch(/: 1\.4\.2, 1\.4, sha-[0-9a-f]{7}\n/);
    expect(r.stdout).not.toMatch(/shop-api:latest/);
    expect(r.stdout).toContain('error: digests: no manifest for linux/arm64');
    expect(verdicts(r.stdout)).toEqual([
      expect.stringMatching(/✓ the index sha256:[0-9a-f]{12}… lists linux\/amd64 and linux\/arm64 once each/),
      expect.stringMatching(
        /✓ 1\.4\.2, 1\.4, sha-[0-9a-f]{7} all name that index; the registry holds no latest tag/,
      ),
      '   ✓ forbid-latest refused the latest rule before anything was pushed',
      '   ✓ the merge missing linux/arm64 was refused and pushed nothing',
    ]);
    expect(r.stdout).toMatch(/demo: all 1 stage\(s\) behaved as expected\n$/);
  });

  test('--stage patch-sweep picks the patch release, pushes one commit to the local remote and opens one pull request, edited by the second run', () => {
    const r = demo('--stage', 'patch-sweep', '--keep');
    const root = rootOf(r.stdout);
    try {
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      expect(r.stdout).toMatch(/acme\/web {2}1\.25\.1 → 1\.25\.3 {2}deploy\/web\.yaml:12/);
      expect(r.stdout).toMatch(/Opened pull request #100 \(upgrade-actions\/patch-sweep → main\)/);
      expect(r.stdout).toMatch(/forced over the previous sweep/);
      expect(r.stdout).toMatch(/Updated pull request #100/);
      expect(verdicts(r.stdout)).toEqual([
        '   ✓ the sweep picked 1.25.3: not the pre-release 1.25.4-rc.1, not the next minor 1.26.0; log-shipper 2.3.0 is left alone',
        '   ✓ upgrade-actions/patch-sweep on the remote is one commit on main that changes that one line (1.25.1 → 1.25.3)',
        '   ✓ one pull request opened (#100, upgrade-actions/patch-sweep → main) with the bump in its body',
        '   ✓ the second run moved the branch to 1.25.4 and edited #100: still one pull request',
      ]);
      // The kept remote holds what the stage claims: the branch, one commit on main, the last bump.
      const remote = path.join(root, 'patch-sweep', 'origin.git');
      const git = (...a: string[]) =>
        spawnSync('git', ['-C', remote, ...a], { encoding: 'utf8' }).stdout.trim();
      expect(git('rev-list', '--count', 'main..upgrade-actions/patch-sweep')).toBe('1');
      expect(git('show', 'upgrade-actions/patch-sweep:deploy/web.yaml')).toMatch(/acme\/web:1\.25\.4\n/);
      expect(git('show', 'main:deploy/web.yaml')).toMatch(/acme\/web:1\.25\.1\n/);
    } finally {
      if (root) rmSync(root, { recursive: true, force: true });
    }
  });

  test('without docker-registry the registry stages end with one ✗ line naming what to install, no stack trace, and the other stages still run', () => {
    const r = demoWith(
      { REGISTRY_BIN: '/nonexistent/docker-registry' },
      '--stage',
      'build-matrix',
      '--stage',
      'api-check',
      '--stage',
      'patch-sweep',
    );
    expect(r.status).toBe(1);
    expect(r.stderr).toBe('');
    const missing =
      '   ✗ /nonexistent/docker-registry is not installed: install the Debian package docker-registry (sudo bash scripts/install-system-deps.sh demo, or sudo apt-get install docker-registry)';
    expect(verdicts(r.stdout).filter((l) => l === missing)).toHaveLength(2);
    expect(r.stdout).toContain(
      '✓ the FlowSchema on flowcontrol v1beta3 is flagged as not yet served at 1.25',
    );
    expect(r.stdout).not.toMatch(/\n\s+at /);
    expect(r.stdout).toMatch(/demo: build-matrix, patch-sweep did not behave as expected\n$/);
  });

  test('a registry that does not start fails its stage with a ✗ line, not an error that ends the demo', () => {
    const r = demoWith({ REGISTRY_BIN: '/bin/false' }, '--stage', 'build-matrix', '--stage', 'api-check');
    expect(r.status).toBe(1);
    expect(r.stderr).toBe('');
    expect(verdicts(r.stdout)[0]).toBe('   ✗ /bin/false exited with code 1 on start');
    expect(r.stdout).toContain('── 2. api-check');
    expect(r.stdout).toMatch(/demo: build-matrix did not behave as expected\n$/);
  });

  test('an unknown option is a usage error', () => {
    const r = demo('--nope');
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^error: unknown option --nope\n\nupgrade-actions demo/);
  });
});
