import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { builtin, R, startKubeSim, type KubeSim } from '@upgrade-actions/kube-sim';
import { runAction, type RunActionOptions } from './harness/run-action';
import {
  makeJobDirs,
  seedToolCache,
  sha256,
  startArtifactService,
  startDownloadSite,
  stubDir,
  stubKind,
} from './kind-cluster-helpers';

/**
 * The kind-cluster action from dist/, run as the runner runs it: `kind` and `docker` are recording
 * stubs, the download site is a local HTTP server, and the cluster the stub "creates" is kube-sim.
 * Main and post share one tool cache and temp dir, as on a runner.
 */
const run = promisify(execFile);
const kubectlBytes = readFileSync(realpathSync('/usr/bin/kubectl'));
const KUBECTL_VERSION = 'v1.32.4';
const PINNED_NODE_IMAGE =
  'kindest/node:v1.36.1@sha256:3489c7674813ba5d8b1a9977baea8a6e553784dab7b84759d1014dbd78f7ebd5';

let sim: KubeSim;
let site: Awaited<ReturnType<typeof startDownloadSite>>;
let job: ReturnType<typeof makeJobDirs>;

beforeAll(async () => {
  sim = await startKubeSim();
  site = await startDownloadSite({
    '/good/v0.32.0/kind-linux-amd64': stubKind,
    '/tampered/v0.32.0/kind-linux-amd64': Buffer.concat([
      stubKind,
      Buffer.from('\n// one changed byte is enough\n'),
    ]),
    [`/k8s/${KUBECTL_VERSION}/bin/linux/amd64/kubectl`]: kubectlBytes,
  });
});
afterAll(async () => {
  await site.stop();
  await sim.stop();
});
beforeEach(() => {
  // The cluster starts empty: the nodes are the ones `kind create` registers.
  for (const n of sim.store.list(R.nodes)) sim.store.delete(R.nodes, undefined, n.metadata.name);
  job = makeJobDirs();
});
afterEach(() => rmSync(job.root, { recursive: true, force: true }));

/** Inputs that download the stub kind and the real kubectl from the local site, vouching for their sha256. */
function downloaded(extra: Record<string, string> = {}): Record<string, string> {
  return {
    'kind-download-url': `${site.url}/good`,
    'kind-sha256': sha256(stubKind),
    'kubectl-version': KUBECTL_VERSION,
    'kubectl-download-url': `${site.url}/k8s`,
    'kubectl-sha256': sha256(kubectlBytes),
    wait: '20s',
    ...extra,
  };
}

function opts(inputs: Record<string, string>, env: Record<string, string> = {}): RunActionOptions {
  return {
    inputs,
    workspace: job.workspace,
    env: {
      PATH: `${stubDir}:${process.env.PATH}`,
      HOME: job.home,
      RUNNER_TOOL_CACHE: job.toolCache,
      RUNNER_TEMP: job.temp,
      RUNNER_NAME: 'GitHub Actions 3',
      GITHUB_ACTION: 'kind',
      STUB_LOG: job.log,
      STUB_STATE_DIR: job.stubState,
      STUB_API_SERVER: sim.url,
      STUB_API_TOKEN: 'kube-sim-token',
      ...env,
    },
  };
}

const post = (state: Record<string, string>, o: RunActionOptions) =>
  runAction('kind-cluster', { ...o, state }, 'post');

