import {
  deploymentTimedOut,
  equalIgnoreHash,
  newRSNewReplicas,
  setNewReplicaSetAnnotations,
  type Deployment,
  type ReplicaSet,
} from '../controllers/deployment-util';
import { computeHash, fnv32a, safeEncode } from '../controllers/hash';
import { matchesSelector, resolveFenceposts, scaledValue } from '../controllers/objects';
import { deletionOrder } from '../controllers/pods';
import { WorkQueue } from '../controllers/queue';
import type { KObject } from '../types';

const deployment = (
  spec: Partial<Deployment['spec']> = {},
  annotations?: Record<string, string>,
): Deployment => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'default', generation: 1, ...(annotations ? { annotations } : {}) },
  spec: {
    replicas: 10,
    template: {
      metadata: { labels: { app: 'web' } },
      spec: { containers: [{ name: 'web', image: 'nginx' }] },
    },
    ...spec,
  },
});
const rs = (replicas: number, annotations?: Record<string, string>): ReplicaSet => ({
  apiVersion: 'apps/v1',
  kind: 'ReplicaSet',
  metadata: { name: `rs-${replicas}`, ...(annotations ? { annotations } : {}) },
  spec: { replicas },
});

describe('fenceposts', () => {
  test.each([
    // maxSurge, maxUnavailable, replicas → surge, unavailable
    ['25%', '25%', 5, 2, 1],
    ['25%', '25%', 4, 1, 1],
    ['25%', '25%', 1, 1, 0],
    [undefined, undefined, 10, 3, 2],
    [0, 0, 3, 0, 1],
    ['0%', '0%', 3, 0, 1],
    [2, '50%', 3, 2, 1],
    ['100%', 0, 7, 7, 0],
  ])(
    'maxSurge %p and maxUnavailable %p over %p replicas resolve to surge %p, unavailable %p',
    (s, u, n, surge, unavailable) => {
      expect(resolveFenceposts(s, u, n)).toEqual({ surge, unavailable });
    },
  );

  test.each([
    ['25', 10, 25],
    ['30%', 10, 3],
    [4, 10, 4],
  ])('IntOrString %p of %p is %p', (v, total, want) => {
    expect(scaledValue(v, total, true, 'maxSurge')).toBe(want);
  });

  test.each(['abc', '25 %', '-1%'])('IntOrString %p that is neither a number nor N%% is an error', (v) => {
    expect(() => scaledValue(v, 10, true, 'maxSurge')).toThrow('invalid value for IntOrString maxSurge');
  });
});

describe('new ReplicaSet size in a rolling update', () => {
  test.each([
    // replicas, maxSurge, old RS size, new RS size → new size
    [10, 3, 10, 0, 3],
    [10, 3, 8, 5, 5],
    [10, 3, 7, 5, 6],
    [10, 0, 9, 0, 1],
    [10, 3, 0, 8, 10],
  ])(
    'with %p replicas, surge %p, old %p and new %p the new ReplicaSet may grow to %p',
    (replicas, surge, oldSize, newSize, want) => {
      const d = deployment({ replicas, strategy: { rollingUpdate: { maxSurge: surge, maxUnavailable: 1 } } });
      const newRS = rs(newSize);
      expect(newRSNewReplicas(d, [rs(oldSize), newRS], newRS)).toBe(want);
    },
  );

  test('Recreate always asks for the full size', () => {
    const newRS = rs(0);
    expect(newRSNewReplicas(deployment({ strategy: { type: 'Recreate' } }), [rs(10), newRS], newRS)).toBe(10);
  });
});

