import { execFile, memoryLogger } from '@upgrade-actions/common';
import { deploy, parseImageOverrides, type DeployOptions } from '@upgrade-actions/deploy';
import { KubeClient, loadClusterAccess, parseManifests, type KubeObject } from '@upgrade-actions/kube';
import { startKubeSim, type KubeSim } from '@upgrade-actions/kube-sim';
import { FAILED_REVISION } from '@upgrade-actions/rollback';

// The deploy engine against the simulated cluster (50× real time). Pods of `bad:*` images never
// become Ready; Deployments give up after a 90 s (simulated, 1.8 s real) progress deadline, long enough
// that a busy machine's stalls do not push a good rollout past it (the clock counts CPU time too).

let sim: KubeSim;
let client: KubeClient;

beforeAll(async () => {
  sim = await startKubeSim({
    speed: 50,
    controllers: { events: false, scenario: { 'bad:*': { ready: false } } },
  });
  client = new KubeClient(loadClusterAccess({ path: sim.kubeconfigPath }));
});

afterAll(async () => {
  client?.close();
  await sim?.stop();
});

const app = (ns: string, image: string, extra = '') => `
apiVersion: v1
kind: Service
metadata: {name: web}
spec: {selector: {app: web}, ports: [{port: 80}]}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 3
  progressDeadlineSeconds: 90
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      initContainers: [{name: migrate, image: "${image}"}]
      containers: [{name: web, image: "${image}"}, {name: sidecar, image: "envoy:1.30"}]
---
apiVersion: v1
kind: Namespace
metadata: {name: ${ns}}
${extra}`;

function options(ns: string, text: string, extra: Partial<DeployOptions> = {}): DeployOptions {
  return {
    client,
    access: client.access,
    manifests: parseManifests(text, 'app.yaml'),
    namespace: ns,
    overrides: new Map(),
    fieldManager: 'upgrade-actions',
    serverSide: true,
    wait: true,
    timeoutMs: 20_000,
    apiCheck: true,
    policy: { forbidLatest: true, requireDigest: false },
    allowFailedRevision: false,
    rollbackOnFailure: true,
    identity: 'test-run',
    logger: memoryLogger(),
    ...extra,
  };
}

const image = (d: KubeObject, container = 0) =>
  (d.spec as { template: { spec: { containers: { image: string }[] } } }).template.spec.containers[container]
    .image;

async function kubectl(...args: string[]): Promise<string> {
  const r = await execFile('kubectl', ['--kubeconfig', sim.kubeconfigPath, ...args], { okCodes: [0, 1] });
  return r.stdout.toString() + r.stderr;
}

