import { execFile } from '@upgrade-actions/common';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { R } from '../resources';
import { startKubeSim, type KubeSim } from '../sim';
import type { KObject } from '../types';
import { DEPLOYMENT, kubectlFor, kubectlInNewNamespace, tableRows, type Kubectl } from './kubectl-helper';

// The real kubectl on the machine is the peer that checks the simulator: each test runs it and reads
// what it prints, as an SRE would. One simulator serves the file (kubectl's discovery cache stays warm);
// each test works in a namespace of its own.
let sim: KubeSim;
let shared: Kubectl;
let kubectl: Kubectl;
let ns: string;
let seq = 0;

beforeAll(async () => {
  sim = await startKubeSim({ controllers: false });
  shared = await kubectlFor(sim);
});

afterAll(async () => {
  await shared.cleanup();
  await sim.stop();
});

beforeEach(() => {
  ns = `t${++seq}`;
  kubectl = kubectlInNewNamespace(sim, shared, ns);
});

function pod(name: string, labels: Record<string, string>, phase: string, ready: boolean): KObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: ns, labels },
    spec: { nodeName: 'kube-sim-worker', containers: [{ name: 'web', image: 'nginx:1.27' }] },
    status: {
      phase,
      podIP: '10.244.1.7',
      conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }],
      containerStatuses: [
        {
          name: 'web',
          ready,
          restartCount: 0,
          image: 'nginx:1.27',
          state: ready
            ? { running: { startedAt: '2026-01-01T00:00:00Z' } }
            : { waiting: { reason: 'CrashLoopBackOff' } },
        },
      ],
    },
  };
}

