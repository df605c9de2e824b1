import { rolloutStatus } from '@upgrade-actions/kube';

type Obj = Parameters<typeof rolloutStatus>[0];

function deployment(opts: {
  generation?: number;
  observed?: number;
  replicas?: number | null;
  updated?: number;
  total?: number;
  available?: number;
  revision?: string;
  conditions?: { type: string; reason?: string }[];
}): Obj {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: 'web',
      namespace: 'default',
      generation: opts.generation ?? 1,
      annotations: opts.revision ? { 'deployment.kubernetes.io/revision': opts.revision } : {},
    },
    spec: opts.replicas === null ? {} : { replicas: opts.replicas ?? 3 },
    status: {
      observedGeneration: opts.observed ?? 1,
      replicas: opts.total ?? 3,
      updatedReplicas: opts.updated ?? 3,
      availableReplicas: opts.available ?? 3,
      conditions: opts.conditions ?? [],
    },
  };
}

describe('rolloutStatus for a Deployment says what kubectl rollout status says', () => {
  test.each([
    [
      'an unobserved update is not complete',
      deployment({ generation: 2, observed: 1 }),
      'Waiting for deployment spec update to be observed...',
      false,
    ],
    [
      'too few updated replicas',
      deployment({ updated: 1, total: 4 }),
      'Waiting for deployment "web" rollout to finish: 1 out of 3 new replicas have been updated...',
      false,
    ],
    [
      'old replicas pending termination',
      deployment({ total: 5 }),
      'Waiting for deployment "web" rollout to finish: 2 old replicas are pending termination...',
      false,
    ],
    [
      'updated replicas not yet available',
      deployment({ available: 1 }),
      'Waiting for deployment "web" rollout to finish: 1 of 3 updated replicas are available...',
      false,
    ],
    ['everything updated and available', deployment({}), 'deployment "web" successfully rolled out', true],
    [
      'scaled down to zero',
      deployment({ replicas: 0, updated: 0, total: 0, available: 0 }),
      'deployment "web" successfully rolled out',
      true,
    ],
    [
      'without spec.replicas the updated count is not checked',
      deployment({ replicas: null, updated: 0, total: 0, available: 0 }),
      'deployment "web" successfully rolled out',
      true,
    ],
    [
      'an observed generation ahead of the object still counts as observed',
      deployment({ generation: 1, observed: 2 }),
      'deployment "web" successfully rolled out',
      true,
    ],
    [
      'a Progressing condition that did not time out does not stop the wait',
      deployment({ updated: 1, conditions: [{ type: 'Progressing', reason: 'ReplicaSetUpdated' }] }),
      'Waiting for deployment "web" rollout to finish: 1 out of 3 new replicas have been updated...',
      false,
    ],
    [
      'the revision pin passes when the revisions agree',
      { ...deployment({ revision: '3' }), pin: 3 },
      'deployment "web" successfully rolled out',
      true,
    ],
  ])('%s', (_name, obj, message, done) => {
    const { pin, ...o } = obj as Obj & { pin?: number };
    expect(rolloutStatus(o, { revision: pin })).toEqual({ message, done });
  });

  test.each([
    [
      'a timed-out Progressing condition fails with the progress deadline error',
      deployment({ updated: 1, conditions: [{ type: 'Progressing', reason: 'ProgressDeadlineExceeded' }] }),
      0,
      'deployment "web" exceeded its progress deadline',
    ],
    [
      'a pinned revision that is not running fails',
      deployment({ revision: '2' }),
      3,
      'desired revision (3) is different from the running revision (2)',
    ],
    [
      'a pin on a Deployment without a revision compares with 0',
      deployment({}),
      1,
      'desired revision (1) is different from the running revision (0)',
    ],
    [
      'an unparsable revision annotation fails like strconv',
      deployment({ revision: 'x' }),
      1,
      'cannot get the revision of deployment "web": strconv.ParseInt: parsing "x": invalid syntax',
    ],
  ])('%s', (_name, obj, revision, message) => {
    expect(() => rolloutStatus(obj, { revision })).toThrow(new Error(message));
  });

  test('the revision pin is checked before the observed generation', () => {
    expect(() =>
      rolloutStatus(deployment({ generation: 3, observed: 2, revision: '1' }), { revision: 2 }),
    ).toThrow('desired revision (2) is different from the running revision (1)');
  });

  test('the progress deadline is only reported once the controller has observed the spec', () => {
    const d = deployment({
      generation: 2,
      observed: 1,
      conditions: [{ type: 'Progressing', reason: 'ProgressDeadlineExceeded' }],
    });
    expect(rolloutStatus(d)).toEqual({
      message: 'Waiting for deployment spec update to be observed...',
      done: false,
    });
  });
});