describe('deploying a release', () => {
  const NS = 'store';
  const digest = 'sha256:' + 'a'.repeat(64);

  test('a first deploy creates the namespace first, overrides images, follows the rollout and describes it', async () => {
    const logger = memoryLogger();
    const r = await deploy(
      options(NS, app(NS, 'web:1.0'), {
        overrides: parseImageOverrides(`web=ghcr.io/acme/web@${digest}`),
        changeCause: 'upgrade web to the build of abc123',
        logger,
      }),
    );
    expect(r.failures).toEqual([]);
    expect(r.applied.map((a) => `${a.name} ${a.action}`)).toEqual([
      'namespace/store created',
      'deployment.apps/web created',
      'service/web created',
    ]);
    expect(r.release).toMatchObject({
      version: 'v1',
      namespace: NS,
      cluster: { context: client.access.contextName, server: sim.url, kubernetesVersion: 'v1.32.0-kube-sim' },
      images: { 'docker.io/library/web': `ghcr.io/acme/web@${digest}` },
      workloads: [
        {
          kind: 'Deployment',
          name: 'web',
          namespace: NS,
          revisionBefore: null,
          revisionAfter: 1,
          changeCause: 'upgrade web to the build of abc123',
          images: {
            migrate: `ghcr.io/acme/web@${digest}`,
            web: `ghcr.io/acme/web@${digest}`,
            sidecar: 'envoy:1.30',
          },
        },
      ],
    });
    expect(logger.lines).toContain('group: Rollout status: deployment.apps/web');
    expect(logger.lines).toContain('deployment "web" successfully rolled out');
    expect(await kubectl('-n', NS, 'rollout', 'history', 'deployment/web')).toBe(
      'deployment.apps/web \nREVISION  CHANGE-CAUSE\n1         upgrade web to the build of abc123\n\n',
    );
  });

  test('manifests that name their namespace make the release that namespace, not the default one', async () => {
    const named = `apiVersion: v1
kind: Namespace
metadata: {name: shop2}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop2}
spec:
  replicas: 1
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: web, image: "web:1.0"}]}
`;
    const r = await deploy(options('default', named));
    expect(r.failures).toEqual([]);
    expect(r.release.workloads.map((w) => w.namespace)).toEqual(['shop2']);
    expect(r.release.namespace).toBe('shop2');
  });

  test('a new image is a new revision: the release records the revision before and after', async () => {
    const r = await deploy(options(NS, app(NS, 'web:1.1'), { changeCause: 'web 1.1' }));
    expect(r.applied.map((a) => a.action)).toEqual(['unchanged', 'configured', 'unchanged']);
    expect(r.release.workloads[0]).toMatchObject({ revisionBefore: 1, revisionAfter: 2 });
  });

  test('a rollout whose pods never become ready fails and the release is rolled back automatically', async () => {
    const logger = memoryLogger();
    const r = await deploy(options(NS, app(NS, 'bad:1.2'), { changeCause: 'web 1.2', logger }));
    expect(r.failures).toEqual([
      { workload: `${NS}/deployment.apps/web`, message: 'deployment "web" exceeded its progress deadline' },
    ]);
    expect(r.release.workloads[0]).toMatchObject({ revisionBefore: 2, revisionAfter: 3 });
    expect(r.rollback?.outcomes).toEqual([
      expect.objectContaining({ action: 'rolled-back', from: 3, to: 2, revision: 4, verified: true }),
    ]);
    expect(logger.lines).toContain('group: Automatic rollback');
    const d = await client.get(`/apis/apps/v1/namespaces/${NS}/deployments/web`);
    expect(image(d)).toBe('web:1.1');
    expect(d.metadata?.annotations?.[FAILED_REVISION]).toBe('3');
  });

  test('deploying the template that was rolled back is refused before anything changes', async () => {
    const before = await client.get(`/apis/apps/v1/namespaces/${NS}/deployments/web`);
    await expect(deploy(options(NS, app(NS, 'bad:1.2'), { changeCause: 'web 1.2' }))).rejects.toThrow(
      /^deployment\.apps\/web: this pod template is revision 3, which was rolled back at .* \(deploy failed: store\/deployment\.apps\/web: deployment "web" exceeded its progress deadline\); fix it, or set allow-failed-revision to deploy it again$/,
    );
    const after = await client.get(`/apis/apps/v1/namespaces/${NS}/deployments/web`);
    expect(after.metadata?.resourceVersion).toBe(before.metadata?.resourceVersion);
  });

  test('with allow-failed-revision the marked template may be deployed again', async () => {
    const r = await deploy(
      options(NS, app(NS, 'bad:1.2'), {
        allowFailedRevision: true,
        rollbackOnFailure: false,
        wait: false,
        changeCause: 'retry',
      }),
    );
    expect(r.release.workloads[0]).toMatchObject({ revisionBefore: 4, revisionAfter: 5 });
    expect(r.rollback).toBeUndefined();
  });
});

