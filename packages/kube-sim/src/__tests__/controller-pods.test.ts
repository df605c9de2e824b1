/* eslint-disable @typescript-eslint/no-explicit-any -- tests read loosely typed Kubernetes objects */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { restartBackoffMs } from '../controllers/kubelet';
import { simulatedNode } from '../bootstrap';
import { R } from '../resources';
import { matchSpecificity, Scenario, type PodLogSink } from '../scenario';
import type { KObject } from '../types';
import { condition, deploymentObject, harness, status, type Harness } from './controller-harness';

let h: Harness;
afterEach(() => h?.stop());

function createPod(name: string, image: string, extra: Record<string, unknown> = {}): void {
  h.store.create(R.pods, {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', labels: { run: name } },
    spec: { containers: [{ name: 'app', image }], ...extra },
  });
  h.ctl.flush();
}
const pod = (name = 'p'): KObject => h.get(R.pods, name);
const container = (name = 'p'): Record<string, any> => status(pod(name)).containerStatuses[0];

describe('a pod with the default scenario', () => {
  test('is scheduled, waits in ContainerCreating, then runs and turns Ready after one second', () => {
    h = harness();
    createPod('p', 'nginx:1.25');
    expect((pod().spec as { nodeName: string }).nodeName).toBe('kube-sim-control-plane');
    expect(status(pod()).phase).toBe('Pending');
    expect(container()).toMatchObject({
      ready: false,
      restartCount: 0,
      state: { waiting: { reason: 'ContainerCreating' } },
    });
    expect(status(pod()).podIP).toMatch(/^10\.244\.\d+\.\d+$/);
    h.advance(1000);
    expect(status(pod()).phase).toBe('Running');
    expect(container()).toMatchObject({
      ready: true,
      started: true,
      state: { running: { startedAt: '2026-03-01T10:00:01Z' } },
    });
    expect(condition(pod(), 'Ready')).toMatchObject({
      status: 'True',
      lastTransitionTime: '2026-03-01T10:00:01Z',
    });
    expect(condition(pod(), 'PodScheduled')?.status).toBe('True');
  });
});