function statefulSet(opts: {
  type?: string;
  partition?: number | null;
  generation?: number;
  observed?: number;
  replicas?: number;
  ready?: number;
  updated?: number;
  current?: number;
  currentRevision?: string;
  updateRevision?: string;
}): Obj {
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: 'db', generation: opts.generation ?? 1 },
    spec: {
      replicas: opts.replicas ?? 3,
      updateStrategy:
        opts.partition === null
          ? { type: opts.type ?? 'RollingUpdate' }
          : { type: opts.type ?? 'RollingUpdate', rollingUpdate: { partition: opts.partition ?? 0 } },
    },
    status: {
      observedGeneration: opts.observed ?? 1,
      readyReplicas: opts.ready ?? 3,
      updatedReplicas: opts.updated ?? 3,
      currentReplicas: opts.current ?? 3,
      currentRevision: opts.currentRevision ?? 'db-1',
      updateRevision: opts.updateRevision ?? 'db-1',
    },
  };
}

describe('rolloutStatus for a StatefulSet says what kubectl rollout status says', () => {
  test.each([
    [
      'an observedGeneration of 0 is never observed',
      statefulSet({ generation: 0, observed: 0 }),
      'Waiting for statefulset spec update to be observed...',
      false,
    ],
    [
      'a newer generation is not observed',
      statefulSet({ generation: 2 }),
      'Waiting for statefulset spec update to be observed...',
      false,
    ],
    ['pods not ready', statefulSet({ ready: 1 }), 'Waiting for 2 pods to be ready...', false],
    [
      'a partitioned update in progress',
      statefulSet({ partition: 1, updated: 1 }),
      'Waiting for partitioned roll out to finish: 1 out of 2 new pods have been updated...',
      false,
    ],
    [
      'a partitioned update that reached its partition',
      statefulSet({ partition: 2, updated: 1 }),
      'partitioned roll out complete: 1 new pods have been updated...',
      true,
    ],
    [
      'with rollingUpdate set (the API default) completion is the partitioned message',
      statefulSet({}),
      'partitioned roll out complete: 3 new pods have been updated...',
      true,
    ],
    [
      'without rollingUpdate the revisions are compared',
      statefulSet({ partition: null, updated: 2, updateRevision: 'db-2' }),
      'waiting for statefulset rolling update to complete 2 pods at revision db-2...',
      false,
    ],
    [
      'without rollingUpdate and equal revisions it is complete',
      statefulSet({ partition: null }),
      'statefulset rolling update complete 3 pods at revision db-1...',
      true,
    ],
  ])('%s', (_name, obj, message, done) => {
    expect(rolloutStatus(obj)).toEqual({ message, done });
  });

  test('an OnDelete StatefulSet has no rollout status', () => {
    expect(() => rolloutStatus(statefulSet({ type: 'OnDelete' }))).toThrow(
      new Error('rollout status is only available for RollingUpdate strategy type'),
    );
  });
});

function daemonSet(opts: {
  type?: string;
  generation?: number;
  observed?: number;
  desired?: number;
  updated?: number;
  available?: number;
}): Obj {
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: 'agent', generation: opts.generation ?? 1 },
    spec: { updateStrategy: { type: opts.type ?? 'RollingUpdate' } },
    status: {
      observedGeneration: opts.observed ?? 1,
      desiredNumberScheduled: opts.desired ?? 4,
      updatedNumberScheduled: opts.updated ?? 4,
      numberAvailable: opts.available ?? 4,
    },
  };
}

describe('rolloutStatus for a DaemonSet says what kubectl rollout status says', () => {
  test.each([
    [
      'an unobserved update',
      daemonSet({ generation: 2 }),
      'Waiting for daemon set spec update to be observed...',
      false,
    ],
    [
      'pods not yet updated',
      daemonSet({ updated: 1 }),
      'Waiting for daemon set "agent" rollout to finish: 1 out of 4 new pods have been updated...',
      false,
    ],
    [
      'updated pods not available',
      daemonSet({ available: 3 }),
      'Waiting for daemon set "agent" rollout to finish: 3 of 4 updated pods are available...',
      false,
    ],
    ['all updated and available', daemonSet({}), 'daemon set "agent" successfully rolled out', true],
  ])('%s', (_name, obj, message, done) => {
    expect(rolloutStatus(obj)).toEqual({ message, done });
  });

  test('the revision pin is ignored for DaemonSets, as kubectl ignores it', () => {
    expect(rolloutStatus(daemonSet({}), { revision: 7 }).done).toBe(true);
  });

  test('an OnDelete DaemonSet has no rollout status', () => {
    expect(() => rolloutStatus(daemonSet({ type: 'OnDelete' }))).toThrow(
      'rollout status is only available for RollingUpdate strategy type',
    );
  });
});

test("kinds without a status viewer are refused with kubectl's message", () => {
  expect(() => rolloutStatus({ apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'j' } })).toThrow(
    'no status viewer has been implemented for Job.batch',
  );
});
