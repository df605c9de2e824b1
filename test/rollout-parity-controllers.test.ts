import {
  applyManifests,
  Discovery,
  followRolloutStatus,
  KubeClient,
  loadClusterAccess,
  parseManifests,
  resolveWorkload,
} from '@upgrade-actions/kube';
import { startKubeSim, type KubeSim } from '@upgrade-actions/kube-sim';
import { node24 } from './harness/run-action';
import { cli, expectSame, KUBECTL, PARITY_TIMEOUT_MS, run, waitFor } from './rollout-parity-helpers';

// Our `upgrade-actions rollout ...` and real kubectl (v1.32) on workloads rolled by the simulator's
// Deployment, StatefulSet and DaemonSet controllers: same stdout, stderr and exit code.

// ---------------------------------------------------------------- history and undo, with the controller

describe('rollout history and undo print what kubectl prints, on a Deployment the controller rolls', () => {
  let sim: KubeSim;
  let client: KubeClient;

  beforeAll(async () => {
    sim = await startKubeSim({
      speed: 50,
      controllers: {
        events: false,
        // Pods of this image run but never pass readiness: the rollout can only time out.
        scenario: { 'broken:*': { ready: false } },
      },
    });
    client = new KubeClient(loadClusterAccess({ path: sim.kubeconfigPath }));
  });

  afterAll(async () => {
    client?.close();
    await sim?.stop();
  });

  const manifest = (image: string, cause: string) => `
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, annotations: {kubernetes.io/change-cause: "${cause}"}}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web, tier: front}}
    spec:
      containers:
      - name: web
        image: ${image}
        ports: [{containerPort: 8080}]
        env: [{name: MODE, value: fast}]
        resources: {limits: {cpu: 500m, memory: 128Mi}}
`;

  async function rollTo(image: string, cause: string) {
    await applyManifests(client, parseManifests(manifest(image, cause), 'test'), {
      fieldManager: 'test',
      namespace: 'default',
    });
    await settle();
  }

  async function settle() {
    const target = await resolveWorkload(client, new Discovery(client), {
      type: 'deployment',
      name: 'web',
      namespace: 'default',
    });
    await followRolloutStatus(client, target, { timeoutMs: 20_000, onMessage: () => {} });
  }

  test(
    'history, history --revision, undo and its errors match kubectl',
    async () => {
      await rollTo('nginx:1.25', 'deploy 1.25');
      await rollTo('nginx:1.26', 'deploy 1.26');
      await rollTo('nginx:1.27', 'deploy 1.27');

      const table = await expectSame(sim, ['rollout', 'history', 'deployment/web']);
      expect(table.stdout).toBe(
        'deployment.apps/web \nREVISION  CHANGE-CAUSE\n1         deploy 1.25\n2         deploy 1.26\n3         deploy 1.27\n\n',
      );
      await expectSame(sim, ['rollout', 'history', 'deployment/web', '--revision=2']);
      await expectSame(sim, ['rollout', 'history', 'deployment/web', '--revision=9']);
      await expectSame(sim, ['rollout', 'status', 'deployment/web']);
      await expectSame(sim, ['rollout', 'undo', 'deployment/web', '--dry-run=client']);
      await expectSame(sim, ['rollout', 'undo', 'deployment/web', '--to-revision=9']);
      await expectSame(sim, ['rollout', 'undo', 'deployment/web', '--to-revision=3']);

      // kubectl undoes first; then ours undoes kubectl's undo. Both print the same line.
      const first = await run(KUBECTL, [
        'rollout',
        'undo',
        'deployment/web',
        '--kubeconfig',
        sim.kubeconfigPath,
      ]);
      expect(first).toEqual({ code: 0, stdout: 'deployment.apps/web rolled back\n', stderr: '' });
      await settle();
      const ours = await run(node24, [
        cli,
        'rollout',
        'undo',
        'deployment/web',
        '--kubeconfig',
        sim.kubeconfigPath,
      ]);
      expect(ours).toEqual(first);
      await settle();
      // Both undos are now in the history, identically seen by both tools.
      await expectSame(sim, ['rollout', 'history', 'deployment/web']);

      await client.request('PATCH', '/apis/apps/v1/namespaces/default/deployments/web', {
        body: { spec: { paused: true } },
        contentType: 'application/merge-patch+json',
      });
      const paused = await expectSame(sim, ['rollout', 'undo', 'deployment/web']);
      expect(paused.stderr).toBe(
        "error: you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume' and try again\n",
      );
      // A template change on a paused Deployment is observed but not rolled: status waits, then times out.
      await applyManifests(client, parseManifests(manifest('nginx:1.28', 'paused change'), 'test'), {
        fieldManager: 'test',
        namespace: 'default',
      });
      await waitFor(async () => {
        const d = await client.get<{
          metadata: { generation: number };
          status: { observedGeneration: number };
        }>('/apis/apps/v1/namespaces/default/deployments/web');
        return d.status.observedGeneration === d.metadata.generation;
      });
      const waiting = await expectSame(sim, ['rollout', 'status', 'deployment/web', '--timeout=300ms']);
      expect(waiting.stdout).toBe(
        'Waiting for deployment "web" rollout to finish: 0 out of 2 new replicas have been updated...\n',
      );
    },
    PARITY_TIMEOUT_MS,
  );

  test(
    'a rollout the controller marks as past its progress deadline fails alike',
    async () => {
      await applyManifests(
        client,
        parseManifests(
          manifest('broken:1', 'broken')
            .replace('name: web', 'name: stuck')
            .replace(/app: web/g, 'app: stuck')
            .replace('replicas: 2', 'replicas: 2\n  progressDeadlineSeconds: 5'),
          'test',
        ),
        { fieldManager: 'test', namespace: 'default' },
      );
      await waitFor(async () => {
        const d = await client.get<{ status?: { conditions?: { type: string; reason: string }[] } }>(
          '/apis/apps/v1/namespaces/default/deployments/stuck',
        );
        return (d.status?.conditions ?? []).some(
          (c) => c.type === 'Progressing' && c.reason === 'ProgressDeadlineExceeded',
        );
      });
      const r = await expectSame(sim, ['rollout', 'status', 'deployment/stuck']);
      expect(r).toEqual({
        code: 1,
        stdout: '',
        stderr: 'error: deployment "stuck" exceeded its progress deadline\n',
      });
    },
    PARITY_TIMEOUT_MS,
  );

  test(
    'a finished scale-down reports success alike',
    async () => {
      await client.request('PATCH', '/apis/apps/v1/namespaces/default/deployments/stuck', {
        body: { spec: { replicas: 0 } },
        contentType: 'application/merge-patch+json',
      });
      await waitFor(async () => {
        const d = await client.get<{
          status?: { replicas?: number; observedGeneration?: number };
          metadata: { generation: number };
        }>('/apis/apps/v1/namespaces/default/deployments/stuck');
        return (d.status?.replicas ?? 0) === 0 && d.status?.observedGeneration === d.metadata.generation;
      });
      await expectSame(sim, ['rollout', 'status', 'deployment/stuck']);
    },
    PARITY_TIMEOUT_MS,
  );

  const workload = (kind: 'StatefulSet' | 'DaemonSet', name: string, image: string, strategy: string) => `
apiVersion: apps/v1
kind: ${kind}
metadata: {name: ${name}, annotations: {kubernetes.io/change-cause: "${image}"}}
spec:
  ${kind === 'StatefulSet' ? 'replicas: 3\n  serviceName: db\n  ' : ''}selector: {matchLabels: {app: ${name}}}
  updateStrategy: ${strategy}
  template:
    metadata: {labels: {app: ${name}}}
    spec: {containers: [{name: c, image: "${image}"}]}
`;

  async function settled(resource: string, name: string) {
    await waitFor(async () => {
      const o = await client.get<{
        metadata: { generation: number };
        status?: {
          observedGeneration?: number;
          readyReplicas?: number;
          numberAvailable?: number;
          desiredNumberScheduled?: number;
          updatedReplicas?: number;
        };
      }>(`/apis/apps/v1/namespaces/default/${resource}/${name}`);
      return o.status?.observedGeneration === o.metadata.generation;
    });
    // Let pods that were just created become Ready.
    await new Promise((r) => setTimeout(r, 300));
  }

  test(
    'a StatefulSet rolled by the controller: partitioned status, history and undo match kubectl',
    async () => {
      const apply = (image: string, partition: number) =>
        applyManifests(
          client,
          parseManifests(
            workload(
              'StatefulSet',
              'db',
              image,
              `{type: RollingUpdate, rollingUpdate: {partition: ${partition}}}`,
            ),
            'test',
          ),
          { fieldManager: 'test', namespace: 'default' },
        );
      await apply('postgres:15', 0);
      await settled('statefulsets', 'db');
      await expectSame(sim, ['rollout', 'status', 'statefulset/db', '--timeout=2s']);
      await apply('postgres:16', 2);
      await settled('statefulsets', 'db');
      const partitioned = await expectSame(sim, ['rollout', 'status', 'sts/db', '--timeout=2s']);
      expect(partitioned.code).toBe(0);
      expect(partitioned.stdout).toMatch(
        /^partitioned roll out complete: 1 new pods have been updated\.\.\.\n$/,
      );
      await expectSame(sim, ['rollout', 'history', 'statefulset/db']);
      await expectSame(sim, ['rollout', 'history', 'statefulset/db', '--revision=1']);
      await expectSame(sim, ['rollout', 'undo', 'statefulset/db', '--dry-run=client']);
      // Undo to the running revision: kubectl compares the bytes of the controller's revision data with
      // Go's JSON of the live template, so this also checks the simulator writes that data canonically.
      const undoToCurrent = await expectSame(sim, ['rollout', 'undo', 'statefulset/db', '--to-revision=2']);
      expect(undoToCurrent).toEqual({
        code: 0,
        stdout: 'statefulset.apps/db skipped rollback (current template already matches revision 2)\n',
        stderr: '',
      });
    },
    PARITY_TIMEOUT_MS,
  );

  test(
    'a DaemonSet rolled by the controller: status, history and undo match kubectl',
    async () => {
      const apply = (image: string) =>
        applyManifests(
          client,
          parseManifests(workload('DaemonSet', 'agent', image, '{type: RollingUpdate}'), 'test'),
          {
            fieldManager: 'test',
            namespace: 'default',
          },
        );
      await apply('agent:1');
      await settled('daemonsets', 'agent');
      await apply('agent:2');
      await settled('daemonsets', 'agent');
      await expectSame(sim, ['rollout', 'status', 'daemonset/agent', '--timeout=2s']);
      await expectSame(sim, ['rollout', 'history', 'daemonset/agent']);
      await expectSame(sim, ['rollout', 'history', 'ds/agent', '--revision=2']);
      // As for the StatefulSet, kubectl's byte comparison with the controller's revision data.
      const undoToCurrent = await expectSame(sim, ['rollout', 'undo', 'daemonset/agent', '--to-revision=2']);
      expect(undoToCurrent).toEqual({
        code: 0,
        stdout: 'daemonset.apps/agent skipped rollback (current template already matches revision 2)\n',
        stderr: '',
      });
      await expectSame(sim, ['rollout', 'undo', 'daemonset/agent', '--dry-run=client']);
    },
    PARITY_TIMEOUT_MS,
  );
});
