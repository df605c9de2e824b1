import {
  applyManifests,
  followRolloutStatus,
  KubeClient,
  loadClusterAccess,
  parseManifests,
  resolveWorkload,
  Discovery,
} from '@upgrade-actions/kube';
import { startKubeSim, type KubeSim } from '@upgrade-actions/kube-sim';
import {
  apiServerAccess,
  buildChecks,
  healthProbe,
  runProbe,
  workloadPodCheck,
} from '@upgrade-actions/probe';
import { appYaml } from './harness/manifests';
import { startTestApp, type TestApp } from './servers/test-app';

// The basic level (pods) and service targets reached through the API server's service proxy,
// against the simulated cluster with its controllers; simulated time runs 50× real time.
let sim: KubeSim;
let client: KubeClient;
let app: TestApp;

const manifests = (image: string, name = 'web') => `apiVersion: v1
kind: Namespace
metadata: {name: shop}
---
${appYaml({ name, namespace: 'shop', image, container: 'app', containerPort: 8080 }, { portName: 'http' })}`;

async function deploy(image: string, name = 'web', wait = true) {
  await applyManifests(client, parseManifests(manifests(image, name), 'test.yaml'), {
    fieldManager: 'test',
    namespace: 'shop',
  });
  if (wait) {
    const target = await resolveWorkload(client, new Discovery(client), {
      type: 'deploy',
      name,
      namespace: 'shop',
    });
    await followRolloutStatus(client, target, { timeoutMs: 20_000, onMessage: () => {} });
  }
}

beforeAll(async () => {
  app = await startTestApp();
  sim = await startKubeSim({
    speed: 50,
    controllers: {
      events: false,
      scenario: {
        'web:v1': { backend: app.url },
        'web:pull': { pullError: 'manifest unknown' },
        'web:crash': { crashAfterMs: 100 },
      },
    },
  });
  client = new KubeClient(loadClusterAccess({ path: sim.kubeconfigPath }));
  await deploy('web:v1');
});

afterAll(async () => {
  client?.close();
  await sim?.stop();
  await app?.stop();
});

describe('the basic level against the simulated cluster', () => {
  test('the pods of a rolled-out Deployment are all Ready and healthy', async () => {
    const r = await runProbe({
      checks: [workloadPodCheck(client, { kind: 'Deployment', name: 'web', namespace: 'shop' })],
      mode: 'once',
    });
    expect(r.status).toBe('healthy');
    expect(r.checks[0]).toMatchObject({
      name: 'deployment/web',
      level: 'basic',
      target: 'pods of deployment/web in shop',
      observations: { pods: 2, ready: 2, findings: [] },
    });
  });

  test('an image that cannot be pulled is reported with the rebuild/push hint', async () => {
    await deploy('web:pull', 'pull', false);
    const check = workloadPodCheck(client, { kind: 'Deployment', name: 'pull', namespace: 'shop' });
    // The kubelet reports ErrImagePull, then ImagePullBackOff: wait (bounded) for either.
    let r = await runProbe({ checks: [check], mode: 'once' });
    for (let i = 0; i < 50 && !/ErrImagePull|ImagePullBackOff/.test(r.error ?? ''); i++) {
      await new Promise((done) => setTimeout(done, 100));
      r = await runProbe({ checks: [check], mode: 'once' });
    }
    expect(r.status).toBe('unhealthy');
    expect(r.checks[0].error).toMatch(
      /^pull-[a-z0-9-]+\/app: (ErrImagePull|ImagePullBackOff), .*; rebuild and push the image/,
    );
  });

  test('a crash-looping container fails the check with restarts counted during the window', async () => {
    await deploy('web:crash', 'crash', false);
    const check = workloadPodCheck(client, { kind: 'Deployment', name: 'crash', namespace: 'shop' });
    const r = await runProbe({
      checks: [check],
      mode: 'watch',
      durationMs: 15_000,
      intervalMs: 200,
      failureThreshold: 3,
    });
    expect(r.status).toBe('unhealthy');
    const reasons = (r.checks[0].observations.findings as Array<{ reason: string }>).map((f) => f.reason);
    // Between back-offs the container runs again, so the last round sees the back-off or the restarts.
    expect(reasons.some((x) => x === 'CrashLoopBackOff' || x === 'Restarted')).toBe(true);
    expect(r.checks[0].observations.restarts).toBeGreaterThan(0);
  });
});

