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
import { runAction } from './harness/run-action';

// Bad input to the rollback action (from dist/) ends with one clear line and changes nothing.

let sim: KubeSim;
let client: KubeClient;
let before: string;

/** What a rollback would change: the spec's generation, the revision and the template's image. */
async function state(): Promise<string> {
  const d = await client.get('/apis/apps/v1/namespaces/default/deployments/web');
  const image = (d.spec as { template: { spec: { containers: { image: string }[] } } }).template.spec
    .containers[0].image;
  return `${d.metadata?.generation} ${d.metadata?.annotations?.['deployment.kubernetes.io/revision']} ${image} ${JSON.stringify(d.metadata?.annotations)}`;
}

const deployment = (image: string) => `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: default}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: web, image: "${image}"}]}
`;

beforeAll(async () => {
  sim = await startKubeSim({ speed: 50, controllers: { events: false } });
  client = new KubeClient(loadClusterAccess({ path: sim.kubeconfigPath }));
  for (const image of ['web:1', 'web:2']) {
    await applyManifests(client, parseManifests(deployment(image), 'web.yaml'), {
      fieldManager: 't',
      namespace: 'default',
    });
    const target = await resolveWorkload(client, new Discovery(client), {
      type: 'deploy',
      name: 'web',
      namespace: 'default',
    });
    await followRolloutStatus(client, target, { timeoutMs: 10_000, onMessage: () => {} });
  }
  before = await state();
});

afterEach(async () => {
  expect(await state()).toBe(before);
});

afterAll(async () => {
  client?.close();
  await sim?.stop();
});

const release = (over: object = {}) =>
  JSON.stringify({
    version: 'v1',
    namespace: 'default',
    workloads: [
      { kind: 'Deployment', name: 'web', namespace: 'default', revisionBefore: 1, revisionAfter: 2 },
    ],
    ...over,
  });

test.each([
  [
    'malformed release JSON',
    () => ({ release: '{"version": "v1",' }),
    /^input 'release' is not valid JSON \(.*\); pass the 'release' output of the deploy step$/,
  ],
  [
    'a release of another version',
    () => ({ release: release({ version: 'v2' }) }),
    /^input 'release' has release descriptor version "v2"; this version reads "v1"$/,
  ],
  [
    'a release missing its workloads',
    () => ({ release: JSON.stringify({ version: 'v1', namespace: 'default' }) }),
    /^input 'release' is not a valid release descriptor: workloads: /,
  ],
  [
    'neither a release nor workloads',
    () => ({}),
    /^release or workloads: give the deploy step's release output, or at least one workload$/,
  ],
  [
    'both a release and workloads',
    () => ({ release: release(), workloads: 'deployment/web' }),
    /^release and workloads: give one of them, not both$/,
  ],
  [
    'a workload that is not TYPE/NAME',
    () => ({ workloads: 'pod/web' }),
    /^workloads: "pod\/web" is not a workload; write TYPE\/NAME or NAMESPACE\/TYPE\/NAME with TYPE deployment, statefulset or daemonset$/,
  ],
  [
    'an unknown revision',
    () => ({ workloads: 'deployment/web', 'to-revision': '99' }),
    /^deployment\.apps\/web: unable to find specified revision 99 in history$/,
  ],
  [
    'a negative revision',
    () => ({ workloads: 'deployment/web', 'to-revision': '-1' }),
    /to-revision.*whole number of at least 0/,
  ],
  [
    'a missing kubeconfig',
    () => ({ workloads: 'deployment/web', kubeconfig: 'nowhere/config' }),
    /^kubeconfig: file .*nowhere\/config does not exist$/,
  ],
  [
    'a deployment id that is not a number',
    () => ({ workloads: 'deployment/web', 'deployment-id': '12; rm -rf /' }),
    /deployment-id.*a deployment id \(digits\)/,
  ],
])('%s ends with one clear line and changes nothing', async (_name, inputs, message) => {
  const r = await runAction('rollback', { inputs: { kubeconfig: sim.kubeconfigPath, ...inputs() } });
  expect(r.code).toBe(1);
  expect(r.failedMessage).toMatch(message);
  expect(r.stdout).not.toContain('    at ');
});

test("a paused deployment is refused with kubectl's advice and left as it was", async () => {
  await client.request('PATCH', '/apis/apps/v1/namespaces/default/deployments/web', {
    contentType: 'application/merge-patch+json',
    body: { spec: { paused: true } },
  });
  before = await state();
  const r = await runAction('rollback', { inputs: { kubeconfig: sim.kubeconfigPath, release: release() } });
  expect(r.code).toBe(1);
  expect(r.failedMessage).toBe(
    "deployment.apps/web: you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume' and try again",
  );
});
