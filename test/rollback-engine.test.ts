import { execFile } from '@upgrade-actions/common';
import {
  applyManifests,
  Discovery,
  followRolloutStatus,
  KubeClient,
  loadClusterAccess,
  parseManifests,
  resolveWorkload,
  type KubeObject,
} from '@upgrade-actions/kube';
import { startKubeSim, type KubeSim } from '@upgrade-actions/kube-sim';
import {
  FAILED_REASON,
  FAILED_REVISION,
  FAILED_TEMPLATE,
  ROLLED_BACK_TO,
  leaseName,
  microTime,
  rollback,
  templateFingerprint,
  type Lease,
  type RollbackTarget,
} from '@upgrade-actions/rollback';

// The rollback engine against the simulated cluster: pods of `bad:*` images never become Ready, so a
// rollout to them fails; the clock runs 50× real time.

let sim: KubeSim;
let client: KubeClient;
const NS = 'shop';

beforeAll(async () => {
  sim = await startKubeSim({
    speed: 50,
    controllers: { events: false, scenario: { 'bad:*': { ready: false } } },
  });
  client = new KubeClient(loadClusterAccess({ path: sim.kubeconfigPath }));
  await client.request('POST', '/api/v1/namespaces', {
    body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } },
  });
});

afterAll(async () => {
  client?.close();
  await sim?.stop();
});

function workload(kind: 'Deployment' | 'StatefulSet', name: string, image: string, cause: string): string {
  return `
apiVersion: apps/v1
kind: ${kind}
metadata:
  name: ${name}
  annotations: {kubernetes.io/change-cause: "${cause}"}
spec:
  replicas: 3
  ${kind === 'Deployment' ? 'progressDeadlineSeconds: 90' : `serviceName: ${name}`}
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec:
      containers: [{name: app, image: "${image}"}]
`;
}

/** Applies and follows the rollout; returns the revision the workload is at and whether it completed. */
async function deploy(kind: 'Deployment' | 'StatefulSet', name: string, image: string, cause = image) {
  await applyManifests(client, parseManifests(workload(kind, name, image, cause), `${name}.yaml`), {
    fieldManager: 'test',
    namespace: NS,
  });
  const target = await resolveWorkload(client, new Discovery(client), { type: kind, name, namespace: NS });
  try {
    await followRolloutStatus(client, target, { timeoutMs: 4000, onMessage: () => {} });
    return true;
  } catch {
    return false;
  }
}

const get = (kind: string, name: string) =>
  client.get(`/apis/apps/v1/namespaces/${NS}/${kind.toLowerCase()}s/${name}`);

async function kubectl(...args: string[]): Promise<string> {
  const r = await execFile('kubectl', ['--kubeconfig', sim.kubeconfigPath, '-n', NS, ...args], {
    okCodes: [0, 1],
  });
  return r.stdout.toString() + r.stderr.toString();
}

function releaseTarget(
  kind: string,
  name: string,
  before: number | null,
  after: number | null,
): RollbackTarget {
  return { type: kind, name, namespace: NS, release: { revisionBefore: before, revisionAfter: after } };
}

const base = { reason: 'health checks failed', timeoutMs: 10_000 };
const opts = (targets: RollbackTarget[], identity = 'run-1', extra: object = {}) => ({
  ...base,
  client,
  targets,
  identity,
  ...extra,
});

describe('rolling back a failed release', () => {
  beforeAll(async () => {
    expect(await deploy('Deployment', 'web', 'web:v1')).toBe(true);
    expect(await deploy('Deployment', 'web', 'bad:v2')).toBe(false);
  });

  test('restores the revision before the release, waits for it, verifies it and marks the failed revision', async () => {
    const failed = await get('Deployment', 'web');
    const result = await rollback(opts([releaseTarget('Deployment', 'web', 1, 2)]));
    expect(result.outcomes).toEqual([
      expect.objectContaining({
        displayName: 'deployment.apps/web',
        action: 'rolled-back',
        from: 2,
        to: 1,
        revision: 3,
        verified: true,
      }),
    ]);
    const d = await get('Deployment', 'web');
    expect(
      (d.spec as { template: { spec: { containers: { image: string }[] } } }).template.spec.containers[0]
        .image,
    ).toBe('web:v1');
    expect(d.metadata?.annotations).toMatchObject({
      [FAILED_REVISION]: '2',
      [FAILED_REASON]: 'health checks failed',
      [ROLLED_BACK_TO]: '3',
      [FAILED_TEMPLATE]: templateFingerprint((failed.spec as { template: object }).template),
    });
    // kubectl sees what kubectl rollout undo would have left: the restored revision renumbered 3.
    expect(await kubectl('rollout', 'history', 'deployment/web')).toBe(
      'deployment.apps/web \nREVISION  CHANGE-CAUSE\n2         bad:v2\n3         web:v1\n\n',
    );
    expect(await kubectl('rollout', 'status', 'deployment/web', '--watch=false')).toBe(
      'deployment "web" successfully rolled out\n',
    );
  });

  test('a second rollback of the same release changes nothing and says it was already done', async () => {
    const before = await get('Deployment', 'web');
    const result = await rollback(opts([releaseTarget('Deployment', 'web', 1, 2)], 'run-2'));
    expect(result.outcomes[0]).toMatchObject({ action: 'already-rolled-back', revision: 3 });
    expect(result.outcomes[0].message).toMatch(/^already rolled back: revision 2 was marked failed at /);
    const after = await get('Deployment', 'web');
    expect(after.metadata?.generation).toBe(before.metadata?.generation);
  });

  test('the Lease is left released, naming the last holder nowhere', async () => {
    const lease = await client.get<Lease>(
      `/apis/coordination.k8s.io/v1/namespaces/${NS}/leases/${leaseName('Deployment', 'web')}`,
    );
    expect(lease.spec?.holderIdentity).toBe('');
    expect(lease.spec?.leaseTransitions).toBe(1);
  });
});