describe('pod failure states', () => {
  test('a never-ready container runs but stays unready with ContainersNotReady', () => {
    h = harness({ scenario: { 'app:bad': { ready: false } } });
    createPod('p', 'app:bad');
    h.advance(10_000);
    expect(status(pod()).phase).toBe('Running');
    expect(container()).toMatchObject({ ready: false, state: { running: {} } });
    expect(condition(pod(), 'Ready')).toMatchObject({
      status: 'False',
      reason: 'ContainersNotReady',
      message: 'containers with unready status: [app]',
    });
  });

  test('a crashing container restarts, then waits in CrashLoopBackOff with its last exit recorded', () => {
    h = harness({ scenario: { 'app:crash': { startDelayMs: 0, crashAfterMs: 2000 } } });
    createPod('p', 'app:crash');
    h.advance(2000); // first crash: restarted at once
    expect(container()).toMatchObject({
      restartCount: 1,
      state: { running: {} },
      lastState: { terminated: { exitCode: 1, reason: 'Error' } },
    });
    h.advance(2000); // second crash: 10 s back-off
    expect(container()).toMatchObject({
      restartCount: 1,
      ready: false,
      state: { waiting: { reason: 'CrashLoopBackOff' } },
    });
    expect(container().state.waiting.message).toMatch(
      /^back-off 10s restarting failed container=app pod=p_default\(/,
    );
    expect(status(pod()).phase).toBe('Running');
    h.advance(10_000);
    expect(container()).toMatchObject({ restartCount: 2, state: { running: {} } });
  });

  test('an OOMKilled container records exit code 137 and reason OOMKilled', () => {
    h = harness({ scenario: { 'app:hungry': { startDelayMs: 500, oomAfterMs: 3000 } } });
    createPod('p', 'app:hungry');
    h.advance(3500);
    expect(container()).toMatchObject({
      restartCount: 1,
      lastState: { terminated: { exitCode: 137, reason: 'OOMKilled' } },
    });
  });

  test('an image that cannot be pulled goes ErrImagePull then ImagePullBackOff and the pod stays Pending', () => {
    h = harness({ scenario: { 'ghcr.io/org/missing': { pullError: true } } });
    createPod('p', 'ghcr.io/org/missing:v9');
    h.advance(1000);
    expect(container().state.waiting).toMatchObject({ reason: 'ErrImagePull' });
    h.advance(1000);
    expect(container().state.waiting).toEqual({
      reason: 'ImagePullBackOff',
      message: 'Back-off pulling image "ghcr.io/org/missing:v9"',
    });
    expect(status(pod()).phase).toBe('Pending');
    expect(container().ready).toBe(false);
  });

  test('a pull error is retried after the back-off and the pod starts once the scenario allows it', () => {
    h = harness({ scenario: { 'app:later': { pullError: 'manifest unknown' } } });
    createPod('p', 'app:later');
    h.advance(1500);
    expect(container().state.waiting).toEqual({ reason: 'ErrImagePull', message: 'manifest unknown' });
    h.ctl.scenario.remove('app:later');
    h.advance(30_000);
    expect(container()).toMatchObject({ ready: true, state: { running: {} } });
  });

  test('making an image unready at runtime turns its running pods unready, and back', () => {
    h = harness();
    createPod('p', 'web:1');
    h.advance(2000);
    h.ctl.scenario.set('web:1', { ready: false });
    h.ctl.flush();
    expect(condition(pod(), 'Ready')?.status).toBe('False');
    h.clock.advance(5000, () => h.ctl.flush());
    h.ctl.scenario.remove('web:1');
    h.ctl.flush();
    expect(condition(pod(), 'Ready')).toMatchObject({
      status: 'True',
      lastTransitionTime: '2026-03-01T10:00:07Z',
    });
  });

  test.each([
    [0, 0],
    [1, 10_000],
    [2, 20_000],
    [3, 40_000],
    [5, 160_000],
    [6, 300_000],
    [20, 300_000],
  ])('after %p restarts the next restart waits %p ms', (restarts, ms) => {
    expect(restartBackoffMs(restarts)).toBe(ms);
  });
});

describe('run-to-completion pods', () => {
  test.each([
    ['Never', 0, 'Succeeded', 'Completed'],
    ['Never', 3, 'Failed', 'Error'],
    ['OnFailure', 0, 'Succeeded', 'Completed'],
  ])('restartPolicy %s with exit code %p ends %s', (restartPolicy, exitCode, phase, reason) => {
    h = harness({ scenario: { 'task:1': { startDelayMs: 0, completeAfterMs: 5000, exitCode } } });
    createPod('p', 'task:1', { restartPolicy });
    h.advance(5000);
    expect(status(pod()).phase).toBe(phase);
    expect(container()).toMatchObject({
      ready: false,
      restartCount: 0,
      state: { terminated: { exitCode, reason } },
    });
    expect(condition(pod(), 'Ready')).toMatchObject({ status: 'False', reason: 'PodCompleted' });
  });

  test('restartPolicy OnFailure restarts a failing container', () => {
    h = harness({ scenario: { 'task:1': { startDelayMs: 0, completeAfterMs: 1000, exitCode: 1 } } });
    createPod('p', 'task:1', { restartPolicy: 'OnFailure' });
    h.advance(1000);
    expect(status(pod()).phase).toBe('Running');
    expect(container()).toMatchObject({ restartCount: 1, lastState: { terminated: { exitCode: 1 } } });
  });
});

describe('deletion', () => {
  test('a pod marked for deletion turns unready and disappears once its containers took stopDelayMs to stop', () => {
    h = harness({ scenario: { 'slow-stop:1': { stopDelayMs: 3000 } } });
    createPod('p', 'slow-stop:1');
    h.advance(2000);
    h.edit(R.pods, 'p', (p) => {
      p.metadata.deletionTimestamp = '2026-03-01T10:00:02Z';
    });
    expect(condition(pod(), 'Ready')?.status).toBe('False');
    h.advance(2999);
    expect(h.pods()).toHaveLength(1);
    h.advance(1);
    expect(h.pods()).toHaveLength(0);
  });
});

describe('scheduling', () => {
  test('without a fitting node a pod is Unschedulable until one is added', () => {
    h = harness({ nodes: [] });
    createPod('p', 'nginx:1');
    expect(condition(pod(), 'PodScheduled')).toMatchObject({ status: 'False', reason: 'Unschedulable' });
    h.store.create(R.nodes, simulatedNode('late-node', '2026-03-01T10:00:00Z', 1));
    h.ctl.flush();
    expect((pod().spec as { nodeName: string }).nodeName).toBe('late-node');
  });

  test('pods spread over nodes and respect nodeSelector', () => {
    h = harness({ nodes: ['a', 'b'] });
    h.edit(R.nodes, 'b', (n) => {
      n.metadata.labels = { ...n.metadata.labels, disk: 'ssd' };
    });
    createPod('p1', 'x');
    createPod('p2', 'x');
    createPod('p3', 'x', { nodeSelector: { disk: 'ssd' } });
    const nodeOf = (n: string) => (pod(n).spec as { nodeName: string }).nodeName;
    expect([nodeOf('p1'), nodeOf('p2'), nodeOf('p3')]).toEqual(['a', 'b', 'b']);
  });
});

describe('node failure', () => {
  function setNodeReady(name: string, ready: boolean, at: string): void {
    h.edit(R.nodes, name, (n) => {
      (n.status as any).conditions = [
        {
          type: 'Ready',
          status: ready ? 'True' : 'Unknown',
          reason: ready ? 'KubeletReady' : 'NodeStatusUnknown',
          lastTransitionTime: at,
        },
      ];
    });
  }

  test('pods on a NotReady node turn unready, and are evicted after 300 s to be replaced elsewhere', () => {
    h = harness({ nodes: ['a', 'b'] });
    h.store.create(R.deployments, deploymentObject('web', { replicas: 2 }));
    h.advance(2000);
    const onA = h.pods((p) => (p.spec as any).nodeName === 'a').map((p) => p.metadata.name);
    expect(onA).toHaveLength(1);
    setNodeReady('a', false, '2026-03-01T10:00:02Z');
    expect(condition(pod(onA[0]), 'Ready')?.status).toBe('False');
    expect(condition(pod(onA[0]), 'ContainersReady')?.status).toBe('True');
    expect((h.get(R.deployments, 'web').status as any).availableReplicas).toBe(1);
    h.advance(299_000);
    expect(h.store.get(R.pods, 'default', onA[0])).toBeDefined();
    h.advance(5_000);
    expect(h.store.get(R.pods, 'default', onA[0])).toBeUndefined();
    expect(h.pods().map((p) => (p.spec as any).nodeName)).toEqual(['b', 'b']);
    expect((h.get(R.deployments, 'web').status as any).availableReplicas).toBe(2);
  });

  test('a pod that tolerates not-ready without a limit stays, and is ready again when the node recovers', () => {
    h = harness({ nodes: ['a'] });
    createPod('p', 'nginx', {
      tolerations: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' }],
    });
    h.advance(2000);
    setNodeReady('a', false, '2026-03-01T10:00:02Z');
    h.advance(600_000);
    expect(condition(pod(), 'Ready')?.status).toBe('False');
    setNodeReady('a', true, '2026-03-01T10:10:02Z');
    expect(condition(pod(), 'Ready')?.status).toBe('True');
  });

  test('init containers show as completed', () => {
    h = harness();
    createPod('p', 'nginx', { initContainers: [{ name: 'migrate', image: 'tool:1' }] });
    h.advance(1000);
    expect(status(pod()).initContainerStatuses).toEqual([
      expect.objectContaining({
        name: 'migrate',
        ready: true,
        state: { terminated: expect.objectContaining({ exitCode: 0, reason: 'Completed' }) },
      }),
    ]);
    expect(status(pod()).phase).toBe('Running');
  });
});

describe('logs and backends', () => {
  test('a starting container writes the scenario log lines to the sink, again on each restart', () => {
    const lines: string[] = [];
    const podLogs: PodLogSink = { append: (ns, p, c, line) => lines.push(`${ns}/${p}/${c}: ${line}`) };
    h = harness({
      podLogs,
      scenario: { 'app:1': { startDelayMs: 0, logs: ['listening on :8080'], crashAfterMs: 1000 } },
    });
    createPod('p', 'app:1');
    h.advance(1000);
    expect(lines).toEqual(['default/p/app: listening on :8080', 'default/p/app: listening on :8080']);
  });

  test('a pod whose image has a backend is served by that real HTTP server', async () => {
    const server: Server = createServer((_req, res) => res.end('hello from backend'));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      h = harness({ scenario: { 'web:*': { backend: url } } });
      createPod('p', 'web:2');
      createPod('q', 'other:1');
      expect(h.ctl.backendFor('default', 'p')).toBe(url);
      expect(h.ctl.backendFor('default', 'q')).toBeUndefined();
      const body = await (await fetch(h.ctl.backendFor('default', 'p')!)).text();
      expect(body).toBe('hello from backend');
    } finally {
      server.closeAllConnections(); // fetch keeps the connection alive otherwise
      await new Promise((r) => server.close(r));
    }
  });
});

