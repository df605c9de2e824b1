/* eslint-disable @typescript-eslint/no-explicit-any -- tests read loosely typed Kubernetes objects */
import { isPodReady } from '../controllers/objects';
import { simulatedNode } from '../bootstrap';
import { R } from '../resources';
import type { KObject } from '../types';
import { condition, harness, podTemplate, setImage, status, type Harness } from './controller-harness';

let h: Harness;
afterEach(() => h?.stop());

const nodeName = (p: KObject): string => (p.spec as { nodeName: string }).nodeName;
const imageOf = (p: KObject): string => (p.spec as any).containers[0].image;

describe('DaemonSet', () => {
  function createAgent(spec: Record<string, unknown> = {}): void {
    h.store.create(R.daemonsets, {
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name: 'agent', namespace: 'default' },
      spec: {
        selector: { matchLabels: { app: 'agent' } },
        template: podTemplate('agent', 'agent:1'),
        ...spec,
      },
    });
    h.ctl.flush();
  }
  const agent = (): KObject => h.get(R.daemonsets, 'agent');

  test('runs one pod on every node, pinned there by node affinity, and reports it in status', () => {
    h = harness({ nodes: ['n1', 'n2', 'n3'] });
    createAgent();
    h.advance(2000);
    const pods = h.pods();
    expect(pods.map(nodeName).sort()).toEqual(['n1', 'n2', 'n3']);
    const p = pods.find((x) => nodeName(x) === 'n2')!;
    expect(
      (p.spec as any).affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms,
    ).toEqual([{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['n2'] }] }]);
    expect(p.metadata.labels).toMatchObject({ app: 'agent', 'pod-template-generation': '1' });
    expect(status(agent())).toEqual({
      currentNumberScheduled: 3,
      numberMisscheduled: 0,
      desiredNumberScheduled: 3,
      numberReady: 3,
      observedGeneration: 1,
      updatedNumberScheduled: 3,
      numberAvailable: 3,
    });
  });

  test('a node that joins gets a pod; a nodeSelector limits the nodes', () => {
    h = harness({ nodes: ['n1'] });
    createAgent({
      template: {
        ...podTemplate('agent', 'agent:1'),
        spec: { nodeSelector: { role: 'edge' }, containers: [{ name: 'agent', image: 'agent:1' }] },
      },
    });
    expect(h.pods()).toHaveLength(0);
    const edge = simulatedNode('edge-1', '2026-03-01T10:00:00Z', 5);
    edge.metadata.labels = { ...edge.metadata.labels, role: 'edge' };
    h.store.create(R.nodes, edge);
    h.ctl.flush();
    expect(h.pods().map(nodeName)).toEqual(['edge-1']);
    expect(status(agent())).toMatchObject({ desiredNumberScheduled: 1, currentNumberScheduled: 1 });
  });

  test('a rolling update with maxUnavailable 1 replaces one node at a time', () => {
    h = harness({ nodes: ['n1', 'n2', 'n3', 'n4'] });
    createAgent();
    h.advance(2000);
    let minReady = Infinity;
    h.store.subscribe(() => {
      minReady = Math.min(minReady, h.pods((p) => isPodReady(p) && !p.metadata.deletionTimestamp).length);
    });
    h.edit(R.daemonsets, 'agent', (o) => setImage(o, 'agent:2'));
    h.advance(30_000);
    expect(minReady).toBe(3);
    expect(h.pods().map(imageOf)).toEqual(['agent:2', 'agent:2', 'agent:2', 'agent:2']);
    expect(status(agent())).toMatchObject({
      updatedNumberScheduled: 4,
      numberAvailable: 4,
      observedGeneration: 2,
    });
    expect(
      h.store
        .list(R.controllerrevisions, { namespace: 'default' })
        .map((r) => (r as any).revision)
        .sort(),
    ).toEqual([1, 2]);
  });

  test('a rolling update with maxSurge starts the new pod before removing the old one', () => {
    h = harness({ nodes: ['n1', 'n2'] });
    createAgent({
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
    });
    h.advance(2000);
    let minReady = Infinity;
    h.store.subscribe(() => {
      minReady = Math.min(minReady, h.pods((p) => isPodReady(p) && !p.metadata.deletionTimestamp).length);
    });
    h.edit(R.daemonsets, 'agent', (o) => setImage(o, 'agent:2'));
    h.advance(30_000);
    expect(minReady).toBe(2);
    expect(h.pods().map(imageOf)).toEqual(['agent:2', 'agent:2']);
  });

  test('OnDelete leaves old pods until they are deleted', () => {
    h = harness({ nodes: ['n1', 'n2'] });
    createAgent({ updateStrategy: { type: 'OnDelete' } });
    h.advance(2000);
    h.edit(R.daemonsets, 'agent', (o) => setImage(o, 'agent:2'));
    h.advance(30_000);
    expect(h.pods().map(imageOf)).toEqual(['agent:1', 'agent:1']);
    expect(status(agent()).updatedNumberScheduled).toBeUndefined();
  });
});

