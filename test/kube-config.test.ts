import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ConfigurationError } from '@upgrade-actions/common';
import { loadClusterAccess, resolveCredentials } from '@upgrade-actions/kube';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'kube-config-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const b64 = (s: string) => Buffer.from(s).toString('base64');

const twoContexts = `
apiVersion: v1
kind: Config
current-context: dev
clusters:
- name: dev
  cluster: {server: "https://dev.example:6443/", certificate-authority-data: ${b64('DEV CA')}}
- name: prod
  cluster: {server: https://prod.example, certificate-authority: certs/ca.pem, tls-server-name: api.prod}
users:
- name: dev-user
  user: {token: dev-token}
- name: prod-user
  user: {client-certificate: certs/client.pem, client-key-data: ${b64('PROD KEY')}}
contexts:
- name: dev
  context: {cluster: dev, user: dev-user, namespace: team-a}
- name: prod
  context: {cluster: prod, user: prod-user}
`;

describe('loadClusterAccess reads a kubeconfig as kubectl does', () => {
  test('content uses the current context, its namespace and inline CA data', async () => {
    const a = loadClusterAccess({ content: twoContexts, env: {} });
    expect(a).toMatchObject({ server: 'https://dev.example:6443', contextName: 'dev', namespace: 'team-a' });
    expect(await resolveCredentials(a)).toMatchObject({
      ca: 'DEV CA',
      headers: { Authorization: 'Bearer dev-token' },
    });
  });

  test('a named context wins; files are read relative to the kubeconfig; no namespace means default', async () => {
    mkdirSync(path.join(dir, 'certs'), { recursive: true });
    writeFileSync(path.join(dir, 'certs/ca.pem'), 'PROD CA');
    writeFileSync(path.join(dir, 'certs/client.pem'), 'PROD CERT');
    const file = path.join(dir, 'config');
    writeFileSync(file, twoContexts);
    const a = loadClusterAccess({ path: file, context: 'prod', env: {} });
    expect(a).toMatchObject({ server: 'https://prod.example', namespace: 'default' });
    expect(await resolveCredentials(a)).toMatchObject({
      ca: 'PROD CA',
      cert: 'PROD CERT',
      key: 'PROD KEY',
      servername: 'api.prod',
    });
  });

  test('$KUBECONFIG lists several files; the first to define a name wins', async () => {
    const a = path.join(dir, 'a.yaml');
    const bFile = path.join(dir, 'b.yaml');
    writeFileSync(a, 'current-context: b\nclusters: [{name: c, cluster: {server: "http://first"}}]\n');
    writeFileSync(
      bFile,
      'clusters: [{name: c, cluster: {server: "http://second"}}]\nusers: [{name: u, user: {username: admin, password: pw}}]\ncontexts: [{name: b, context: {cluster: c, user: u}}]\n',
    );
    const access = loadClusterAccess({ env: { KUBECONFIG: `${a}${path.delimiter}${bFile}` } });
    expect(access).toMatchObject({ server: 'http://first', contextName: 'b' });
    expect((await resolveCredentials(access)).headers.Authorization).toBe(`Basic ${b64('admin:pw')}`);
  });

  test('in-cluster uses the service account token, CA and namespace', async () => {
    const sa = path.join(dir, 'sa');
    mkdirSync(sa, { recursive: true });
    writeFileSync(path.join(sa, 'token'), 'sa-token');
    writeFileSync(path.join(sa, 'ca.crt'), 'CLUSTER CA');
    writeFileSync(path.join(sa, 'namespace'), 'payments');
    const env = { KUBERNETES_SERVICE_HOST: '10.0.0.1', KUBERNETES_SERVICE_PORT: '443' };
    const a = loadClusterAccess({ inCluster: true, env, serviceAccountDir: sa });
    expect(a).toMatchObject({
      server: 'https://10.0.0.1:443',
      contextName: 'in-cluster',
      namespace: 'payments',
    });
    expect(await resolveCredentials(a)).toMatchObject({
      ca: 'CLUSTER CA',
      headers: { Authorization: 'Bearer sa-token' },
    });
    // `auto` falls back to in-cluster only when no kubeconfig exists.
    expect(
      loadClusterAccess({ inCluster: 'auto', env: { ...env, HOME: dir }, serviceAccountDir: sa }).contextName,
    ).toBe('in-cluster');
  });

  test.each([
    [{ path: '/nowhere/config' }, 'kubeconfig: file /nowhere/config does not exist'],
    [
      { content: twoContexts, context: 'staging' },
      'context: "staging" is not in the kubeconfig (kubeconfig content); contexts: dev, prod',
    ],
    [
      { content: 'clusters: []' },
      'kubeconfig: kubeconfig content sets no current-context; pass a context name',
    ],
    [{ content: 'a: [' }, /^kubeconfig: kubeconfig content is not valid YAML/],
    [
      { content: 'current-context: x\ncontexts: [{name: x, context: {cluster: missing}}]' },
      'kubeconfig: kubeconfig content: context "x" names cluster "missing", which is not defined',
    ],
    [
      { inCluster: true as const },
      'in-cluster: KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT are not set; this is not a pod',
    ],
    [
      { env: { HOME: '/nonexistent-home' } },
      /^kubeconfig: none found \(looked at \/nonexistent-home\/\.kube\/config\)/,
    ],
  ])('a bad source is a configuration error naming what is wrong (%#)', (src, message) => {
    const run = () => loadClusterAccess({ env: {}, ...src });
    expect(run).toThrow(ConfigurationError);
    expect(run).toThrow(message);
  });
});