test('downloads and verifies kind and kubectl, creates the cluster, waits for Ready nodes, and post deletes it', async () => {
  const o = opts(downloaded({ workers: '1', 'port-mappings': '127.0.0.1:8080:80' }));
  const main = await runAction('kind-cluster', o);
  expect(main.failedMessage).toBeUndefined();
  expect(main.code).toBe(0);

  const name = main.outputs['cluster-name'];
  expect(name).toMatch(/^upgrade-1001-1-[0-9a-f]{6}$/);
  const kubeconfig = path.join(job.home, '.kube', 'config');
  expect(main.outputs).toEqual({
    'cluster-name': name,
    kubeconfig,
    context: `kind-${name}`,
    'kubernetes-version': ((await (await fetch(`${sim.url}/version`)).json()) as { gitVersion: string })
      .gitVersion,
    registry: '',
  });
  const create = job.calls().find((c) => c.args[0] === 'create')!;
  expect(create.args).toEqual([
    'create',
    'cluster',
    '--name',
    name,
    '--config',
    path.join(job.temp, `kind-${name}.yaml`),
    '--kubeconfig',
    kubeconfig,
    '--image',
    PINNED_NODE_IMAGE,
    '--retain',
  ]);
  expect(site.requests).toEqual(
    expect.arrayContaining([
      '/good/v0.32.0/kind-linux-amd64',
      `/k8s/${KUBECTL_VERSION}/bin/linux/amd64/kubectl`,
    ]),
  );
  expect(main.groups).toEqual([
    `Install kind v0.32.0 and kubectl ${KUBECTL_VERSION}`,
    `Create cluster ${name} (${PINNED_NODE_IMAGE})`,
    'Wait for the API server and 2 node(s) to be Ready',
  ]);
  expect(main.stdout).toContain('all 2 nodes are Ready');
  expect(main.summary).toContain(`kind cluster ${name}`);
  expect(main.summary).toContain(PINNED_NODE_IMAGE);
  expect(main.stdout).toMatch(
    /extraPortMappings:\n\s+- containerPort: 80\n\s+hostPort: 8080\n\s+protocol: TCP\n\s+listenAddress: 127\.0\.0\.1/,
  );

  // The kubectl the action installed, from the tool cache, reaches the cluster through the kubeconfig output.
  const kubectl = path.join(job.toolCache, 'kubectl', KUBECTL_VERSION.slice(1), 'x64', 'kubectl');
  const nodes = await run(kubectl, [
    '--kubeconfig',
    kubeconfig,
    '--context',
    `kind-${name}`,
    'get',
    'nodes',
    '--no-headers',
  ]);
  expect(nodes.stdout).toMatch(new RegExp(`^${name}-control-plane\\s+Ready\\s+control-plane`, 'm'));
  expect(nodes.stdout).toMatch(new RegExp(`^${name}-worker\\s+Ready`, 'm'));

  const p = await post(main.state, o);
  expect(p.code).toBe(0);
  expect(p.annotations.filter((a) => a.level === 'warning')).toEqual([]);
  expect(job.kindCalls().slice(-1)).toEqual([`delete cluster --name ${name} --kubeconfig ${kubeconfig}`]);
  expect(job.kindCalls().some((c) => c.startsWith('export logs'))).toBe(false);
  expect(JSON.parse(readFileSync(kubeconfig, 'utf8')).contexts).toEqual([]);
});

test('kind and kubectl already in the tool cache are used without any download', async () => {
  seedToolCache(job.toolCache, 'kind', 'v0.32.0', path.join(stubDir, 'kind'));
  seedToolCache(job.toolCache, 'kubectl', 'v1.35.5', '/usr/bin/kubectl');
  const before = site.requests.length;
  const main = await runAction(
    'kind-cluster',
    opts({
      'kind-download-url': 'http://127.0.0.1:9/none',
      'kubectl-download-url': 'http://127.0.0.1:9/none',
      'cluster-name': 'cached',
      wait: '20s',
    }),
  );
  expect(main.failedMessage).toBeUndefined();
  expect(main.stdout).toContain(
    `kind v0.32.0 linux/amd64 found in the tool cache: ${path.join(job.toolCache, 'kind', '0.32.0', 'x64')}`,
  );
  expect(site.requests.length).toBe(before);
  expect(main.outputs['cluster-name']).toBe('cached');
});

test('a tampered kind download fails with both checksums named, caches nothing and creates nothing', async () => {
  const o = opts(downloaded({ 'kind-download-url': `${site.url}/tampered` }));
  const main = await runAction('kind-cluster', o);
  expect(main.code).toBe(1);
  expect(main.failedMessage).toMatch(
    new RegExp(
      `^kind v0\\.32\\.0 linux/amd64 from ${site.url}/tampered/v0\\.32\\.0/kind-linux-amd64 has sha256 [0-9a-f]{64}, but ${sha256(stubKind)} is pinned: refusing to install it \\(nothing was cached\\)$`,
    ),
  );
  expect(existsSync(path.join(job.toolCache, 'kind'))).toBe(false);
  expect(job.calls()).toEqual([]);
  const p = await post(main.state, o);
  expect(p.code).toBe(0);
  expect(job.calls()).toEqual([]);
});

test('the pinned checksum is enforced when the user vouches for none: the stub is not the real kind', async () => {
  const main = await runAction('kind-cluster', opts({ 'kind-download-url': `${site.url}/good`, wait: '5s' }));
  expect(main.failedMessage).toContain(
    'but 50030de23cf40a18505f20426f6a8506bedf13c6e509244bd1fa9463721b0f54 is pinned: refusing to install it',
  );
  expect(existsSync(path.join(job.toolCache, 'kind'))).toBe(false);
});

test('a kind version without a pinned checksum fails before anything is downloaded or run', async () => {
  const before = site.requests.length;
  const main = await runAction(
    'kind-cluster',
    opts({ 'kind-version': 'v0.29.0', 'kind-download-url': `${site.url}/good` }),
  );
  expect(main.failedMessage).toBe(
    "no pinned checksum for kind v0.29.0: it is not in this action's table (pinned for linux/amd64: v0.32.0, v0.31.0); pass 'kind-sha256' with the checksum from its release page, or choose one of those in 'kind-version'",
  );
  expect(main.stdout).not.toContain('    at '); // a user error is one line, without a stack
  expect(site.requests.length).toBe(before);
  expect(job.calls()).toEqual([]);
});