describe('ReplicaSet annotations', () => {
  test('a new ReplicaSet gets the revision, replica annotations and the copied change-cause, not last-applied', () => {
    const d = deployment(
      { replicas: 4 },
      { 'kubernetes.io/change-cause': 'v2', 'kubectl.kubernetes.io/last-applied-configuration': '{}' },
    );
    const r = rs(0);
    expect(setNewReplicaSetAnnotations(d, r, 2, false)).toBe(true);
    expect(r.metadata.annotations).toEqual({
      'kubernetes.io/change-cause': 'v2',
      'deployment.kubernetes.io/revision': '2',
      'deployment.kubernetes.io/desired-replicas': '4',
      'deployment.kubernetes.io/max-replicas': '5',
    });
  });

  test('reusing an old ReplicaSet appends its former revision to revision-history', () => {
    const r = rs(0, {
      'deployment.kubernetes.io/revision': '3',
      'deployment.kubernetes.io/revision-history': '1',
    });
    expect(setNewReplicaSetAnnotations(deployment(), r, 5, true)).toBe(true);
    expect(r.metadata.annotations).toEqual({
      'deployment.kubernetes.io/revision': '5',
      'deployment.kubernetes.io/revision-history': '1,3',
    });
  });

  test('an up-to-date ReplicaSet is left alone', () => {
    const r = rs(0, { 'deployment.kubernetes.io/revision': '5' });
    expect(setNewReplicaSetAnnotations(deployment(), r, 5, true)).toBe(false);
  });
});

describe('progress deadline', () => {
  const progressing = (reason: string, lastUpdateTime: string) => ({
    conditions: [{ type: 'Progressing', status: 'True' as const, reason, lastUpdateTime }],
  });
  test.each([
    [
      'ReplicaSetUpdated',
      '2026-01-01T00:00:00Z',
      '2026-01-01T00:10:00Z',
      false,
      'exactly at the deadline is not late',
    ],
    ['ReplicaSetUpdated', '2026-01-01T00:00:00Z', '2026-01-01T00:10:01Z', true, 'after the deadline is late'],
    [
      'NewReplicaSetAvailable',
      '2026-01-01T00:00:00Z',
      '2026-01-01T05:00:00Z',
      false,
      'a complete rollout never times out',
    ],
    [
      'ProgressDeadlineExceeded',
      '2026-01-01T00:00:00Z',
      '2026-01-01T00:00:01Z',
      true,
      'a reported timeout stays',
    ],
  ])('%s since %s, at %s: timed out %p (%s)', (reason, since, now, want) => {
    expect(deploymentTimedOut(deployment(), progressing(reason, since), new Date(now))).toBe(want);
  });

  test('progressDeadlineSeconds of MaxInt32 means no deadline', () => {
    const d = deployment({ progressDeadlineSeconds: 2147483647 });
    expect(
      deploymentTimedOut(
        d,
        progressing('ReplicaSetUpdated', '2020-01-01T00:00:00Z'),
        new Date('2026-01-01T00:00:00Z'),
      ),
    ).toBe(false);
  });
});

describe('hashes and templates', () => {
  test('the pod-template-hash is stable, uses the safe alphabet and changes with the collision count', () => {
    const t = deployment().spec.template;
    expect(computeHash(t)).toBe(computeHash(structuredClone(t)));
    expect(computeHash(t)).toMatch(/^[4-9bcdf]{1,10}$/);
    expect(computeHash(t, 1)).not.toBe(computeHash(t));
    expect(computeHash({ spec: { b: 1, a: 2 } })).toBe(computeHash({ spec: { a: 2, b: 1 } }));
  });

  test.each([
    ['', 0x811c9dc5],
    ['a', 0xe40c292c],
    ['foobar', 0xbf9cf968],
  ])('FNV-32a of %p is the reference value %p', (s, want) => {
    expect(fnv32a(s)).toBe(want);
  });

  test('safe encoding maps decimal digits as rand.SafeEncodeString does', () => {
    expect(safeEncode('0123456789')).toBe('456789bcdf');
  });

  test('templates that differ only in the pod-template-hash label, or in empty fields, are equal', () => {
    const a = {
      metadata: { labels: { app: 'web', 'pod-template-hash': 'abc' } },
      spec: { containers: [{ name: 'c', image: 'x' }] },
    };
    const b = {
      metadata: { labels: { app: 'web' }, annotations: {} },
      spec: { containers: [{ name: 'c', image: 'x', env: [] }] },
    };
    expect(equalIgnoreHash(a, b)).toBe(true);
    expect(equalIgnoreHash(a, { ...b, spec: { containers: [{ name: 'c', image: 'y' }] } })).toBe(false);
  });
});

