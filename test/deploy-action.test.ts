import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { KubeClient, loadClusterAccess } from '@upgrade-actions/kube';
import { startKubeSim, type KubeSim } from '@upgrade-actions/kube-sim';
import { runAction } from './harness/run-action';

// Bad input to the deploy action (from dist/) ends with one clear line, before anything is applied.

let sim: KubeSim;
let client: KubeClient;
let workspace: string;

const good = `apiVersion: v1
kind: ConfigMap
metadata: {name: settings, namespace: default}
data: {mode: fast}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: default}
spec:
  replicas: 1
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: web, image: "ghcr.io/acme/web:1.0"}]}
`;

beforeAll(async () => {
  sim = await startKubeSim({ speed: 50, controllers: { events: false } });
  client = new KubeClient(loadClusterAccess({ path: sim.kubeconfigPath }));
  workspace = mkdtempSync(path.join(tmpdir(), 'deploy-action-'));
  mkdirSync(path.join(workspace, 'k8s'));
  writeFileSync(path.join(workspace, 'k8s', 'app.yaml'), good);
  writeFileSync(path.join(workspace, 'broken.yaml'), `${good}---\nkind: [unclosed\n`);
});

afterEach(async () => {
  // Nothing half-applied: not even the ConfigMap that comes first.
  const cms = await client.get<{ items: unknown[] }>('/api/v1/namespaces/default/configmaps');
  expect(cms.items).toEqual([]);
});

afterAll(async () => {
  client?.close();
  await sim?.stop();
  rmSync(workspace, { recursive: true, force: true });
});

test.each([
  [
    'manifests that match no file',
    { manifests: 'k8s/missing.yaml' },
    /^manifests: "k8s\/missing\.yaml" matches no file or directory$/,
  ],
  [
    'a manifest that is not valid YAML',
    { manifests: 'k8s/app.yaml, broken.yaml' },
    /^manifests: .*broken\.yaml: document 3: invalid YAML: /,
  ],
  [
    'a missing kubeconfig',
    { kubeconfig: 'nowhere/config' },
    // A path is not a secret: the user must see which file to check.
    /^kubeconfig: file \/.*\/nowhere\/config does not exist$/,
  ],
  [
    'kubeconfig content without a current context',
    { kubeconfig: 'apiVersion: v1\nkind: Config\nclusters: []\n' },
    /^kubeconfig: kubeconfig content sets no current-context; pass a context name$/,
  ],
  [
    'a malformed image override',
    { images: 'ghcr.io/acme/web=ghcr.io/acme/web@sha256:nothex' },
    /^Input 'images' must be name=reference lines or a JSON object of name to reference: reference for ghcr\.io\/acme\/web "ghcr\.io\/acme\/web@sha256:nothex" is not a valid image reference/,
  ],
  [
    'an image tagged latest',
    { images: 'ghcr.io/acme/web=ghcr.io/acme/web:latest' },
    /^forbid-latest: image ghcr\.io\/acme\/web:latest uses the latest tag/,
  ],
  [
    'an image without a digest when one is required',
    { 'require-digest': 'true' },
    /^require-digest: image ghcr\.io\/acme\/web:1\.0 has no digest/,
  ],
  [
    'a timeout that is not a duration',
    { timeout: 'soon' },
    /timeout.*must be a duration such as 90s, 5m or 1h30m/,
  ],
])('%s ends with one clear line', async (_name, inputs, message) => {
  const r = await runAction('deploy', {
    workspace,
    inputs: { manifests: 'k8s/', kubeconfig: sim.kubeconfigPath, ...inputs },
  });
  expect(r.code).toBe(1);
  expect(r.failedMessage).toMatch(message);
  expect(r.stdout).not.toContain('    at ');
});

test('kubeconfig content is masked whole and each credential in it on its own; a path is not masked', async () => {
  const key = 'LS0tLS1CRUdJTiBFQyBQUklWQVRFIEtFWS0tLS0t';
  const content = [
    'apiVersion: v1',
    'kind: Config',
    'clusters: []',
    'users:',
    '- name: u',
    `  user: {token: tok-7d2e91, password: pw-44a1c0, client-key-data: ${key}}`,
  ].join('\n');
  const r = await runAction('deploy', { workspace, inputs: { manifests: 'k8s/', kubeconfig: content } });
  expect(r.code).toBe(1);
  const masks = r.stdout.split('\n').filter((l) => l.startsWith('::add-mask::'));
  for (const secret of ['tok-7d2e91', 'pw-44a1c0', key]) expect(masks).toContain(`::add-mask::${secret}`);
  const byPath = await runAction('deploy', {
    workspace,
    inputs: { manifests: 'k8s/', kubeconfig: 'nowhere/config' },
  });
  expect(byPath.stdout).not.toContain('::add-mask::');
});
