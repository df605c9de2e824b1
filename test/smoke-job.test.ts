import { memoryLogger } from '@upgrade-actions/common';
import { KubeClient, loadClusterAccess } from '@upgrade-actions/kube';
import { R, startKubeSim, type KubeSim } from '@upgrade-actions/kube-sim';
import { jobReport, reportJUnit, runSmokeJob } from '@upgrade-actions/smoke';

// The in-cluster smoke test: a Job in the simulated cluster, its log streamed, always deleted.
// The scenario decides what each image does; simulated time runs 20× real time.
let sim: KubeSim;
let client: KubeClient;

beforeAll(async () => {
  sim = await startKubeSim({
    speed: 20,
    controllers: {
      events: false,
      scenario: {
        'smoke:pass': {
          completeAfterMs: 2000,
          exitCode: 0,
          logs: ['checking /healthz', 'checking /orders', '2 passed'],
        },
        'smoke:fail': {
          completeAfterMs: 1000,
          exitCode: 3,
          logs: ['checking /orders', 'expected 200, got 500'],
        },
        'smoke:pull': { pullError: 'manifest unknown' },
        'smoke:slow': { completeAfterMs: 3_600_000 },
      },
    },
  });
  client = new KubeClient(loadClusterAccess({ path: sim.kubeconfigPath }));
  sim.store.create(R.namespaces, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } });
});

afterAll(async () => {
  client?.close();
  await sim?.stop();
});

const jobsLeft = () => sim.store.list(R.jobs, { namespace: 'shop' }).length;

describe('the smoke test as a Job in the cluster', () => {
  test('exit code 0 passes, the log reaches the step log, and the Job is deleted', async () => {
    const logger = memoryLogger();
    const r = await runSmokeJob({
      client,
      namespace: 'shop',
      image: 'smoke:pass',
      command: ['/smoke'],
      args: ['--all'],
      logger,
    });
    expect(r).toMatchObject({
      passed: true,
      exitCode: 0,
      logs: ['checking /healthz', 'checking /orders', '2 passed'],
    });
    expect(r.reason).toMatch(/^job\/smoke-test-[a-z0-9]+ succeeded$/);
    expect(logger.lines).toEqual(
      expect.arrayContaining([
        'checking /healthz',
        '2 passed',
        expect.stringMatching(/^job\/smoke-test-\w+ deleted$/),
      ]),
    );
    expect(jobsLeft()).toBe(0);
    expect(jobReport(r, 'smoke:pass')).toMatchObject({ passed: 1, failed: 0, total: 1 });
  });

  test('a non-zero exit fails with the exit code, and the Job is still deleted', async () => {
    const r = await runSmokeJob({ client, namespace: 'shop', image: 'smoke:fail' });
    expect(r).toMatchObject({
      passed: false,
      exitCode: 3,
      logs: ['checking /orders', 'expected 200, got 500'],
    });
    expect(r.reason).toMatch(/^job\/smoke-test-\w+ failed with exit code 3/);
    expect(jobsLeft()).toBe(0);
    const report = jobReport(r, 'smoke:fail');
    expect(report.steps[0].failures).toEqual([{ assertion: 'exit code', expected: '0', actual: '3' }]);
    expect(reportJUnit(report)).toContain('<failure message="exit code: expected 0, got 3"');
  });

  test('an image that cannot be pulled fails at once with the rebuild/push hint', async () => {
    const r = await runSmokeJob({ client, namespace: 'shop', image: 'smoke:pull' });
    expect(r.passed).toBe(false);
    expect(r.reason).toMatch(
      /^pod smoke-test-\w+-\w+ cannot start: (ErrImagePull|ImagePullBackOff): .*manifest unknown.*; rebuild and push the image/,
    );
    expect(jobsLeft()).toBe(0);
  });

  test('a Job that outlives the timeout fails and is deleted', async () => {
    const r = await runSmokeJob({ client, namespace: 'shop', image: 'smoke:slow', timeoutMs: 1500 });
    expect(r.passed).toBe(false);
    expect(r.reason).toMatch(/^job\/smoke-test-\w+ did not finish within 1.5s$/);
    expect(jobsLeft()).toBe(0);
  });
});

test.each(['x; touch /tmp/pwned', 'Smoke:Pass', 'smoke:pass $(id)', 'a b'])(
  'an image that is not a reference (%s) is refused naming the input, before the API server hears of it',
  async (image) => {
    const before = sim.requests.length;
    await expect(runSmokeJob({ client, namespace: 'shop', image })).rejects.toThrow(/^image "/);
    expect(sim.requests.length).toBe(before);
  },
);
