import {
  AppsV1Api,
  CoreV1Api,
  KubeConfig,
  PatchStrategy,
  setHeaderOptions,
  Watch,
  type V1Deployment,
} from '@kubernetes/client-node';
import { ScaledClock } from '../clock';
import { startKubeSim, type KubeSim } from '../sim';

// @kubernetes/client-node 2.x, unchanged, against the simulator: typed calls, patches, errors and watch.
let sim: KubeSim;
let kc: KubeConfig;

beforeAll(async () => {
  sim = await startKubeSim({ clock: new ScaledClock(20) });
  kc = new KubeConfig();
  kc.loadFromFile(sim.kubeconfigPath);
});

afterAll(async () => {
  await sim.stop();
});

const deployment = (name: string): V1Deployment => ({
  metadata: { name },
  spec: {
    replicas: 2,
    selector: { matchLabels: { app: name } },
    template: {
      metadata: { labels: { app: name } },
      spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] },
    },
  },
});

describe('@kubernetes/client-node against the simulator', () => {
  test('lists the bootstrap namespaces and nodes', async () => {
    const core = kc.makeApiClient(CoreV1Api);
    const nss = await core.listNamespace();
    expect(nss.items.map((n) => n.metadata?.name)).toEqual([
      'default',
      'kube-node-lease',
      'kube-public',
      'kube-system',
    ]);
    const nodes = await core.listNode();
    expect(
      nodes.items.every((n) => n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')),
    ).toBe(true);
  });

  test('creates a deployment that the controllers roll out, and reads its status', async () => {
    const apps = kc.makeApiClient(AppsV1Api);
    const created = await apps.createNamespacedDeployment({ namespace: 'default', body: deployment('api') });
    expect(created.metadata?.generation).toBe(1);
    let ready = 0;
    for (let i = 0; i < 200 && ready < 2; i++) {
      await new Promise((r) => setTimeout(r, 25));
      ready =
        (await apps.readNamespacedDeployment({ name: 'api', namespace: 'default' })).status?.readyReplicas ??
        0;
    }
    expect(ready).toBe(2);
  });

  test('a merge patch through the client changes the spec and bumps the generation', async () => {
    const apps = kc.makeApiClient(AppsV1Api);
    await apps.createNamespacedDeployment({ namespace: 'default', body: deployment('patched') });
    const out = await apps.patchNamespacedDeployment(
      { name: 'patched', namespace: 'default', body: { spec: { replicas: 4 } } },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    expect(out.spec?.replicas).toBe(4);
    expect(out.metadata?.generation).toBe(2);
  });

  test('a missing object rejects with the 404 Status body', async () => {
    const core = kc.makeApiClient(CoreV1Api);
    await expect(core.readNamespacedConfigMap({ name: 'nope', namespace: 'default' })).rejects.toMatchObject({
      code: 404,
      body: expect.stringContaining('configmaps \\"nope\\" not found'),
    });
  });

  test('Watch delivers ADDED and DELETED for a label-selected config map', async () => {
    const core = kc.makeApiClient(CoreV1Api);
    const seen: string[] = [];
    let done!: () => void;
    const finished = new Promise<void>((r) => (done = r));
    const ctl = await new Watch(kc).watch(
      '/api/v1/namespaces/default/configmaps',
      { labelSelector: 'watched=yes' },
      (type, obj) => {
        seen.push(`${type} ${obj.metadata.name}`);
        if (type === 'DELETED') done();
      },
      () => done(),
    );
    await core.createNamespacedConfigMap({
      namespace: 'default',
      body: { metadata: { name: 'other' }, data: {} },
    });
    await core.createNamespacedConfigMap({
      namespace: 'default',
      body: { metadata: { name: 'w', labels: { watched: 'yes' } }, data: {} },
    });
    await core.deleteNamespacedConfigMap({ name: 'w', namespace: 'default' });
    await finished;
    ctl.abort();
    expect(seen).toEqual(['ADDED w', 'DELETED w']);
  });
});
