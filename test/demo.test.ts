import { spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { node24, repoRoot } from './harness/run-action';

const cli = path.join(repoRoot, 'dist', 'cli', 'index.js');
const demo = (...args: string[]) => spawnSync(node24, [cli, 'demo', ...args], { encoding: 'utf8' });
const rootOf = (stdout: string) => /^upgrade-actions demo in (\S+)/.exec(stdout)?.[1] ?? '';

describe('upgrade-actions demo', () => {
  test('runs merge-check on three PRs, then deploy, probe and automatic rollback, then a canary promoted and one aborted, then a blue-green promotion and a switch back, on the simulator; exits 0 and cleans up', () => {
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
    expect(r.stdout).toContain('── 2. api-check');
    expect(r.stdout).toMatch(/removed +batch\/v1beta1 CronJob +shop\/shop-report +deploy\/shop\.yaml:7/);
    expect(r.stdout).toContain(
      '✓ the FlowSchema on flowcontrol v1beta3 is flagged as not yet served at 1.25',
    );
    expect(r.stdout).toContain('── 3. deploy-probe-rollback');
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
    expect(r.stdout).toContain('── 4. canary');
    expect(r.stdout).toContain('Step 3/3: 100% of traffic to the canary');
    expect(r.stdout).toContain(
      '✓ ghcr.io/acme/shop-api:1.6.0 went through every step (25% → 50% → 100%) and was promoted',
    );
    expect(r.stdout).toMatch(
      /✓ ghcr\.io\/acme\/shop-api:1\.7\.0 was aborted at its first gate \(shop-api-canary:80\/health: status 500, \d+ ms\), weight back to 0/,
    );
    expect(r.stdout).toContain('✓ ghcr.io/acme/shop-api:1.6.0 keeps serving, and no canary object is left');
    expect(r.stdout).toContain('── 5. promote');
    expect(r.stdout).toContain('Switched checkout to checkout-green; watching for 3s');
    expect(r.stdout).toContain(
      '✓ ghcr.io/acme/checkout:2.4.0 was validated, switched to and watched: checkout-green serves, blue scaled down',
    );
    expect(r.stdout).toMatch(
      /✓ ghcr\.io\/acme\/checkout:2\.5\.0 failed during the watch \(checkout-preview:80\/health: status 500, \d+ ms\) and the selector went back to checkout-green \d+ ms after the failed round/,
    );
    expect(r.stdout).toContain('✓ 2.4.0 serves again and the Service selects checkout-green alone');
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
      /--stage: no stage named nope; the stages are merge-check, api-check, deploy-probe-rollback, canary, promote/,
    );
  });

  test('an unknown option is a usage error', () => {
    const r = demo('--nope');
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^error: unknown option --nope\n\nupgrade-actions demo/);
  });
});