describe('two pipelines rolling back one workload at once', () => {
  test('are serialized through the Lease: one rolls back, the other waits and then finds it done', async () => {
    expect(await deploy('Deployment', 'api', 'api:v1')).toBe(true);
    expect(await deploy('Deployment', 'api', 'bad:v2')).toBe(false);
    const target = releaseTarget('Deployment', 'api', 1, 2);
    const [a, b] = await Promise.all([
      rollback(opts([target], 'pipeline-a')),
      rollback(opts([target], 'pipeline-b')),
    ]);
    const actions = [a.outcomes[0].action, b.outcomes[0].action].sort();
    expect(actions).toEqual(['already-rolled-back', 'rolled-back']);
    const second = a.outcomes[0].action === 'rolled-back' ? b.outcomes[0] : a.outcomes[0];
    expect(second.lockWaitMs).toBeGreaterThan(0);
    // One undo only: the history has exactly one new revision.
    expect(await kubectl('rollout', 'history', 'deployment/api')).toBe(
      'deployment.apps/api \nREVISION  CHANGE-CAUSE\n2         bad:v2\n3         api:v1\n\n',
    );
  });

  test("a Lease left by a crashed run is taken over once its holder's claim runs out", async () => {
    expect(await deploy('Deployment', 'cart', 'cart:v1')).toBe(true);
    expect(await deploy('Deployment', 'cart', 'bad:v2')).toBe(false);
    await client.request('POST', `/apis/coordination.k8s.io/v1/namespaces/${NS}/leases`, {
      body: {
        apiVersion: 'coordination.k8s.io/v1',
        kind: 'Lease',
        metadata: { name: leaseName('Deployment', 'cart') },
        spec: { holderIdentity: 'crashed-run', leaseDurationSeconds: 1, renewTime: microTime(Date.now()) },
      },
    });
    const result = await rollback(opts([releaseTarget('Deployment', 'cart', 1, 2)], 'rescuer'));
    expect(result.outcomes[0]).toMatchObject({ action: 'rolled-back', verified: true });
    expect(result.outcomes[0].lockWaitMs).toBeGreaterThan(0);
  });

  test('a Lease held past lock-timeout ends with a clear error and changes nothing', async () => {
    expect(await deploy('Deployment', 'pay', 'pay:v1')).toBe(true);
    expect(await deploy('Deployment', 'pay', 'bad:v2')).toBe(false);
    await client.request('POST', `/apis/coordination.k8s.io/v1/namespaces/${NS}/leases`, {
      body: {
        apiVersion: 'coordination.k8s.io/v1',
        kind: 'Lease',
        metadata: { name: leaseName('Deployment', 'pay') },
        spec: {
          holderIdentity: 'other-pipeline',
          leaseDurationSeconds: 3600,
          renewTime: microTime(Date.now()),
        },
      },
    });
    await expect(
      rollback(opts([releaseTarget('Deployment', 'pay', 1, 2)], 'late', { lockTimeoutMs: 300 })),
    ).rejects.toThrow(
      `timed out after 0s waiting for lease ${NS}/upgrade-actions-deployment-pay, held by other-pipeline`,
    );
    expect(
      (await get('Deployment', 'pay')).metadata?.annotations?.['deployment.kubernetes.io/revision'],
    ).toBe('2');
  });
});

