import { execFile } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { runAction } from './harness/run-action';
import {
  kindWorld,
  KUBECTL_VERSION,
  PINNED_NODE_IMAGE,
  seedToolCache,
  sha256,
  stubDir,
  stubKind,
} from './kind-cluster-helpers';

/**
 * The kind-cluster action from dist/, run as the runner runs it: `kind` and `docker` are recording
 * stubs, the download site is a local HTTP server, and the cluster the stub "creates" is kube-sim.
 * This file: installing the tools, the happy path, and refusing bad input. Lifecycle (registry,
 * failures, cancellation, cleanup) is in kind-cluster-lifecycle.test.ts.
 */
const run = promisify(execFile);
const w = kindWorld();
const { downloaded, opts, post } = w;

test('downloads and verifies kind and kubectl, creates the cluster, waits for Ready nodes, and post deletes it', async () => {
  const o = opts(downloaded({ workers: '1', 'port-mappings': '127.0.0.1:8080:80' }));
  const main = await runAction('kind-cluster', o);
  expect(main.failedMessage).toBeUndefined();
  expect(main.code).toBe(0);

  const name = main.outputs['cluster-name'];
  expect(name).toMatch(/^upgrade-1001-1-[0-9a-f]{6}$/);
  const kubeconfig = path.join(w.job.home, '.kube', 'config');
  expect(main.outputs).toEqual({
    'cluster-name': name,
    kubeconfig,
    context: `kind-${name}`,
    'kubernetes-version': ((await (await fetch(`${w.sim.url}/version`)).json()) as { gitVersion: string })
      .gitVersion,
    registry: '',
  });
  const create = w.job.calls().find((c) => c.args[0] === 'create')!;
  expect(create.args).toEqual([
    'create',
    'cluster',
    '--name',
    name,
    '--config',
    path.join(w.job.temp, `kind-${name}.yaml`),
    '--kubeconfig',
    kubeconfig,
    '--image',
    PINNED_NODE_IMAGE,
    '--retain',
  ]);
  expect(w.site.requests).toEqual(
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
  const kubectl = path.join(w.job.toolCache, 'kubectl', KUBECTL_VERSION.slice(1), 'x64', 'kubectl');
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
  expect(w.job.kindCalls().slice(-1)).toEqual([`delete cluster --name ${name} --kubeconfig ${kubeconfig}`]);
  expect(w.job.kindCalls().some((c) => c.startsWith('export logs'))).toBe(false);
  expect(JSON.parse(readFileSync(kubeconfig, 'utf8')).contexts).toEqual([]);
});

test('kind and kubectl already in the tool cache are used without any download', async () => {
  seedToolCache(w.job.toolCache, 'kind', 'v0.32.0', path.join(stubDir, 'kind'));
  seedToolCache(w.job.toolCache, 'kubectl', 'v1.35.5', '/usr/bin/kubectl');
  const before = w.site.requests.length;
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
    `kind v0.32.0 linux/amd64 found in the tool cache: ${path.join(w.job.toolCache, 'kind', '0.32.0', 'x64')}`,
  );
  expect(w.site.requests.length).toBe(before);
  expect(main.outputs['cluster-name']).toBe('cached');
});

test('a tampered kind download fails with both checksums named, caches nothing and creates nothing', async () => {
  const o = opts(downloaded({ 'kind-download-url': `${w.site.url}/tampered` }));
  const main = await runAction('kind-cluster', o);
  expect(main.code).toBe(1);
  expect(main.failedMessage).toMatch(
    new RegExp(
      `^kind v0\\.32\\.0 linux/amd64 from ${w.site.url}/tampered/v0\\.32\\.0/kind-linux-amd64 has sha256 [0-9a-f]{64}, but ${sha256(stubKind)} is pinned: refusing to install it \\(nothing was cached\\)$`,
    ),
  );
  expect(existsSync(path.join(w.job.toolCache, 'kind'))).toBe(false);
  expect(w.job.changes()).toEqual([]);
  const p = await post(main.state, o);
  expect(p.code).toBe(0);
  expect(w.job.changes()).toEqual([]);
});

test('the pinned checksum is enforced when the user vouches for none: the stub is not the real kind', async () => {
  const main = await runAction(
    'kind-cluster',
    opts({ 'kind-download-url': `${w.site.url}/good`, wait: '5s' }),
  );
  expect(main.failedMessage).toContain(
    'but 50030de23cf40a18505f20426f6a8506bedf13c6e509244bd1fa9463721b0f54 is pinned: refusing to install it',
  );
  expect(existsSync(path.join(w.job.toolCache, 'kind'))).toBe(false);
});

test('a kind version without a pinned checksum fails before anything is downloaded or run', async () => {
  const before = w.site.requests.length;
  const main = await runAction(
    'kind-cluster',
    opts({ 'kind-version': 'v0.29.0', 'kind-download-url': `${w.site.url}/good` }),
  );
  expect(main.failedMessage).toBe(
    "no pinned checksum for kind v0.29.0: it is not in this action's table (pinned for linux/amd64: v0.32.0, v0.31.0); pass 'kind-sha256' with the checksum from its release page, or choose one of those in 'kind-version'",
  );
  expect(main.stdout).not.toContain('    at '); // a user error is one line, without a stack
  expect(w.site.requests.length).toBe(before);
  expect(w.job.changes()).toEqual([]);
});

test('a config file is used as given; nodes that pin their own image get no --image', async () => {
  writeFileSync(
    path.join(w.job.workspace, 'kind.yaml'),
    'kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nnodes:\n  - role: control-plane\n    image: kindest/node:v1.35.5\n  - role: worker\n  - role: worker\n',
  );
  const main = await runAction(
    'kind-cluster',
    opts(downloaded({ 'cluster-name': 'own', config: 'kind.yaml' })),
  );
  expect(main.failedMessage).toBeUndefined();
  const create = w.job.calls().find((c) => c.args[0] === 'create')!;
  expect(create.args).not.toContain('--image');
  expect(main.stdout).toContain('all 3 nodes are Ready');
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
  [
    { 'node-image': 'kindest/node:v1.36.1; touch /tmp/pwned' },
    `Input 'node-image' "kindest/node:v1.36.1; touch /tmp/pwned" is not a valid image reference (bad name component "node:v1.36.1; touch "); expected [registry/]name[:tag][@sha256:<64 hex>]`,
  ],
  [
    { 'load-images': 'app:dev\nApp Image:1' },
    `Input 'load-images' entry "App Image:1" is not a valid image reference (bad name component "App Image"); expected [registry/]name[:tag][@sha256:<64 hex>]`,
  ],
  [{ kubeconfig: '.' }, `Input 'kubeconfig': %WS% is a directory; give the path of a file`],
  [
    { kubeconfig: 'kind.yaml/config' },
    `Input 'kubeconfig': %WS%/kind.yaml/config is under %WS%/kind.yaml, which is a file, not a directory`,
  ],
])('bad input %j fails before any side effect or download, naming the input', async (inputs, message) => {
  const before = w.site.requests.length;
  writeFileSync(path.join(w.job.workspace, 'kind.yaml'), 'kind: Cluster\n');
  const main = await runAction('kind-cluster', opts(downloaded(inputs)));
  expect(main.code).toBe(1);
  expect(main.failedMessage).toBe(message.replaceAll('%WS%', w.job.workspace));
  expect(w.site.requests.length).toBe(before);
  expect(w.job.calls()).toEqual([]);
  expect(existsSync(path.join(w.job.toolCache, 'kind'))).toBe(false);
});
