import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ScaledClock } from '../clock';
import { R } from '../resources';
import { startKubeSim, type KubeSim } from '../sim';
import { kubectlFor, kubectlInNewNamespace, tableRows, type Kubectl } from './kubectl-helper';

// With the controllers running, kubectl's rollout commands see Deployments, ReplicaSets and pods move
// as in a cluster. The clock runs 20x so a rollout takes a fraction of a second. One simulator serves
// the file; each test works in a namespace of its own.
let sim: KubeSim;
let shared: Kubectl;
let kubectl: Kubectl;
let ns: string;
let seq = 0;
let backend: Server;
let backendUrl: string;

beforeAll(async () => {
  backend = createServer((req, res) => res.end(`v2 says ${req.url}`));
  await new Promise<void>((r) => backend.listen(0, '127.0.0.1', r));
  backendUrl = `http://127.0.0.1:${(backend.address() as AddressInfo).port}`;
  sim = await startKubeSim({
    clock: new ScaledClock(20),
    controllers: {
      scenario: {
        'nginx:broken': { ready: false },
        'web:v2': { backend: backendUrl, logs: ['v2 starting', 'v2 ready'] },
      },
    },
  });
  shared = await kubectlFor(sim);
});

afterAll(async () => {
  await shared.cleanup();
  await sim.stop();
  await new Promise((r) => backend.close(r));
});

beforeEach(() => {
  ns = `r${++seq}`;
  kubectl = kubectlInNewNamespace(sim, shared, ns);
});

const lines = (s: string) => s.trim().split('\n');

