import { ScaledClock } from '../clock';
import { R } from '../resources';
import { startKubeSim, type KubeSim } from '../sim';
import { kubectlFor, kubectlInNewNamespace, type Kubectl } from './kubectl-helper';

// Real kubectl reads the StatefulSet, DaemonSet and Job status the controllers write: its rollout
// status, history and undo (ControllerRevisions) and `wait` must behave as against a cluster.
let sim: KubeSim;
let shared: Kubectl;
let kubectl: Kubectl;
let ns: string;
let seq = 0;

beforeAll(async () => {
  sim = await startKubeSim({
    clock: new ScaledClock(50),
    controllers: { scenario: { 'task:1': { completeAfterMs: 2000 } } },
  });
  shared = await kubectlFor(sim);
});

afterAll(async () => {
  await shared.cleanup();
  await sim.stop();
});

beforeEach(() => {
  ns = `c${++seq}`;
  kubectl = kubectlInNewNamespace(sim, shared, ns);
});

const STATEFULSET = (image: string, extra = '') => `apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db}
spec:
  replicas: 3
  serviceName: db
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec:
      containers: [{name: db, image: "${image}"}]
${extra}`;

const DAEMONSET = (image: string) => `apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent}
spec:
  selector: {matchLabels: {app: agent}}
  template:
    metadata: {labels: {app: agent}}
    spec:
      containers: [{name: agent, image: "${image}"}]
`;

async function apply(name: string, manifest: string): Promise<void> {
  const r = await kubectl(['apply', '-f', await shared.file(`${ns}-${name}.yaml`, manifest)]);
  expect(r.stderr).toBe('');
}

const lastLine = (s: string): string => s.trim().split('\n').pop()!;

describe('kubectl against the StatefulSet controller', () => {
  test('rollout status follows an ordered rollout and an update to completion', async () => {
    await apply('sts', STATEFULSET('postgres:16'));
    const first = await kubectl(['rollout', 'status', 'statefulset/db', '--timeout=30s']);
    expect(first.code).toBe(0);
    // The API server defaults rollingUpdate.partition to 0, so kubectl takes its partitioned branch, as on a cluster.
    expect(lastLine(first.stdout)).toBe('partitioned roll out complete: 3 new pods have been updated...');
    const status = sim.store.mustGet(R.statefulsets, ns, 'db').status as {
      updateRevision: string;
      currentRevision: string;
    };
    expect(status.currentRevision).toBe(status.updateRevision);
    await kubectl(['set', 'image', 'statefulset/db', 'db=postgres:17']);
    const second = await kubectl(['rollout', 'status', 'statefulset/db', '--timeout=30s']);
    expect(second.code).toBe(0);
    const images = await kubectl([
      'get',
      'pods',
      '-l',
      'app=db',
      '-o',
      'jsonpath={.items[*].spec.containers[0].image}',
    ]);
    expect(images.stdout).toBe('postgres:17 postgres:17 postgres:17');
  });

  test('rollout history lists the ControllerRevisions and undo applies the previous one', async () => {
    await apply('sts', STATEFULSET('postgres:16'));
    await kubectl(['rollout', 'status', 'statefulset/db', '--timeout=30s']);
    await kubectl(['set', 'image', 'statefulset/db', 'db=postgres:17']);
    await kubectl(['rollout', 'status', 'statefulset/db', '--timeout=30s']);
    const history = await kubectl(['rollout', 'history', 'statefulset/db']);
    expect(history.stdout.trim().split('\n').slice(1)).toEqual([
      'REVISION  CHANGE-CAUSE',
      '1         <none>',
      '2         <none>',
    ]);
    const undo = await kubectl(['rollout', 'undo', 'statefulset/db']);
    expect(undo.stdout.trim()).toBe('statefulset.apps/db rolled back');
    expect((await kubectl(['rollout', 'status', 'statefulset/db', '--timeout=30s'])).code).toBe(0);
    const image = await kubectl([
      'get',
      'sts',
      'db',
      '-o',
      'jsonpath={.spec.template.spec.containers[0].image}',
    ]);
    expect(image.stdout).toBe('postgres:16');
    const revisions = await kubectl(['get', 'controllerrevisions', '-o', 'jsonpath={.items[*].revision}']);
    expect(revisions.stdout.split(' ').sort()).toEqual(['2', '3']);
  });

  test('with a partition, rollout status reports the partitioned roll out as complete', async () => {
    await apply(
      'sts',
      STATEFULSET('postgres:16', '  updateStrategy: {type: RollingUpdate, rollingUpdate: {partition: 2}}\n'),
    );
    await kubectl(['rollout', 'status', 'statefulset/db', '--timeout=30s']);
    await kubectl(['set', 'image', 'statefulset/db', 'db=postgres:17']);
    const status = await kubectl(['rollout', 'status', 'statefulset/db', '--timeout=30s']);
    expect(status.code).toBe(0);
    expect(lastLine(status.stdout)).toBe('partitioned roll out complete: 1 new pods have been updated...');
  });
});

describe('kubectl against the DaemonSet and Job controllers', () => {
  test('a DaemonSet runs on every node and rollout status reports it rolled out, also after an update', async () => {
    await apply('ds', DAEMONSET('agent:1'));
    const first = await kubectl(['rollout', 'status', 'daemonset/agent', '--timeout=30s']);
    expect(lastLine(first.stdout)).toBe('daemon set "agent" successfully rolled out');
    const nodes = await kubectl([
      'get',
      'pods',
      '-l',
      'app=agent',
      '-o',
      'jsonpath={.items[*].spec.nodeName}',
    ]);
    const nodeCount = sim.store.list(R.nodes).length;
    expect(new Set(nodes.stdout.split(' ')).size).toBe(nodeCount);
    await kubectl(['set', 'image', 'daemonset/agent', 'agent=agent:2']);
    const second = await kubectl(['rollout', 'status', 'daemonset/agent', '--timeout=30s']);
    expect(second.code).toBe(0);
    expect(lastLine(second.stdout)).toBe('daemon set "agent" successfully rolled out');
    const history = await kubectl(['rollout', 'history', 'daemonset/agent']);
    expect(history.stdout.trim().split('\n').slice(2)).toEqual(['1         <none>', '2         <none>']);
  });

  test('kubectl wait sees a Job complete', async () => {
    const created = await kubectl(['create', 'job', 'migrate', '--image=task:1']);
    expect(created.stdout.trim()).toBe('job.batch/migrate created');
    const wait = await kubectl(['wait', '--for=condition=complete', 'job/migrate', '--timeout=30s']);
    expect(wait.stdout.trim()).toBe('job.batch/migrate condition met');
    const succeeded = await kubectl(['get', 'job', 'migrate', '-o', 'jsonpath={.status.succeeded}']);
    expect(succeeded.stdout).toBe('1');
  });
});