test.each([
  [
    { 'cluster-name': 'Bad_Name' },
    `Input 'cluster-name' must be at most 50 characters of a-z, 0-9, '.' and '-' (kind's rule), got "Bad_Name"`,
  ],
  [
    { 'load-images': 'missing.tar' },
    `Input 'load-images' names the archive %WS%/missing.tar, which does not exist`,
  ],
])('bad input %j fails before any side effect, naming the input', async (inputs, message) => {
  const main = await runAction('kind-cluster', opts(downloaded(inputs)));
  expect(main.code).toBe(1);
  expect(main.failedMessage).toBe(message.replace('%WS%', job.workspace));
  expect(job.calls()).toEqual([]);
  expect(existsSync(path.join(job.toolCache, 'kind'))).toBe(false);
});

test('the registry is started, wired into every node and advertised; images and archives are loaded; post removes it', async () => {
  writeFileSync(path.join(job.workspace, 'app.tar'), 'not really an image');
  const o = opts(
    downloaded({
      'cluster-name': 'reg',
      workers: '1',
      registry: 'true',
      'registry-port': '5002',
      'load-images': 'app:dev\nbusybox:1.37\napp.tar',
    }),
  );
  const main = await runAction('kind-cluster', o);
  expect(main.failedMessage).toBeUndefined();
  expect(main.outputs.registry).toBe('localhost:5002');
  const calls = job.calls().map((c) => `${c.tool} ${c.args.join(' ')}${c.stdin ? ` <<< ${c.stdin}` : ''}`);
  const dir = '/etc/containerd/certs.d/localhost:5002';
  expect(calls.filter((c) => !c.startsWith('kind create'))).toEqual([
    'docker run -d --restart=always -p 127.0.0.1:5002:5000 --network bridge --name reg-registry registry:3',
    'kind get nodes --name reg',
    `docker exec reg-control-plane mkdir -p ${dir}`,
    `docker exec -i reg-control-plane cp /dev/stdin ${dir}/hosts.toml <<< [host."http://reg-registry:5000"]\n`,
    `docker exec reg-worker mkdir -p ${dir}`,
    `docker exec -i reg-worker cp /dev/stdin ${dir}/hosts.toml <<< [host."http://reg-registry:5000"]\n`,
    'docker inspect -f {{json .NetworkSettings.Networks.kind}} reg-registry',
    'docker network connect kind reg-registry',
    'kind load docker-image app:dev busybox:1.37 --name reg',
    `kind load image-archive ${path.join(job.workspace, 'app.tar')} --name reg`,
  ]);
  expect(main.stdout).toContain('config_path = "/etc/containerd/certs.d"');
  const cm = sim.store.get(builtin('', 'configmaps'), 'kube-public', 'local-registry-hosting');
  expect(cm?.data).toEqual({
    'localRegistryHosting.v1':
      'host: "localhost:5002"\nhelp: "https://kind.sigs.k8s.io/docs/user/local-registry/"\n',
  });

  await post(main.state, o);
  expect(
    job
      .calls()
      .slice(-2)
      .map((c) => `${c.tool} ${c.args.join(' ')}`),
  ).toEqual([
    `kind delete cluster --name reg --kubeconfig ${path.join(job.home, '.kube', 'config')}`,
    'docker rm -f reg-registry',
  ]);
});

test('a failed create fails the step with kind’s own error; post uploads the exported logs as an artifact and deletes the cluster', async () => {
  const artifacts = await startArtifactService();
  try {
    const o = opts(downloaded({ 'cluster-name': 'broken' }), { STUB_FAIL: 'create', ...artifacts.env });
    const main = await runAction('kind-cluster', o);
    expect(main.code).toBe(1);
    expect(main.failedMessage).toMatch(
      /^kind create cluster exited with code 1: .*ERROR: failed to create cluster: failed to init node with kubeadm/,
    );
    expect(main.stdout).toContain(' ✗ Starting control-plane');

    const p = await post(main.state, o);
    const logs = path.join(job.temp, 'kind-logs-broken');
    expect(job.kindCalls().slice(-2)).toEqual([
      `export logs ${logs} --name broken`,
      `delete cluster --name broken --kubeconfig ${path.join(job.home, '.kube', 'config')}`,
    ]);
    expect(readdirSync(logs).sort()).toEqual(['broken-control-plane', 'kind-version.txt']);
    expect(p.groups).toEqual(['Export logs of cluster broken', 'Delete cluster broken']);
    expect(p.annotations.filter((a) => a.level === 'warning')).toEqual([]);
    expect(artifacts.calls.map((c) => [c.method, c.body.name])).toEqual([
      ['CreateArtifact', 'kind-logs-broken'],
      ['FinalizeArtifact', 'kind-logs-broken'],
    ]);
    // The zip's directory names every exported file.
    const zip = artifacts.uploaded().toString('latin1');
    expect(zip.startsWith('PK')).toBe(true);
    expect(zip).toContain('broken-control-plane/kubelet.log');
    expect(zip).toContain('kind-version.txt');
    expect(p.stdout).toContain('uploaded as artifact kind-logs-broken');
  } finally {
    await artifacts.stop();
  }
});