describe('label selectors', () => {
  test.each([
    [{ matchLabels: { app: 'web' } }, { app: 'web', x: '1' }, true],
    [{ matchLabels: { app: 'web' } }, { app: 'db' }, false],
    [{}, { app: 'web' }, true],
    [undefined, { app: 'web' }, false],
    [
      { matchExpressions: [{ key: 'tier', operator: 'In' as const, values: ['a', 'b'] }] },
      { tier: 'b' },
      true,
    ],
    [{ matchExpressions: [{ key: 'tier', operator: 'NotIn' as const, values: ['a'] }] }, {}, true],
    [{ matchExpressions: [{ key: 'tier', operator: 'Exists' as const }] }, {}, false],
    [{ matchExpressions: [{ key: 'tier', operator: 'DoesNotExist' as const }] }, { tier: 'x' }, false],
  ])('selector %j against labels %j matches: %p', (selector, labels, want) => {
    expect(matchesSelector(selector, labels)).toBe(want);
  });
});

describe('which pods a ReplicaSet deletes first', () => {
  const pod = (
    name: string,
    o: { node?: string; phase?: string; ready?: string; restarts?: number; created?: string },
  ): KObject => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, creationTimestamp: o.created ?? '2026-01-01T00:00:00Z' },
    spec: o.node ? { nodeName: o.node } : {},
    status: {
      phase: o.phase ?? 'Running',
      conditions: o.ready ? [{ type: 'Ready', status: 'True', lastTransitionTime: o.ready }] : [],
      containerStatuses: [{ restartCount: o.restarts ?? 0 }],
    },
  });
  test('unscheduled, then pending, then unready, then recently ready, then restarting, then newer pods go first', () => {
    const pods = [
      pod('old-ready', { node: 'n', ready: '2026-01-01T00:00:10Z' }),
      pod('new-ready', { node: 'n', ready: '2026-01-01T00:05:00Z' }),
      pod('unready', { node: 'n' }),
      pod('pending', { node: 'n', phase: 'Pending' }),
      pod('unscheduled', { phase: 'Pending' }),
      pod('restarting', { node: 'n', ready: '2026-01-01T00:00:10Z', restarts: 4 }),
    ];
    expect(pods.sort(deletionOrder).map((p) => p.metadata.name)).toEqual([
      'unscheduled',
      'pending',
      'unready',
      'new-ready',
      'restarting',
      'old-ready',
    ]);
  });
});

describe('the work queue', () => {
  test('coalesces a key queued many times into one sync per pass', () => {
    const seen: string[] = [];
    const q = new WorkQueue({ c: (k) => seen.push(k) }, () => undefined);
    for (let i = 0; i < 5; i++) q.add('c', 'ns/a');
    q.add('c', 'ns/b');
    q.flush();
    q.stop();
    expect(seen).toEqual(['ns/a', 'ns/b']);
  });

  test('a sync that keeps re-queueing itself makes flush fail instead of spinning forever', () => {
    const q: WorkQueue = new WorkQueue({ c: (k) => q.add('c', k) }, () => undefined);
    q.add('c', 'x');
    expect(() => q.flush(100)).toThrow('controllers did not settle after 100 passes');
    q.stop();
  });

  test('an error in one sync is reported and the others still run', () => {
    const errors: string[] = [];
    const seen: string[] = [];
    const q = new WorkQueue(
      {
        c: (k) => {
          if (k === 'bad') throw new Error('boom');
          seen.push(k);
        },
      },
      (controller, key, err) => errors.push(`${controller} ${key}: ${(err as Error).message}`),
    );
    q.add('c', 'bad');
    q.add('c', 'good');
    q.flush();
    q.stop();
    expect(errors).toEqual(['c bad: boom']);
    expect(seen).toEqual(['good']);
  });
});