describe('Job', () => {
  function createJob(spec: Record<string, unknown>, image = 'task:1'): void {
    h.store.create(R.jobs, {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'migrate', namespace: 'default' },
      spec: {
        template: { spec: { restartPolicy: 'Never', containers: [{ name: 'migrate', image }] } },
        ...spec,
      },
    });
    h.ctl.flush();
  }
  const job = (): KObject => h.get(R.jobs, 'migrate');

  test('runs completions pods, parallelism at a time, then is Complete', () => {
    h = harness({ scenario: { 'task:1': { startDelayMs: 0, completeAfterMs: 10_000 } } });
    createJob({ completions: 3, parallelism: 2 });
    expect(h.pods()).toHaveLength(2);
    expect(h.pods()[0].metadata.labels).toMatchObject({
      'job-name': 'migrate',
      'batch.kubernetes.io/job-name': 'migrate',
    });
    expect(status(job())).toMatchObject({ active: 2, startTime: '2026-03-01T10:00:00Z' });
    h.advance(10_000);
    expect(status(job())).toMatchObject({ active: 1, succeeded: 2 });
    h.advance(10_000);
    expect(status(job())).toMatchObject({ succeeded: 3, completionTime: '2026-03-01T10:00:20Z', ready: 0 });
    expect(status(job()).active).toBeUndefined();
    expect(condition(job(), 'Complete')).toMatchObject({ status: 'True', reason: 'CompletionsReached' });
    expect(condition(job(), 'SuccessCriteriaMet')?.status).toBe('True');
  });

  test('pods that fail beyond backoffLimit fail the Job with BackoffLimitExceeded', () => {
    h = harness({ scenario: { 'task:bad': { startDelayMs: 0, completeAfterMs: 1000, exitCode: 2 } } });
    createJob({ backoffLimit: 2 }, 'task:bad');
    h.advance(10_000);
    expect(status(job())).toMatchObject({ failed: 3 });
    expect(condition(job(), 'Failed')).toMatchObject({
      status: 'True',
      reason: 'BackoffLimitExceeded',
      message: 'Job has reached the specified backoff limit',
    });
    expect(h.pods()).toHaveLength(3);
  });

  test('a Job running longer than activeDeadlineSeconds fails with DeadlineExceeded and stops its pods', () => {
    h = harness({ scenario: { 'task:slow': { completeAfterMs: 600_000 } } });
    createJob({ activeDeadlineSeconds: 60 }, 'task:slow');
    h.advance(59_000);
    expect(condition(job(), 'Failed')).toBeUndefined();
    h.advance(2_000);
    expect(condition(job(), 'Failed')).toMatchObject({
      reason: 'DeadlineExceeded',
      message: 'Job was active longer than specified deadline',
    });
    h.advance(2_000);
    expect(h.pods()).toHaveLength(0);
  });
});