test('nodes that never become Ready fail the step after the wait, naming them; post cleans up', async () => {
  const o = opts(downloaded({ 'cluster-name': 'slow', workers: '1', wait: '2s' }), {
    STUB_NODES_READY: 'false',
  });
  const main = await runAction('kind-cluster', o);
  expect(main.failedMessage).toBe(
    'cluster not ready after 2s: waiting for 2 of 2 nodes to be Ready: slow-control-plane (KubeletNotReady), slow-worker (KubeletNotReady)',
  );
  await post(main.state, o);
  expect(job.kindCalls().slice(-1)[0]).toMatch(/^delete cluster --name slow /);
});

test('SIGTERM while kind is creating the cluster stops main, and post still deletes the cluster', async () => {
  const o = opts(downloaded({ 'cluster-name': 'cancelled' }), { STUB_SLEEP_MS: '60000' });
  const main = await runAction('kind-cluster', {
    ...o,
    onSpawn: (child) => {
      const poll = setInterval(() => {
        if (job.kindCalls().some((c) => c.startsWith('create cluster'))) {
          clearInterval(poll);
          child.kill('SIGTERM');
        }
      }, 50);
      child.on('close', () => clearInterval(poll));
    },
  });
  expect(main.code).not.toBe(0);
  expect(main.outputs).toEqual({});
  expect(main.stdout).toContain('SIGTERM received: stopping; the post step deletes cluster cancelled');
  expect(main.state).toMatchObject({ cluster: 'cancelled', phase: 'creating' });
  expect(main.state.outcome).toBeUndefined();

  const p = await post(main.state, o);
  expect(p.code).toBe(0);
  expect(job.kindCalls()).toContain(
    `delete cluster --name cancelled --kubeconfig ${path.join(job.home, '.kube', 'config')}`,
  );
  expect(job.kindCalls()).toContain(
    `export logs ${path.join(job.temp, 'kind-logs-cancelled')} --name cancelled`,
  );
});

test('a cleanup error is a warning by default, and fails the post step with fail-on-cleanup-error', async () => {
  const o = opts(downloaded({ 'cluster-name': 'stuck' }));
  const main = await runAction('kind-cluster', o);
  expect(main.failedMessage).toBeUndefined();
  const failing = { ...o, env: { ...o.env, STUB_FAIL: 'delete' } };
  const msg =
    'deleting cluster stuck failed: kind delete cluster exited with code 1: Deleting cluster "stuck" ... | ' +
    'ERROR: failed to delete cluster "stuck": failed to delete nodes: command "docker rm -f -v stuck-control-plane" failed with error: exit status 1';
  for (const [failOn, level, code] of [
    ['false', 'warning', 0],
    ['true', 'error', 1],
  ] as const) {
    const p = await post({ ...main.state, 'fail-on-cleanup-error': failOn }, failing);
    expect(p.annotations.filter((a) => a.level === level).map((a) => a.message)).toEqual([msg]);
    expect(p.code).toBe(code);
  }
});

test('keep: true leaves the cluster and registry in place', async () => {
  const o = opts(downloaded({ 'cluster-name': 'kept', keep: 'true', registry: 'true' }));
  const main = await runAction('kind-cluster', o);
  const p = await post(main.state, o);
  expect(p.stdout).toContain('keeping cluster kept and registry kept-registry (keep: true)');
  expect(job.calls().filter((c) => c.args[0] === 'delete' || c.args[0] === 'rm')).toEqual([]);
});

test('a config file is used as given; nodes that pin their own image get no --image', async () => {
  writeFileSync(
    path.join(job.workspace, 'kind.yaml'),
    'kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nnodes:\n  - role: control-plane\n    image: kindest/node:v1.35.5\n  - role: worker\n  - role: worker\n',
  );
  const main = await runAction(
    'kind-cluster',
    opts(downloaded({ 'cluster-name': 'own', config: 'kind.yaml' })),
  );
  expect(main.failedMessage).toBeUndefined();
  const create = job.calls().find((c) => c.args[0] === 'create')!;
  expect(create.args).not.toContain('--image');
  expect(main.stdout).toContain('all 3 nodes are Ready');
});