describe('bad requests change nothing', () => {
  let before: KubeObject;
  beforeAll(async () => {
    expect(await deploy('Deployment', 'cfg', 'cfg:v1')).toBe(true);
    expect(await deploy('Deployment', 'cfg', 'cfg:v2')).toBe(true);
    before = await get('Deployment', 'cfg');
  });
  afterEach(async () => {
    expect((await get('Deployment', 'cfg')).metadata?.resourceVersion).toBe(before.metadata?.resourceVersion);
  });

  test("an unknown to-revision fails with kubectl's message", async () => {
    await expect(
      rollback(opts([{ type: 'Deployment', name: 'cfg', namespace: NS }], 'x', { toRevision: 9 })),
    ).rejects.toThrow('deployment.apps/cfg: unable to find specified revision 9 in history');
  });

  test('a workload that does not exist fails naming it', async () => {
    await expect(rollback(opts([{ type: 'Deployment', name: 'nope', namespace: NS }], 'x'))).rejects.toThrow(
      `deployment/nope in namespace ${NS} does not exist`,
    );
  });

  test("a paused deployment is refused with kubectl's advice, before any other workload is touched", async () => {
    await client.request('PATCH', `/apis/apps/v1/namespaces/${NS}/deployments/cfg`, {
      contentType: 'application/merge-patch+json',
      body: { spec: { paused: true } },
    });
    try {
      await expect(rollback(opts([{ type: 'Deployment', name: 'cfg', namespace: NS }], 'x'))).rejects.toThrow(
        "deployment.apps/cfg: you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume' and try again",
      );
    } finally {
      await client.request('PATCH', `/apis/apps/v1/namespaces/${NS}/deployments/cfg`, {
        contentType: 'application/merge-patch+json',
        body: { spec: { paused: false } },
      });
      before = await get('Deployment', 'cfg');
    }
  });
});

describe('explicit workloads and releases that no longer describe the cluster', () => {
  test('undoing an explicit workload twice rolls it back once', async () => {
    expect(await deploy('Deployment', 'ui', 'ui:v1')).toBe(true);
    expect(await deploy('Deployment', 'ui', 'bad:v2')).toBe(false);
    const target = { type: 'deploy', name: 'ui', namespace: NS };
    const first = await rollback(opts([target], 'one'));
    expect(first.outcomes[0]).toMatchObject({ action: 'rolled-back', from: 2, to: 1, revision: 3 });
    const second = await rollback(opts([target], 'two'));
    expect(second.outcomes[0]).toMatchObject({ action: 'already-rolled-back', revision: 3 });
  });

  test('a workload that moved on since the release is not undone', async () => {
    expect(await deploy('Deployment', 'feed', 'feed:v1')).toBe(true);
    expect(await deploy('Deployment', 'feed', 'feed:v2')).toBe(true);
    expect(await deploy('Deployment', 'feed', 'feed:v3')).toBe(true);
    const result = await rollback(opts([releaseTarget('Deployment', 'feed', 1, 2)]));
    expect(result.outcomes[0]).toMatchObject({ action: 'skipped', revision: 3 });
    expect(result.outcomes[0].message).toBe(
      'it moved on to revision 3 since the release (which made revision 2); not undoing a newer change',
    );
  });

  test('a DaemonSet is rolled back to its previous ControllerRevision and verified on every node', async () => {
    const ds = (image: string) => `apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent}
spec:
  selector: {matchLabels: {app: agent}}
  template:
    metadata: {labels: {app: agent}}
    spec: {containers: [{name: agent, image: "${image}"}]}
`;
    for (const image of ['agent:v1', 'agent:v2']) {
      await applyManifests(client, parseManifests(ds(image), 'ds.yaml'), {
        fieldManager: 'test',
        namespace: NS,
      });
      const target = await resolveWorkload(client, new Discovery(client), {
        type: 'ds',
        name: 'agent',
        namespace: NS,
      });
      await followRolloutStatus(client, target, { timeoutMs: 10_000, onMessage: () => {} });
    }
    const result = await rollback(opts([{ type: 'daemonset', name: 'agent', namespace: NS }], 'ds'));
    expect(result.outcomes[0]).toMatchObject({
      displayName: 'daemonset.apps/agent',
      action: 'rolled-back',
      from: 2,
      to: 1,
      verified: true,
    });
    const d = await get('DaemonSet', 'agent');
    expect(
      (d.spec as { template: { spec: { containers: { image: string }[] } } }).template.spec.containers[0]
        .image,
    ).toBe('agent:v1');
    const again = await rollback(opts([{ type: 'daemonset', name: 'agent', namespace: NS }], 'ds-2'));
    expect(again.outcomes[0].action).toBe('already-rolled-back');
  });

  test('a StatefulSet is rolled back to its previous ControllerRevision', async () => {
    expect(await deploy('StatefulSet', 'db', 'db:v1')).toBe(true);
    await deploy('StatefulSet', 'db', 'bad:v2');
    const result = await rollback(opts([{ type: 'sts', name: 'db', namespace: NS }], 'sts'));
    expect(result.outcomes[0]).toMatchObject({
      displayName: 'statefulset.apps/db',
      action: 'rolled-back',
      from: 2,
      to: 1,
      verified: true,
    });
    const s = await get('StatefulSet', 'db');
    expect(
      (s.spec as { template: { spec: { containers: { image: string }[] } } }).template.spec.containers[0]
        .image,
    ).toBe('db:v1');
  });
});
