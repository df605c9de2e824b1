import { KubeClient, loadClusterAccess } from '@upgrade-actions/kube';
import { startKubeSim, type KubeSim } from '@upgrade-actions/kube-sim';
import { expectSame, PARITY_TIMEOUT_MS, sortKeys } from './rollout-parity-helpers';

// Our `upgrade-actions rollout ...` and real kubectl (v1.32), run on the same objects of the same
// simulated API server, must print the same stdout and stderr and exit with the same code.
// Here on objects without controllers: the test writes each workload's status (and StatefulSet
// ControllerRevisions) itself, so both tools see exactly the same, unchanging object.

// ---------------------------------------------------------------- status, on frozen objects

describe('rollout status prints what kubectl prints, on the same objects', () => {
  let sim: KubeSim;
  let client: KubeClient;

  beforeAll(async () => {
    sim = await startKubeSim({ controllers: false });
    client = new KubeClient(loadClusterAccess({ path: sim.kubeconfigPath }));
    await client.request('POST', '/api/v1/namespaces', {
      body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'parity' } },
    });
  });

  afterAll(async () => {
    client?.close();
    await sim?.stop();
  });

  const selector = (app: string) => ({ matchLabels: { app } });
  const template = (app: string, image = 'nginx:1.27') => ({
    metadata: { labels: { app } },
    spec: { containers: [{ name: 'c', image }] },
  });

  /** Creates a workload, then sets its status through the status subresource (as its controller would). */
  async function workload(
    resource: 'deployments' | 'statefulsets' | 'daemonsets',
    name: string,
    spec: Record<string, unknown>,
    status: Record<string, unknown>,
    annotations?: Record<string, string>,
  ) {
    const kind = { deployments: 'Deployment', statefulsets: 'StatefulSet', daemonsets: 'DaemonSet' }[
      resource
    ];
    const base = `/apis/apps/v1/namespaces/parity/${resource}`;
    await client.request('POST', base, {
      body: {
        apiVersion: 'apps/v1',
        kind,
        metadata: { name, annotations },
        spec: { selector: selector(name), template: template(name), ...spec },
      },
    });
    await client.request('PATCH', `${base}/${name}/status`, {
      body: { status },
      contentType: 'application/merge-patch+json',
    });
  }

  beforeAll(async () => {
    const done = {
      observedGeneration: 1,
      replicas: 3,
      updatedReplicas: 3,
      readyReplicas: 3,
      availableReplicas: 3,
    };
    await workload('deployments', 'done', { replicas: 3 }, done, {
      'deployment.kubernetes.io/revision': '2',
    });
    await workload(
      'deployments',
      'deadline',
      { replicas: 3, progressDeadlineSeconds: 60 },
      {
        ...done,
        updatedReplicas: 1,
        conditions: [
          { type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable', message: 'ok' },
          {
            type: 'Progressing',
            status: 'False',
            reason: 'ProgressDeadlineExceeded',
            message: 'ReplicaSet "deadline-1" has timed out progressing.',
          },
        ],
      },
    );
    await workload('deployments', 'unobserved', { replicas: 3 }, { ...done, observedGeneration: 0 });
    await workload('deployments', 'updating', { replicas: 3 }, { ...done, replicas: 4, updatedReplicas: 1 });
    await workload(
      'deployments',
      'scaledown',
      { replicas: 2 },
      { ...done, replicas: 4, updatedReplicas: 2, availableReplicas: 2 },
    );
    await workload('deployments', 'unavailable', { replicas: 3 }, { ...done, availableReplicas: 1 });
    const rolling = (partition: number) => ({ type: 'RollingUpdate', rollingUpdate: { partition } });
    const sts = {
      observedGeneration: 1,
      replicas: 3,
      readyReplicas: 3,
      currentReplicas: 2,
      updatedReplicas: 1,
      currentRevision: 'db-1',
      updateRevision: 'db-2',
    };
    await workload(
      'statefulsets',
      'partitioned',
      { replicas: 3, serviceName: 'x', updateStrategy: rolling(1) },
      sts,
    );
    await workload(
      'statefulsets',
      'partition-done',
      { replicas: 3, serviceName: 'x', updateStrategy: rolling(2) },
      sts,
    );
    await workload(
      'statefulsets',
      'notready',
      { replicas: 3, serviceName: 'x', updateStrategy: rolling(0) },
      { ...sts, readyReplicas: 1 },
    );
    await workload(
      'statefulsets',
      'ondelete',
      { replicas: 3, serviceName: 'x', updateStrategy: { type: 'OnDelete' } },
      sts,
    );
    const ds = {
      observedGeneration: 1,
      desiredNumberScheduled: 3,
      currentNumberScheduled: 3,
      numberReady: 3,
      updatedNumberScheduled: 3,
      numberAvailable: 3,
      numberMisscheduled: 0,
    };
    await workload('daemonsets', 'agent', { updateStrategy: { type: 'RollingUpdate' } }, ds);
    await workload(
      'daemonsets',
      'agent-updating',
      { updateStrategy: { type: 'RollingUpdate' } },
      { ...ds, updatedNumberScheduled: 1 },
    );
    await workload(
      'daemonsets',
      'agent-unavailable',
      { updateStrategy: { type: 'RollingUpdate' } },
      { ...ds, numberAvailable: 2 },
    );
    await workload('daemonsets', 'agent-ondelete', { updateStrategy: { type: 'OnDelete' } }, ds);
  });

  test.each([
    ['a finished Deployment', ['deployment/done']],
    ['a Deployment pinned to its running revision', ['deployment/done', '--revision=2']],
    ['a Deployment pinned to another revision fails', ['deployment/done', '--revision', '1']],
    ['a Deployment past its progress deadline fails', ['deploy/deadline']],
    ['an unobserved update waits, then times out', ['deployment/unobserved', '--timeout=2s']],
    ['a Deployment with too few updated replicas', ['deployment', 'updating', '--timeout=2s']],
    ['a scale-down with old replicas pending termination', ['deployments/scaledown', '--timeout=2s']],
    ['updated replicas not yet available', ['deployment.apps/unavailable', '--timeout=2s']],
    ['--watch=false prints once and succeeds', ['deployment/unavailable', '--watch=false']],
    ['a partitioned StatefulSet roll out in progress', ['statefulset/partitioned', '--timeout=2s']],
    ['a partitioned StatefulSet roll out that reached its partition', ['sts/partition-done']],
    ['StatefulSet pods not ready', ['statefulset/notready', '--timeout=2s']],
    ['an OnDelete StatefulSet has no rollout status', ['statefulset/ondelete']],
    ['a finished DaemonSet', ['daemonset/agent']],
    ['a DaemonSet with pods to update', ['ds/agent-updating', '--timeout=2s']],
    ['a DaemonSet with pods not yet available', ['daemonset/agent-unavailable', '--timeout=2s']],
    ['an OnDelete DaemonSet has no rollout status', ['daemonset/agent-ondelete']],
    ['a missing Deployment', ['deployment/nope']],
    ['a negative revision', ['deployment/done', '--revision=-1']],
  ])(
    '%s',
    async (_name, args) => {
      await expectSame(sim, ['rollout', 'status', '-n', 'parity', ...args]);
    },
    PARITY_TIMEOUT_MS,
  );

  test(
    'the texts compared above are the ones kubectl users know',
    async () => {
      const r = await expectSame(sim, ['rollout', 'status', '-n', 'parity', 'deploy/deadline']);
      expect(r).toEqual({
        code: 1,
        stdout: '',
        stderr: 'error: deployment "deadline" exceeded its progress deadline\n',
      });
      const t = await expectSame(sim, [
        'rollout',
        'status',
        '-n',
        'parity',
        'sts/partitioned',
        '--timeout=2s',
      ]);
      expect(t.stdout).toBe(
        'Waiting for partitioned roll out to finish: 1 out of 2 new pods have been updated...\n',
      );
      expect(t.stderr).toBe('error: timed out waiting for the condition\n');
    },
    PARITY_TIMEOUT_MS,
  );

  test(
    'StatefulSet history and undo read ControllerRevisions as kubectl does',
    async () => {
      // Revision data as the StatefulSet controller writes it: the object's (server-defaulted) template
      // with `$patch: replace`, here with the image each revision had, serialized as Go's typed structs
      // are and then re-marshalled from a map, keys sorted (kubectl compares bytes: `creationTimestamp:
      // null` and `resources: {}` are always there, and the order of keys counts).
      const sts = await client.get<{
        metadata: { uid: string };
        spec: { template: { spec: { containers: { image: string }[] } } };
      }>('/apis/apps/v1/namespaces/parity/statefulsets/partitioned');
      for (const [rev, image, cause] of [
        [1, 'nginx:1.25', 'first'],
        [2, 'nginx:1.26', ''],
        [3, 'nginx:1.27', 'third'],
      ] as const) {
        const tpl = structuredClone(sts.spec.template);
        tpl.spec.containers[0].image = image;
        const goTyped = {
          ...tpl,
          metadata: { creationTimestamp: null, ...(tpl as { metadata?: object }).metadata },
          spec: { ...tpl.spec, containers: tpl.spec.containers.map((c) => ({ resources: {}, ...c })) },
        };
        await client.request('POST', '/apis/apps/v1/namespaces/parity/controllerrevisions', {
          body: {
            apiVersion: 'apps/v1',
            kind: 'ControllerRevision',
            metadata: {
              name: `partitioned-${rev}`,
              labels: { app: 'partitioned' },
              annotations: cause ? { 'kubernetes.io/change-cause': cause } : undefined,
              ownerReferences: [
                {
                  apiVersion: 'apps/v1',
                  kind: 'StatefulSet',
                  name: 'partitioned',
                  uid: sts.metadata.uid,
                  controller: true,
                },
              ],
            },
            revision: rev,
            data: sortKeys({ spec: { template: { ...goTyped, $patch: 'replace' } } }),
          },
        });
      }
      const table = await expectSame(sim, ['rollout', 'history', '-n', 'parity', 'statefulset/partitioned']);
      expect(table.stdout).toBe(
        'statefulset.apps/partitioned \nREVISION  CHANGE-CAUSE\n1         first\n2         <none>\n3         third\n\n',
      );
      await expectSame(sim, [
        'rollout',
        'history',
        '-n',
        'parity',
        'statefulset/partitioned',
        '--revision=2',
      ]);
      await expectSame(sim, [
        'rollout',
        'history',
        '-n',
        'parity',
        'statefulset/partitioned',
        '--revision=7',
      ]);
      await expectSame(sim, [
        'rollout',
        'undo',
        '-n',
        'parity',
        'statefulset/partitioned',
        '--dry-run=client',
      ]);
      await expectSame(sim, [
        'rollout',
        'undo',
        '-n',
        'parity',
        'statefulset/partitioned',
        '--to-revision=3',
      ]);
      await expectSame(sim, [
        'rollout',
        'undo',
        '-n',
        'parity',
        'statefulset/partitioned',
        '--to-revision=8',
      ]);
      await expectSame(sim, ['rollout', 'history', '-n', 'parity', 'daemonset/agent']);
    },
    PARITY_TIMEOUT_MS,
  );
});