describe('kubectl rollout against the simulator with controllers', () => {
  test('create deployment (sent as protobuf) rolls out, and rollout status says so', async () => {
    expect(
      (await kubectl(['create', 'deployment', 'web', '--image=nginx:1.27', '--replicas=3'])).stdout.trim(),
    ).toBe('deployment.apps/web created');
    const status = await kubectl(['rollout', 'status', 'deployment/web', '--timeout=30s']);
    expect(status.code).toBe(0);
    expect(lines(status.stdout).pop()).toBe('deployment "web" successfully rolled out');
    const rows = tableRows((await kubectl(['get', 'deploy', 'web'])).stdout);
    expect(rows[1].slice(0, 4)).toEqual(['web', '3/3', '3', '3']);
    const pods = tableRows((await kubectl(['get', 'pods', '-l', 'app=web'])).stdout).slice(1);
    expect(pods).toHaveLength(3);
    for (const p of pods) expect(p.slice(1, 4)).toEqual(['1/1', 'Running', '0']);
  });

  test('set image, rollout history and undo go back to the previous ReplicaSet', async () => {
    await kubectl(['create', 'deployment', 'web', '--image=nginx:1.27', '--replicas=2']);
    await kubectl(['rollout', 'status', 'deployment/web', '--timeout=30s']);
    await kubectl(['set', 'image', 'deployment/web', 'nginx=nginx:1.28']);
    await kubectl(['rollout', 'status', 'deployment/web', '--timeout=30s']);
    const history = await kubectl(['rollout', 'history', 'deployment/web']);
    expect(lines(history.stdout)).toEqual([
      'deployment.apps/web ',
      'REVISION  CHANGE-CAUSE',
      '1         <none>',
      '2         <none>',
    ]);
    const rev1 = await kubectl(['rollout', 'history', 'deployment/web', '--revision=1']);
    expect(rev1.stdout).toContain('Image:\tnginx:1.27');
    expect((await kubectl(['rollout', 'undo', 'deployment/web'])).stdout.trim()).toBe(
      'deployment.apps/web rolled back',
    );
    await kubectl(['rollout', 'status', 'deployment/web', '--timeout=30s']);
    const image = await kubectl([
      'get',
      'deploy',
      'web',
      '-o',
      'jsonpath={.spec.template.spec.containers[0].image}',
    ]);
    expect(image.stdout).toBe('nginx:1.27');
    expect(lines((await kubectl(['rollout', 'history', 'deployment/web'])).stdout).slice(2)).toEqual([
      '2         <none>',
      '3         <none>',
    ]);
  });

  test('a rollout whose pods never become ready times out in rollout status', async () => {
    await kubectl(['create', 'deployment', 'web', '--image=nginx:1.27', '--replicas=2']);
    await kubectl(['rollout', 'status', 'deployment/web', '--timeout=30s']);
    await kubectl(['set', 'image', 'deployment/web', 'nginx=nginx:broken']);
    const status = await kubectl(['rollout', 'status', 'deployment/web', '--timeout=2s']);
    expect(status.code).toBe(1);
    expect(status.stdout).toContain(
      'Waiting for deployment "web" rollout to finish: 1 out of 2 new replicas have been updated...',
    );
    expect(status.stderr.trim()).toBe('error: timed out waiting for the condition');
  });

  test('rollout restart, pause and resume patch the deployment as kubectl does', async () => {
    await kubectl(['create', 'deployment', 'web', '--image=nginx:1.27']);
    await kubectl(['rollout', 'status', 'deployment/web', '--timeout=30s']);
    expect((await kubectl(['rollout', 'pause', 'deployment/web'])).stdout.trim()).toBe(
      'deployment.apps/web paused',
    );
    expect((await kubectl(['rollout', 'pause', 'deployment/web'])).stderr.trim()).toBe(
      'error: deployments.apps "web" is already paused',
    );
    expect((await kubectl(['rollout', 'resume', 'deployment/web'])).stdout.trim()).toBe(
      'deployment.apps/web resumed',
    );
    expect((await kubectl(['rollout', 'restart', 'deployment/web'])).stdout.trim()).toBe(
      'deployment.apps/web restarted',
    );
    await kubectl(['rollout', 'status', 'deployment/web', '--timeout=30s']);
    const d = sim.store.mustGet(R.deployments, ns, 'web');
    const tpl = (d.spec as { template: { metadata: { annotations?: Record<string, string> } } }).template;
    expect(tpl.metadata.annotations?.['kubectl.kubernetes.io/restartedAt']).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(lines((await kubectl(['rollout', 'history', 'deployment/web'])).stdout).slice(2)).toEqual([
      '1         <none>',
      '2         <none>',
    ]);
  });

  test('a pod backed by a real server is reached through the service proxy, and its logs through kubectl logs', async () => {
    await kubectl(['create', 'deployment', 'web', '--image=web:v2']);
    await kubectl(['expose', 'deployment', 'web', '--port=80', '--target-port=8080']);
    await kubectl(['rollout', 'status', 'deployment/web', '--timeout=30s']);
    const proxied = await kubectl(['get', '--raw', `/api/v1/namespaces/${ns}/services/web:80/proxy/version`]);
    expect(proxied.stdout).toBe('v2 says /version');
    expect((await kubectl(['logs', 'deployment/web'])).stdout).toBe('v2 starting\nv2 ready\n');
  });

  test('delete pod waits for the kubelet to remove it, and the ReplicaSet replaces it', async () => {
    await kubectl(['create', 'deployment', 'web', '--image=nginx:1.27', '--replicas=2']);
    await kubectl(['rollout', 'status', 'deployment/web', '--timeout=30s']);
    const [first] = sim.store.list(R.pods, { namespace: ns }).map((p) => p.metadata.name);
    expect((await kubectl(['delete', 'pod', first])).stdout.trim()).toBe(`pod "${first}" deleted`);
    expect(sim.store.get(R.pods, ns, first)).toBeUndefined();
    await kubectl(['rollout', 'status', 'deployment/web', '--timeout=30s']);
    const names = sim.store.list(R.pods, { namespace: ns }).map((p) => p.metadata.name);
    expect(names).toHaveLength(2);
    expect(names).not.toContain(first);
  });
  test('drain evicts pods within the disruption budget and refuses past it', async () => {
    await kubectl(['create', 'deployment', 'web', '--image=nginx:1.27', '--replicas=3']);
    await kubectl(['rollout', 'status', 'deployment/web', '--timeout=30s']);
    await kubectl(['create', 'pdb', 'web', '--selector=app=web', '--min-available=3']);
    const node = (sim.store.list(R.pods, { namespace: ns })[0].spec as { nodeName: string }).nodeName;
    try {
      const blocked = await kubectl([
        'drain',
        node,
        '--ignore-daemonsets',
        '--pod-selector=app=web',
        '--timeout=2s',
      ]);
      expect(blocked.code).toBe(1);
      expect(blocked.stderr).toContain("Cannot evict pod as it would violate the pod's disruption budget.");
      await kubectl(['patch', 'pdb', 'web', '--type=merge', '-p', '{"spec":{"minAvailable":2}}']);
      const drained = await kubectl([
        'drain',
        node,
        '--ignore-daemonsets',
        '--pod-selector=app=web',
        '--timeout=20s',
      ]);
      expect(drained.stdout).toContain(`node/${node} drained`);
      const onNode = sim.store.list(R.pods, {
        namespace: ns,
        filter: (p) => (p.spec as { nodeName?: string }).nodeName === node,
      });
      expect(onNode).toEqual([]);
    } finally {
      await kubectl(['uncordon', node]);
    }
  });
});