describe('the scenario table', () => {
  test.each([
    ['nginx:1.25', 'nginx:1.25', true],
    ['nginx', 'nginx:1.25', true],
    ['nginx', 'nginx@sha256:abc', true],
    ['nginx', 'nginxinc/nginx:1', false],
    ['ghcr.io/org/*', 'ghcr.io/org/app:v1', true],
    ['*:canary', 'ghcr.io/org/app:canary', true],
    ['*:canary', 'ghcr.io/org/app:stable', false],
    ['nginx:1.25', 'nginx:1.26', false],
  ])('pattern %p matches image %p: %p', (pattern, image, matches) => {
    expect(matchSpecificity(pattern, image) >= 0).toBe(matches);
  });

  test('the most specific entry wins: exact, then repository, then the longest glob', () => {
    const s = new Scenario({
      '*': { startDelayMs: 1 },
      'ghcr.io/*': { startDelayMs: 2 },
      'ghcr.io/org/app': { startDelayMs: 3 },
      'ghcr.io/org/app:v2': { startDelayMs: 4 },
    });
    expect(s.lookup('docker.io/x:1').startDelayMs).toBe(1);
    expect(s.lookup('ghcr.io/org/other:1').startDelayMs).toBe(2);
    expect(s.lookup('ghcr.io/org/app:v1').startDelayMs).toBe(3);
    expect(s.lookup('ghcr.io/org/app:v2').startDelayMs).toBe(4);
  });

  test('an image without an entry gets the defaults, and an entry overlays the defaults', () => {
    const s = new Scenario({ 'app:1': { crashAfterMs: 5 } });
    expect(s.lookup('other')).toEqual({ startDelayMs: 1000, ready: true, stopDelayMs: 500 });
    expect(s.lookup('app:1')).toEqual({ startDelayMs: 1000, ready: true, stopDelayMs: 500, crashAfterMs: 5 });
  });

  test.each([
    [{ startDelayMs: -1 }, 'scenario for image "x": startDelayMs must be a number of milliseconds >= 0'],
    [{ ready: 'yes' }, 'scenario for image "x": ready must be true or false'],
    [{ exitCode: 300 }, 'scenario for image "x": exitCode must be an integer from 0 to 255'],
    [{ backend: 'ftp://host' }, 'scenario for image "x": backend must be an http:// or https:// URL'],
    [{ logs: 'one line' }, 'scenario for image "x": logs must be a list of strings'],
    [{ crash: 1 }, 'scenario for image "x": unknown field "crash"'],
  ])('setting %p is rejected with a configuration error', (behaviour, message) => {
    const s = new Scenario();
    expect(() => s.set('x', behaviour as never)).toThrow(message);
    expect(() => s.set('x', behaviour as never)).toThrow(
      expect.objectContaining({ name: 'ConfigurationError' }),
    );
  });
});