describe('kubectl against the simulator', () => {
  test('get nodes prints the simulated nodes as Ready with their roles and version', async () => {
    const r = await kubectl(['get', 'nodes']);
    expect(r.stderr).toBe('');
    const rows = tableRows(r.stdout);
    expect(rows[0]).toEqual(['NAME', 'STATUS', 'ROLES', 'AGE', 'VERSION']);
    expect(rows.slice(1).map((x) => [x[0], x[1], x[2], x[4]])).toEqual([
      ['kube-sim-control-plane', 'Ready', 'control-plane', 'v1.32.0'],
      ['kube-sim-worker', 'Ready', '<none>', 'v1.32.0'],
      ['kube-sim-worker2', 'Ready', '<none>', 'v1.32.0'],
    ]);
  });

  test('get pods prints READY, STATUS and RESTARTS the way the API server printer computes them', async () => {
    sim.store.create(R.pods, pod('web-1', { app: 'web' }, 'Running', true));
    sim.store.create(R.pods, pod('web-2', { app: 'web' }, 'Running', false));
    const r = await kubectl(['get', 'pods', '-o', 'wide']);
    const rows = tableRows(r.stdout);
    expect(rows[0]).toEqual([
      'NAME',
      'READY',
      'STATUS',
      'RESTARTS',
      'AGE',
      'IP',
      'NODE',
      'NOMINATED NODE',
      'READINESS GATES',
    ]);
    expect(rows[1]).toEqual([
      'web-1',
      '1/1',
      'Running',
      '0',
      expect.stringMatching(/^\d+s$/),
      '10.244.1.7',
      'kube-sim-worker',
      '<none>',
      '<none>',
    ]);
    expect(rows[2].slice(0, 3)).toEqual(['web-2', '0/1', 'CrashLoopBackOff']);
  });

  test('label and field selectors filter what get lists', async () => {
    sim.store.create(R.pods, pod('a', { app: 'web', tier: 'front' }, 'Running', true));
    sim.store.create(R.pods, pod('b', { app: 'web' }, 'Pending', false));
    sim.store.create(R.pods, pod('c', { app: 'db' }, 'Running', true));
    const names = async (args: string[]) =>
      (await kubectl(['get', 'pods', '-o', 'name', ...args])).stdout.trim().split('\n');
    expect(await names(['-l', 'app=web'])).toEqual(['pod/a', 'pod/b']);
    expect(await names(['-l', 'app in (web,db),!tier'])).toEqual(['pod/b', 'pod/c']);
    expect(await names(['--field-selector', 'status.phase=Running'])).toEqual(['pod/a', 'pod/c']);
    expect(await names(['-l', 'app=web', '--field-selector', 'status.phase!=Running'])).toEqual(['pod/b']);
  });

  test('apply --server-side creates a deployment and get -o wide shows its containers, images and selector', async () => {
    const file = await kubectl.file('web.yaml', DEPLOYMENT());
    const applied = await kubectl(['apply', '--server-side', '-f', file]);
    expect(applied.stdout.trim()).toBe('deployment.apps/web serverside-applied');
    const rows = tableRows((await kubectl(['get', 'deploy', '-o', 'wide'])).stdout);
    expect(rows[0]).toEqual([
      'NAME',
      'READY',
      'UP-TO-DATE',
      'AVAILABLE',
      'AGE',
      'CONTAINERS',
      'IMAGES',
      'SELECTOR',
    ]);
    expect(rows[1]).toEqual([
      'web',
      '0/2',
      '0',
      '0',
      expect.stringMatching(/^\d+s$/),
      'web,sidecar',
      'nginx:1.27,busybox:1.36',
      'app=web',
    ]);
  });

  test('a second field manager applying a different value gets the conflict, and --force-conflicts takes the field over', async () => {
    await kubectl(['apply', '--server-side', '-f', await kubectl.file('a.yaml', DEPLOYMENT(2))]);
    const other = await kubectl.file('b.yaml', DEPLOYMENT(5));
    const conflict = await kubectl(['apply', '--server-side', '--field-manager=pipeline', '-f', other]);
    expect(conflict.code).toBe(1);
    expect(conflict.stderr).toContain(
      'error: Apply failed with 1 conflict: conflict with "kubectl": .spec.replicas',
    );
    expect(conflict.stderr).toContain('--force-conflicts');
    const forced = await kubectl([
      'apply',
      '--server-side',
      '--field-manager=pipeline',
      '--force-conflicts',
      '-f',
      other,
    ]);
    expect(forced.stdout.trim()).toBe('deployment.apps/web serverside-applied');
    const obj = JSON.parse(
      (await kubectl(['get', 'deploy', 'web', '-o', 'json', '--show-managed-fields'])).stdout,
    );
    expect(obj.spec.replicas).toBe(5);
    const pipeline = obj.metadata.managedFields.find((m: { manager: string }) => m.manager === 'pipeline');
    expect(pipeline.fieldsV1['f:spec']['f:replicas']).toEqual({});
    const first = obj.metadata.managedFields.find((m: { manager: string }) => m.manager === 'kubectl');
    expect(first.fieldsV1['f:spec']['f:replicas']).toBeUndefined();
  });

  test('applying the same value as another manager shares the field instead of conflicting', async () => {
    await kubectl(['apply', '--server-side', '-f', await kubectl.file('a.yaml', DEPLOYMENT(2))]);
    const shared = await kubectl([
      'apply',
      '--server-side',
      '--field-manager=pipeline',
      '-f',
      await kubectl.file('b.yaml', DEPLOYMENT(2)),
    ]);
    expect(shared.code).toBe(0);
  });

  test('set image changes only the named container and bumps the generation', async () => {
    await kubectl(['apply', '--server-side', '-f', await kubectl.file('web.yaml', DEPLOYMENT())]);
    const r = await kubectl(['set', 'image', 'deployment/web', 'web=nginx:1.28']);
    expect(r.stdout.trim()).toBe('deployment.apps/web image updated');
    const out = await kubectl([
      'get',
      'deploy',
      'web',
      '-o',
      'jsonpath={.spec.template.spec.containers[*].image} {.metadata.generation}',
    ]);
    expect(out.stdout).toBe('nginx:1.28 busybox:1.36 2');
  });

  test('scale goes through the scale subresource and a later apply of replicas conflicts with it', async () => {
    await kubectl(['apply', '--server-side', '-f', await kubectl.file('web.yaml', DEPLOYMENT(2))]);
    expect((await kubectl(['scale', 'deploy/web', '--replicas=4'])).stdout.trim()).toBe(
      'deployment.apps/web scaled',
    );
    expect((await kubectl(['get', 'deploy', 'web', '-o', 'jsonpath={.spec.replicas}'])).stdout).toBe('4');
    expect(sim.requests.some((q) => q.method === 'PATCH' && q.path.endsWith('/deployments/web/scale'))).toBe(
      true,
    );
    const again = await kubectl([
      'apply',
      '--server-side',
      '-f',
      await kubectl.file('web2.yaml', DEPLOYMENT(3)),
    ]);
    expect(again.stderr).toContain(
      'conflict with "kubectl" with subresource "scale" using apps/v1: .spec.replicas',
    );
  });

  test('label, annotate and --show-labels', async () => {
    await kubectl(['apply', '--server-side', '-f', await kubectl.file('web.yaml', DEPLOYMENT())]);
    expect((await kubectl(['label', 'deploy', 'web', 'tier=frontend'])).stdout.trim()).toBe(
      'deployment.apps/web labeled',
    );
    expect((await kubectl(['annotate', 'deploy', 'web', 'owner=sre'])).stdout.trim()).toBe(
      'deployment.apps/web annotated',
    );
    const rows = tableRows((await kubectl(['get', 'deploy', '--show-labels'])).stdout);
    expect(rows[1][5]).toBe('app=web,tier=frontend');
    expect((await kubectl(['label', 'deploy', 'web', 'tier-'])).stdout.trim()).toBe(
      'deployment.apps/web unlabeled',
    );
    expect((await kubectl(['get', 'deploy', 'web', '-o', 'jsonpath={.metadata.labels}'])).stdout).toBe(
      '{"app":"web"}',
    );
  });

  test.each([
    ['json', '[{"op":"replace","path":"/spec/replicas","value":7}]', '{.spec.replicas}', '7'],
    ['merge', '{"spec":{"replicas":6}}', '{.spec.replicas}', '6'],
    [
      'strategic',
      '{"spec":{"template":{"spec":{"containers":[{"name":"sidecar","image":"busybox:1.37"}]}}}}',
      '{.spec.template.spec.containers[*].image}',
      'nginx:1.27 busybox:1.37',
    ],
    [
      'strategic',
      '{"spec":{"template":{"spec":{"containers":[{"name":"sidecar","$patch":"delete"}]}}}}',
      '{.spec.template.spec.containers[*].name}',
      'web',
    ],
  ])('patch --type=%s %s', async (type, patch, path, want) => {
    await kubectl(['apply', '--server-side', '-f', await kubectl.file('web.yaml', DEPLOYMENT())]);
    const r = await kubectl(['patch', 'deploy', 'web', `--type=${type}`, '-p', patch]);
    expect(r.stdout.trim()).toBe('deployment.apps/web patched');
    expect((await kubectl(['get', 'deploy', 'web', '-o', `jsonpath=${path}`])).stdout).toBe(want);
  });

  test('create, AlreadyExists, NotFound and delete print the messages kubectl users know', async () => {
    const file = await kubectl.file('web.yaml', DEPLOYMENT());
    expect((await kubectl(['create', '-f', file])).stdout.trim()).toBe('deployment.apps/web created');
    const again = await kubectl(['create', '-f', file]);
    expect(again.stderr.trim()).toBe(
      `Error from server (AlreadyExists): error when creating "${file}": deployments.apps "web" already exists`,
    );
    const missing = await kubectl(['get', 'deploy', 'nope']);
    expect(missing.stderr.trim()).toBe('Error from server (NotFound): deployments.apps "nope" not found');
    expect((await kubectl(['delete', 'deploy', 'web'])).stdout.trim()).toBe('deployment.apps "web" deleted');
    expect((await kubectl(['get', 'deploy'])).stderr.trim()).toBe(`No resources found in ${ns} namespace.`);
  });

  test('kubectl create subcommands send protobuf, and the stored objects carry every field', async () => {
    const cmds = [
      ['create', 'configmap', 'cfg', '--from-literal=greeting=hello'],
      ['create', 'secret', 'generic', 'pw', '--from-literal=password=s3cret'],
      ['create', 'service', 'nodeport', 'web', '--tcp=80:8080'],
      ['create', 'job', 'once', '--image=busybox:1.36', '--', 'echo', 'hi'],
      ['run', 'solo', '--image=nginx:1.27', '--labels=app=solo,tier=x', '--port=8080'],
    ];
    for (const c of cmds) expect((await kubectl(c)).code).toBe(0);
    expect(
      sim.requests.some((r) => r.method === 'POST' && r.path.endsWith('/configmaps') && r.code === 201),
    ).toBe(true);
    const get = (resource: string, name: string) =>
      sim.store.mustGet(
        sim.registry.all().find((t) => t.resource === resource)!,
        ns,
        name,
      ) as KObject & Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(get('configmaps', 'cfg').data).toEqual({ greeting: 'hello' });
    expect(get('secrets', 'pw')).toMatchObject({
      type: 'Opaque',
      data: { password: Buffer.from('s3cret').toString('base64') },
    });
    expect(get('services', 'web').spec).toMatchObject({
      type: 'NodePort',
      selector: { app: 'web' },
      ports: [{ name: '80-8080', port: 80, targetPort: 8080, protocol: 'TCP' }],
    });
    expect(get('jobs', 'once').spec.template.spec.containers[0]).toMatchObject({
      name: 'once',
      image: 'busybox:1.36',
      command: ['echo', 'hi'],
    });
    const solo = get('pods', 'solo');
    expect(solo.metadata.labels).toEqual({ app: 'solo', tier: 'x' });
    expect(solo.spec.containers[0]).toMatchObject({
      name: 'solo',
      image: 'nginx:1.27',
      ports: [{ containerPort: 8080, protocol: 'TCP' }],
    });
    expect(solo.metadata.creationTimestamp).toMatch(/Z$/);
  });

  test('replace with a stale resourceVersion is refused with 409 Conflict', async () => {
    await kubectl(['create', '-f', await kubectl.file('web.yaml', DEPLOYMENT())]);
    const stale = JSON.parse((await kubectl(['get', 'deploy', 'web', '-o', 'json'])).stdout);
    await kubectl(['scale', 'deploy/web', '--replicas=3']);
    const r = await kubectl(['replace', '-f', await kubectl.file('stale.json', JSON.stringify(stale))]);
    expect(r.stderr).toContain('Error from server (Conflict): error when replacing');
    expect(r.stderr).toContain(
      'Operation cannot be fulfilled on deployments.apps "web": the object has been modified; please apply your changes to the latest version and try again',
    );
  });

  test('a watch resuming from a compacted resourceVersion gets the 410 Expired event', async () => {
    await kubectl(['create', 'configmap', 'a', '--from-literal=k=v']);
    sim.store.compact();
    const r = await kubectl([
      'get',
      '--raw',
      `/api/v1/namespaces/${ns}/configmaps?watch=true&resourceVersion=1`,
    ]);
    const event = JSON.parse(r.stdout.trim());
    expect(event.type).toBe('ERROR');
    expect(event.object).toMatchObject({ kind: 'Status', status: 'Failure', reason: 'Expired', code: 410 });
    expect(event.object.message).toMatch(/^too old resource version: 1 \(\d+\)$/);
  });

  test('client-side apply creates, then configures with a strategic merge patch', async () => {
    const file = await kubectl.file('web.yaml', DEPLOYMENT(2));
    expect((await kubectl(['apply', '-f', file])).stdout.trim()).toBe('deployment.apps/web created');
    expect((await kubectl(['apply', '-f', file])).stdout.trim()).toBe('deployment.apps/web unchanged');
    const changed = await kubectl.file('web2.yaml', DEPLOYMENT(3, 'nginx:1.28'));
    expect((await kubectl(['apply', '-f', changed])).stdout.trim()).toBe('deployment.apps/web configured');
    const out = await kubectl([
      'get',
      'deploy',
      'web',
      '-o',
      'jsonpath={.spec.replicas} {.spec.template.spec.containers[*].image}',
    ]);
    expect(out.stdout).toBe('3 nginx:1.28 busybox:1.36');
  });

  test('get -w prints the initial row, then a row per change', async () => {
    await kubectl(['apply', '--server-side', '-f', await kubectl.file('web.yaml', DEPLOYMENT(2))]);
    const watching = execFile(
      'kubectl',
      ['get', 'deploy', 'web', '-w', '--request-timeout=3s', '--namespace', ns],
      {
        env: { ...process.env, KUBECONFIG: sim.kubeconfigPath, KUBECACHEDIR: `${sim.kubeconfigPath}.cache` },
        okCodes: [0, 1],
      },
    );
    const before = sim.watchCount;
    await waitFor(() => sim.watchCount === before + 1);
    await kubectl(['scale', 'deploy/web', '--replicas=5']);
    const out = (await watching).stdout.toString('utf8');
    const rows = tableRows(out);
    expect(rows[0]).toEqual(['NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE']);
    expect(rows.slice(1).map((r) => r.slice(0, 2))).toEqual([
      ['web', '0/2'],
      ['web', '0/5'],
    ]);
  });

  test('deleting a deployment deletes the replica sets it owns, and --cascade=orphan keeps them', async () => {
    await kubectl(['apply', '--server-side', '-f', await kubectl.file('web.yaml', DEPLOYMENT())]);
    const owner = sim.store.mustGet(R.deployments, ns, 'web');
    const rs = (name: string): KObject => ({
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: {
        name,
        namespace: ns,
        ownerReferences: [
          {
            apiVersion: 'apps/v1',
            kind: 'Deployment',
            name: 'web',
            uid: owner.metadata.uid!,
            controller: true,
          },
        ],
      },
      spec: {
        replicas: 0,
        selector: { matchLabels: { app: 'web' } },
        template: { metadata: { labels: { app: 'web' } }, spec: { containers: [] } },
      },
    });
    sim.store.create(R.replicasets, rs('web-1'));
    await kubectl(['delete', 'deploy', 'web', '--cascade=orphan']);
    const orphan = sim.store.mustGet(R.replicasets, ns, 'web-1');
    expect(orphan.metadata.ownerReferences).toBeUndefined();

    await kubectl(['apply', '--server-side', '-f', await kubectl.file('web.yaml', DEPLOYMENT())]);
    const owner2 = sim.store.mustGet(R.deployments, ns, 'web');
    const owned = rs('web-2');
    owned.metadata.ownerReferences![0].uid = owner2.metadata.uid!;
    sim.store.create(R.replicasets, owned);
    await kubectl(['delete', 'deploy', 'web']);
    await waitFor(() => !sim.store.get(R.replicasets, ns, 'web-2'));
    expect(sim.store.get(R.replicasets, ns, 'web-1')).toBeDefined();
  });

  test('custom resources are served once their CRD exists, with its printer columns', async () => {
    const crd = await kubectl.file(
      'crd.yaml',
      `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: virtualservices.networking.istio.io}
spec:
  group: networking.istio.io
  scope: Namespaced
  names: {plural: virtualservices, singular: virtualservice, kind: VirtualService, shortNames: [vs]}
  versions:
  - name: v1
    served: true
    storage: true
    schema: {openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}}
    additionalPrinterColumns:
    - {name: Hosts, type: string, jsonPath: .spec.hosts}
`,
    );
    expect((await kubectl(['apply', '--server-side', '-f', crd])).stdout.trim()).toBe(
      'customresourcedefinition.apiextensions.k8s.io/virtualservices.networking.istio.io serverside-applied',
    );
    const vs = await kubectl.file(
      'vs.yaml',
      `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: web}
spec:
  hosts: [web]
  http:
  - route:
    - {destination: {host: web, subset: v1}, weight: 90}
    - {destination: {host: web, subset: v2}, weight: 10}
`,
    );
    expect((await kubectl(['apply', '--server-side', '-f', vs])).stdout.trim()).toBe(
      'virtualservice.networking.istio.io/web serverside-applied',
    );
    const rows = tableRows((await kubectl(['get', 'vs'])).stdout);
    expect(rows).toEqual([
      ['NAME', 'HOSTS'],
      ['web', '["web"]'],
    ]);
    const merged = await kubectl([
      'patch',
      'vs',
      'web',
      '--type=merge',
      '-p',
      '{"spec":{"hosts":["web","web.example"]}}',
    ]);
    expect(merged.stdout.trim()).toBe('virtualservice.networking.istio.io/web patched');
    expect((await kubectl(['delete', '-f', crd])).code).toBe(0);
    expect((await kubectl(['get', 'virtualservices.networking.istio.io'])).stderr).toContain(
      'the server doesn\'t have a resource type "virtualservices"',
    );
  });

  test('logs prints what the pod wrote, and --tail limits it', async () => {
    sim.store.create(R.pods, pod('web-1', { app: 'web' }, 'Running', true));
    for (const line of ['starting', 'listening on :8080', 'ready']) sim.appendPodLog(ns, 'web-1', line);
    expect((await kubectl(['logs', 'web-1'])).stdout).toBe('starting\nlistening on :8080\nready\n');
    expect((await kubectl(['logs', 'web-1', '--tail=1'])).stdout).toBe('ready\n');
  });

  test('the service proxy reaches the real HTTP server behind a ready pod', async () => {
    const backend: Server = createServer((req, res) => res.end(`hello from ${req.url}`));
    await new Promise<void>((r) => backend.listen(0, '127.0.0.1', r));
    try {
      const url = `http://127.0.0.1:${(backend.address() as AddressInfo).port}`;
      const p = pod('web-1', { app: 'web' }, 'Running', true);
      p.metadata.annotations = { 'kube-sim.upgrade-actions.io/backend': url };
      sim.store.create(R.pods, p);
      await kubectl([
        'create',
        'service',
        'clusterip',
        'web',
        '--tcp=80:8080',
        '--dry-run=client',
        '-o',
        'yaml',
      ]).then(async (r) => kubectl(['apply', '-f', await kubectl.file('svc.yaml', r.stdout)]));
      const r = await kubectl(['get', '--raw', `/api/v1/namespaces/${ns}/services/web:80/proxy/healthz?x=1`]);
      expect(r.stdout).toBe('hello from /healthz?x=1');
    } finally {
      await new Promise((r) => backend.close(r));
    }
  });

  test('deleting a namespace deletes what is in it', async () => {
    await kubectl(['create', 'namespace', 'staging', '--dry-run=client', '-o', 'yaml']).then(async (r) =>
      kubectl(['apply', '-f', await kubectl.file('ns.yaml', r.stdout)]),
    );
    await kubectl([
      'apply',
      '--server-side',
      '-n',
      'staging',
      '-f',
      await kubectl.file('web.yaml', DEPLOYMENT()),
    ]);
    expect((await kubectl(['delete', 'namespace', 'staging'])).stdout.trim()).toBe(
      'namespace "staging" deleted',
    );
    expect(sim.store.list(R.deployments, { namespace: 'staging' })).toEqual([]);
    expect((await kubectl(['get', 'deploy', '-n', 'staging'])).stderr.trim()).toBe(
      'No resources found in staging namespace.',
    );
  });
});

async function waitFor(cond: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}