describe('a StatefulSet release', () => {
  const NS = 'data';
  const sts = (image: string) => `apiVersion: v1
kind: Namespace
metadata: {name: ${NS}}
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db}
spec:
  replicas: 3
  serviceName: db
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec: {containers: [{name: db, image: "${image}"}]}
`;

  test('records ControllerRevision numbers; pods that never become Ready time out and the StatefulSet is rolled back', async () => {
    const first = await deploy(options(NS, sts('db:1')));
    expect(first.release.workloads).toEqual([
      {
        kind: 'StatefulSet',
        name: 'db',
        namespace: NS,
        revisionBefore: null,
        revisionAfter: 1,
        images: { db: 'db:1' },
      },
    ]);
    const logger = memoryLogger();
    const r = await deploy(options(NS, sts('bad:2'), { timeoutMs: 2000, logger }));
    expect(r.failures).toEqual([
      { workload: `${NS}/statefulset.apps/db`, message: 'timed out waiting for the condition' },
    ]);
    expect(r.release.workloads[0]).toMatchObject({ revisionBefore: 1, revisionAfter: 2 });
    expect(r.rollback?.outcomes).toEqual([
      expect.objectContaining({ action: 'rolled-back', from: 2, to: 1, verified: true }),
    ]);
    // The broken pod was deleted so the controller could go on (StatefulSet forced rollback).
    expect(logger.lines.some((l) => /^deleting pod db-2, stuck on the failed revision/.test(l))).toBe(true);
    const s = await client.get(`/apis/apps/v1/namespaces/${NS}/statefulsets/db`);
    expect(image(s)).toBe('db:1');
  });
});

describe('bad input changes nothing', () => {
  const NS = 'quiet';
  beforeAll(async () => {
    await client.request('POST', '/api/v1/namespaces', {
      body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } },
    });
  });
  afterEach(async () => {
    const list = await client.get<{ items: KubeObject[] }>(`/api/v1/namespaces/${NS}/configmaps`);
    expect(list.items.map((c) => c.metadata?.name)).toEqual([]);
  });

  const configMap = `apiVersion: v1
kind: ConfigMap
metadata: {name: settings}
data: {mode: fast}
---
`;

  test.each([
    [
      'an image tagged latest',
      `${configMap}${app(NS, 'web:latest')}`,
      {},
      'forbid-latest: image web:latest uses the latest tag; production deploys need a version tag or digest',
    ],
    [
      'an image without a digest when digests are required',
      `${configMap}${app(NS, 'web:1.0')}`,
      { policy: { forbidLatest: true, requireDigest: true } },
      'require-digest: image web:1.0 has no digest; pin it as name@sha256:<digest>; image envoy:1.30 has no digest; pin it as name@sha256:<digest>',
    ],
    [
      'an API the cluster no longer serves',
      `${configMap}apiVersion: extensions/v1beta1\nkind: Ingress\nmetadata: {name: old}\nspec: {}\n`,
      {},
      "api-check: 1 object(s) use APIs not served at Kubernetes 1.32, the cluster's version: app.yaml: extensions/v1beta1 Ingress is no longer served",
    ],
    [
      'a kind the server does not serve',
      `${configMap}apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\n`,
      {},
      'manifests: app.yaml: document 2: the server has no resource for example.com/v1 Widget',
    ],
  ])('%s is refused before the first write', async (_name, text, extra, message) => {
    await expect(deploy(options(NS, text, extra))).rejects.toThrow(message);
  });
});

describe('client-side apply', () => {
  test('server-side false applies through kubectl, leaving the last-applied configuration kubectl keeps', async () => {
    const NS = 'classic';
    const r = await deploy(
      options(NS, app(NS, 'web:2.0'), { serverSide: false, kubectl: { kubeconfig: sim.kubeconfigPath } }),
    );
    expect(r.applied.map((a) => `${a.name} ${a.action}`)).toEqual([
      'namespace/classic created',
      'deployment.apps/web created',
      'service/web created',
    ]);
    const d = await client.get(`/apis/apps/v1/namespaces/${NS}/deployments/web`);
    expect(d.metadata?.annotations?.['kubectl.kubernetes.io/last-applied-configuration']).toContain(
      '"web:2.0"',
    );
    expect(r.release.workloads[0]).toMatchObject({ revisionBefore: null, revisionAfter: 1 });
  });
});