describe('service targets through the API server proxy', () => {
  test('service:port/path reaches the real server behind the Ready pods', async () => {
    const api = apiServerAccess(loadClusterAccess({ path: sim.kubeconfigPath }), 'shop');
    const checks = buildChecks(
      {
        urls: ['web:80/healthy', 'web.shop:http/status/204'],
        expectedStatus: '200,204',
        timeout: '5s',
        bodyMatch: '^$|"ok"',
      },
      { api },
    );
    const r = await runProbe({ checks, mode: 'once' });
    expect(r.checks.map((c) => [c.target, c.passing, c.error])).toEqual([
      ['web:80/healthy', true, undefined],
      ['web.shop:http/status/204', true, undefined],
    ]);
    expect(app.hits.get('/healthy')).toBeGreaterThanOrEqual(1);
  });

  test('a failing backend behind the proxy is reported with its status', async () => {
    const api = apiServerAccess(loadClusterAccess({ path: sim.kubeconfigPath }), 'shop');
    const r = await runProbe({
      checks: buildChecks({ urls: ['web:80/failing'], expectedStatus: '200', timeout: '5s' }, { api }),
      mode: 'once',
    });
    expect(r.checks[0].error).toBe('status 500, expected 200');
  });

  test('a service that does not exist is a failed check, not a crash', async () => {
    const api = apiServerAccess(loadClusterAccess({ path: sim.kubeconfigPath }), 'shop');
    const r = await runProbe({
      checks: buildChecks({ urls: ['ghost:80/'], expectedStatus: '200', timeout: '5s' }, { api }),
      mode: 'once',
    });
    expect(r.checks[0].error).toBe('status 404, expected 200');
  });
});

describe('the health-probe stage with a release descriptor', () => {
  test('the release brings the basic level for its workloads and the namespace for service targets', async () => {
    const { report, outputs } = await healthProbe(
      {
        urls: ['web:80/healthy'],
        expectedStatus: '200',
        timeout: '5s',
        mode: 'once',
        duration: '0s',
        interval: '1s',
        failureThreshold: 5,
      },
      {
        client,
        release: {
          version: 'v1',
          cluster: {},
          namespace: 'shop',
          images: {},
          workloads: [
            { kind: 'Deployment', name: 'web', namespace: 'shop', revisionBefore: null, revisionAfter: 1 },
          ],
        },
      },
    );
    expect(report.checks.map((c) => [c.name, c.level, c.passing])).toEqual([
      ['deployment/web', 'basic', true],
      ['web:80/healthy', 'service', true],
    ]);
    expect(outputs).toMatchObject({ status: 'healthy', shouldRollback: false, consecutiveFailures: 0 });
    expect(JSON.parse(outputs.report).checks).toHaveLength(2);
  });
});

describe('when the API server answers in the app’s place', () => {
  test('a 503 of the API server’s own is "could not reach the app": not a failure, never a rollback', async () => {
    const undo = sim.faults.set({ verb: 'proxy', errorRate: 1, errorCode: 503 });
    try {
      const { report, outputs } = await healthProbe(
        {
          urls: ['web.shop:80/healthy'],
          expectedStatus: '200',
          timeout: '5s',
          mode: 'watch',
          duration: '300ms',
          interval: '100ms',
          failureThreshold: 2,
        },
        { client },
      );
      expect(report.status).toBe('unreachable');
      expect(report.shouldRollback).toBe(false);
      expect(outputs.shouldRollback).toBe(false);
      expect(report.rounds).toBeGreaterThanOrEqual(2); // more rounds than the threshold, and still no trip
      expect(report.checks[0].consecutiveFailures).toBe(0);
      expect(report.error).toMatch(/could not reach the app: the API server answered 503/);
      expect(report.error).not.toMatch(/expected 200/);
    } finally {
      undo();
    }
  });
});
