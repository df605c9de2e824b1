import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ConfigurationError } from '@upgrade-actions/common';
import { kubeconfigPath, planCluster, type ClusterInputs } from '@upgrade-actions/kind';

const base: ClusterInputs = {
  clusterName: '',
  kindVersion: 'v0.32.0',
  kubectlVersion: 'v1.35.5',
  kubernetesVersion: '',
  nodeImage: '',
  config: '',
  workers: 0,
  portMappings: [],
  featureGates: [],
  registry: false,
  registryPort: 5001,
  registryImage: 'registry:3',
  loadImages: [],
  wait: 300_000,
  kubeconfig: '',
  keep: false,
  exportLogs: 'on-failure',
  failOnCleanupError: false,
  kindSha256: '',
  kubectlSha256: '',
  kindDownloadUrl: 'https://github.com/kubernetes-sigs/kind/releases/download',
  kubectlDownloadUrl: 'https://dl.k8s.io/release',
};

let ws: string;
beforeEach(() => (ws = mkdtempSync(path.join(tmpdir(), 'kind-plan-'))));
afterEach(() => rmSync(ws, { recursive: true, force: true }));
const ctx = (env: NodeJS.ProcessEnv = {}, arch = 'x64') => ({
  env: { HOME: '/home/runner', GITHUB_RUN_ID: '42', GITHUB_RUN_ATTEMPT: '1', GITHUB_JOB: 'e2e', ...env },
  arch,
  workspace: ws,
});

test('the defaults plan a one-node cluster of the kind release’s default image, with pinned downloads', () => {
  const p = planCluster(base, ctx());
  expect(p.name).toMatch(/^upgrade-42-1-[0-9a-f]{6}$/);
  expect(p.context).toBe(`kind-${p.name}`);
  expect(p.kubeconfig).toBe('/home/runner/.kube/config');
  expect(p.kind.url).toBe(
    'https://github.com/kubernetes-sigs/kind/releases/download/v0.32.0/kind-linux-amd64',
  );
  expect(p.kubectl.url).toBe('https://dl.k8s.io/release/v1.35.5/bin/linux/amd64/kubectl');
  expect(p.image).toBe(
    'kindest/node:v1.36.1@sha256:3489c7674813ba5d8b1a9977baea8a6e553784dab7b84759d1014dbd78f7ebd5',
  );
  expect(p.expectedNodes).toBe(1);
  expect(p.registry).toBeUndefined();
});

test('arm64 runners get the arm64 builds and checksums', () => {
  const p = planCluster(base, ctx({}, 'arm64'));
  expect(p.kind.url).toMatch(/kind-linux-arm64$/);
  expect(p.kind.sha256).toBe('b92cd615e97585de8ddade28ed5cd7feb4248d717c233eea5b03c37298900f5d');
  expect(p.kubectl.sha256).toBe('ac69e06fd6860d69786692f5af1c3a1208ed54f8366a4d97ab15c172e99765ee');
});

test.each([
  ['', { KUBECONFIG: `/a/config${path.delimiter}/b/config` }, '/a/config'],
  ['/x/kc', { KUBECONFIG: '/a/config' }, '/x/kc'],
  ['', {}, '/home/runner/.kube/config'],
])('kubeconfig input %j with env %j writes the cluster into %s, as kind would', (input, env, want) => {
  expect(kubeconfigPath(input, { HOME: '/home/runner', ...env })).toBe(want);
});

test.each([
  [
    { kubernetesVersion: '1.20' },
    "Input 'kubernetes-version' 1.20 has no kindest/node image built for kind v0.32.0",
  ],
  [
    { config: 'kind.yaml', workers: 2 },
    "Input 'config' cannot be combined with 'workers', 'port-mappings' or 'feature-gates'",
  ],
  [{ config: 'nope.yaml' }, "Input 'config' names"],
  [{ portMappings: ['80'] }, "Input 'port-mappings' entries must be"],
  [{ featureGates: ['lower=true'] }, "Input 'feature-gates' entries must be Name=true or Name=false"],
  [{ kubectlVersion: 'v1.36.1' }, null],
  [{ clusterName: 'a'.repeat(51) }, "Input 'cluster-name' must be at most 50 characters"],
] as const)('inputs %j are refused with a configuration error naming the input', (over, message) => {
  const call = () =>
    planCluster({ ...base, ...over } as ClusterInputs, ctx({}, message === null ? 'arm64' : 'x64'));
  expect(call).toThrow(ConfigurationError);
  expect(call).toThrow(message ?? 'no pinned checksum for kubectl v1.36.1 linux/arm64');
});

test('a runner that is neither amd64 nor arm64 is refused', () => {
  expect(() => planCluster(base, ctx({}, 's390x'))).toThrow(
    'kind and kubectl are published for linux amd64 and arm64; this runner is s390x',
  );
});

test('a registry plan is named after the cluster, and the config patch is added to a user config', () => {
  writeFileSync(
    path.join(ws, 'kind.yaml'),
    'kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nnodes: [{role: control-plane}, {role: worker}]\n',
  );
  const p = planCluster(
    { ...base, clusterName: 'c1', config: 'kind.yaml', registry: true, registryPort: 5002 },
    ctx(),
  );
  expect(p.registry).toEqual({ name: 'c1-registry', port: 5002, image: 'registry:3' });
  expect(p.config).toContain('config_path = "/etc/containerd/certs.d"');
  expect(p.expectedNodes).toBe(2);
});
