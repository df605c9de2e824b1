import { execFile } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { KubeClient, loadClusterAccess } from '@upgrade-actions/kube';
import {
  makePki,
  startAuthApiServer,
  startConnectProxy,
  type AuthApiServer,
  type Pki,
  type Seen,
} from './servers/auth-api-server';

// Every way a kubeconfig authenticates, against a TLS API server this file starts, each run by the
// real kubectl and by our client with the same kubeconfig: both must succeed or fail alike, and the
// server must see the same credentials from both.

const b64 = (s: string) => Buffer.from(s).toString('base64');
const jwt = (claims: object) =>
  [{ alg: 'RS256', typ: 'JWT' }, claims]
    .map((p) => Buffer.from(JSON.stringify(p)).toString('base64url'))
    .join('.') + '.c2lnbmF0dXJl';
const ID_TOKEN = jwt({ iss: 'https://issuer.invalid', sub: 'oidc-user', aud: 'kubectl', exp: 4102444800 });
const PLUGIN_SECRET = 'plugin-secret-5f3a9c';

let dir: string;
let pki: Pki;
let api: AuthApiServer;
let proxy: Awaited<ReturnType<typeof startConnectProxy>>;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'kube-auth-'));
  pki = await makePki(path.join(dir, 'pki'));
  writeFileSync(path.join(dir, 'token.txt'), 'tok-file\n');
  const plugin = path.join(dir, 'plugin');
  writeFileSync(
    plugin,
    '#!/bin/sh\necho \'{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"tok-exec"}}\'\n',
  );
  const failing = path.join(dir, 'failing-plugin');
  writeFileSync(failing, '#!/bin/sh\necho "login refused for key $PLUGIN_KEY" >&2\nexit 1\n');
  chmodSync(plugin, 0o755);
  chmodSync(failing, 0o755);
  const accepted = [
    'Bearer tok-static',
    'Bearer tok-file',
    'Bearer tok-exec',
    `Bearer ${ID_TOKEN}`,
    `Basic ${b64('admin:pw')}`,
  ];
  api = await startAuthApiServer(pki, accepted, (f) => readFileSync(f, 'utf8'));
  proxy = await startConnectProxy();
});

afterAll(async () => {
  await api?.stop();
  await proxy?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** One kubeconfig: a cluster block and a user block, written next to the certificates' folder. */
function kubeconfig(name: string, cluster: Record<string, unknown>, user: Record<string, unknown>): string {
  const file = path.join(dir, `${name}.yaml`);
  const doc = {
    apiVersion: 'v1',
    kind: 'Config',
    'current-context': 'c',
    clusters: [
      {
        name: 'test-cluster',
        cluster: {
          server: `https://localhost:${api.port}`,
          'certificate-authority': 'pki/ca.crt',
          ...cluster,
        },
      },
    ],
    users: [{ name: 'test-user', user }],
    contexts: [{ name: 'c', context: { cluster: 'test-cluster', user: 'test-user' } }],
  };
  writeFileSync(file, JSON.stringify(doc, null, 2));
  return file;
}

interface Outcome {
  ok: boolean;
  seen: Omit<Seen, 'path'>[];
  error: string;
}

/** kubectl runs asynchronously: the API server answering it lives in this process. */
function kubectl(file: string): Promise<Outcome> {
  api.seen.length = 0;
  return new Promise((resolve) => {
    const child = execFile(
      'kubectl',
      ['--kubeconfig', file, '--request-timeout', '20s', 'get', '--raw', '/version'],
      { encoding: 'utf8', env: { PATH: process.env.PATH, HOME: dir }, timeout: 30_000 },
      (err, _stdout, stderr) =>
        resolve({ ok: !err, seen: api.seen.map(({ path: _p, ...s }) => s), error: stderr }),
    );
    // With no credentials kubectl would prompt for a username on its stdin.
    child.stdin?.end();
  });
}

async function ours(file: string): Promise<Outcome> {
  api.seen.length = 0;
  const client = new KubeClient(loadClusterAccess({ path: file, env: {} }));
  try {
    await client.get('/version');
    return { ok: true, seen: api.seen.map(({ path: _p, ...s }) => s), error: '' };
  } catch (e) {
    return { ok: false, seen: api.seen.map(({ path: _p, ...s }) => s), error: (e as Error).message };
  } finally {
    client.close();
  }
}

const clientCertData = () => ({
  'client-certificate-data': b64(readFileSync(pki.clientCert, 'utf8')),
  'client-key-data': b64(readFileSync(pki.clientKey, 'utf8')),
});

describe('every way a kubeconfig authenticates works as it does with kubectl', () => {
  test.each<[string, () => Record<string, unknown>, () => Record<string, unknown>, Partial<Seen>]>([
    ['a bearer token', () => ({}), () => ({ token: 'tok-static' }), { authorization: 'Bearer tok-static' }],
    [
      'a tokenFile relative to the kubeconfig, trimmed',
      () => ({}),
      () => ({ tokenFile: 'token.txt' }),
      { authorization: 'Bearer tok-file' },
    ],
    [
      'basic auth',
      () => ({}),
      () => ({ username: 'admin', password: 'pw' }),
      { authorization: `Basic ${b64('admin:pw')}` },
    ],
    [
      'client certificate files relative to the kubeconfig',
      () => ({}),
      () => ({ 'client-certificate': 'pki/client.crt', 'client-key': 'pki/client.key' }),
      { clientCertCN: 'alice' },
    ],
    ['inline client certificate data', () => ({}), clientCertData, { clientCertCN: 'alice' }],
    [
      'an exec credential plugin',
      () => ({}),
      () => ({
        exec: {
          apiVersion: 'client.authentication.k8s.io/v1',
          command: path.join(dir, 'plugin'),
          interactiveMode: 'Never',
        },
      }),
      { authorization: 'Bearer tok-exec' },
    ],
    [
      'an OIDC auth-provider with a current id-token',
      () => ({}),
      () => ({
        'auth-provider': {
          name: 'oidc',
          config: {
            'idp-issuer-url': 'https://issuer.invalid',
            'client-id': 'kubectl',
            'id-token': ID_TOKEN,
          },
        },
      }),
      { authorization: `Bearer ${ID_TOKEN}` },
    ],
    [
      'insecure-skip-tls-verify without a CA',
      () => ({ 'certificate-authority': undefined, 'insecure-skip-tls-verify': true }),
      () => ({ token: 'tok-static' }),
      { authorization: 'Bearer tok-static' },
    ],
    [
      'tls-server-name for a server reached by IP',
      () => ({ server: `https://127.0.0.1:${api.port}`, 'tls-server-name': 'api.internal' }),
      () => ({ token: 'tok-static' }),
      { authorization: 'Bearer tok-static' },
    ],
    ['impersonation with as', () => ({}), () => ({ token: 'tok-static', as: 'bob' }), { impersonate: 'bob' }],
  ])('%s', async (name, cluster, user, expected) => {
    const file = kubeconfig(name.replace(/\W+/g, '-'), cluster(), user());
    const want = await kubectl(file);
    expect(want).toMatchObject({ ok: true });
    const got = await ours(file);
    expect(got).toMatchObject({ ok: true });
    expect(got.seen[0]).toMatchObject(expected);
    expect(got.seen[0]).toEqual(want.seen[0]);
  });

  test('proxy-url: both tunnel through the proxy', async () => {
    const file = kubeconfig('proxy', { 'proxy-url': proxy.url }, { token: 'tok-static' });
    proxy.tunnels.length = 0;
    expect(await kubectl(file)).toMatchObject({ ok: true });
    expect(proxy.tunnels).toEqual([`localhost:${api.port}`]);
    proxy.tunnels.length = 0;
    expect(await ours(file)).toMatchObject({ ok: true });
    expect(proxy.tunnels).toEqual([`localhost:${api.port}`]);
  });

  test('no credentials: both fail (kubectl asks for a username on stdin; we send no prompt, the server says Unauthorized)', async () => {
    const file = kubeconfig('anonymous', {}, {});
    expect(await kubectl(file)).toMatchObject({ ok: false, error: 'error: EOF\n' });
    // kubectl's words, then what to check.
    expect(await ours(file)).toMatchObject({
      ok: false,
      error:
        'Error from server (Unauthorized): Unauthorized. Check the credentials of the kubeconfig user (token, client certificate, exec plugin): they were not accepted.',
    });
  });

  test('tls-server-name left out for a server reached by IP: both refuse the certificate', async () => {
    const file = kubeconfig('by-ip', { server: `https://127.0.0.1:${api.port}` }, { token: 'tok-static' });
    expect(await kubectl(file)).toMatchObject({ ok: false });
    const got = await ours(file);
    expect(got.ok).toBe(false);
    expect(got.error).toContain(`cluster "test-cluster" of kubeconfig ${file}: set tls-server-name`);
  });
});

describe('auth failures name what the user must fix, and print no secret', () => {
  test('an unknown CA names the kubeconfig, the cluster and its certificate-authority', async () => {
    const file = kubeconfig(
      'other-ca',
      { 'certificate-authority': 'pki/other-ca.crt' },
      { token: 'tok-static' },
    );
    expect((await kubectl(file)).error).toContain('x509: certificate signed by unknown authority');
    const got = await ours(file);
    expect(got.ok).toBe(false);
    expect(got.error).toContain('x509: certificate signed by unknown authority');
    expect(got.error).toContain(
      `cluster "test-cluster" of kubeconfig ${file} trusts certificate-authority ${path.join(dir, 'pki/other-ca.crt')}`,
    );
    expect(got.error).not.toContain('--use-system-ca');
  });

  test("a failing exec plugin's stderr is printed with the kubeconfig's secrets masked", async () => {
    const file = kubeconfig(
      'failing-plugin',
      {},
      {
        exec: {
          apiVersion: 'client.authentication.k8s.io/v1',
          command: path.join(dir, 'failing-plugin'),
          interactiveMode: 'Never',
          env: [{ name: 'PLUGIN_KEY', value: PLUGIN_SECRET }],
        },
      },
    );
    expect((await kubectl(file)).ok).toBe(false);
    const got = await ours(file);
    expect(got.ok).toBe(false);
    expect(got.error).toContain(
      `kubeconfig ${file}: getting credentials for user "test-user" failed: login refused for key ***`,
    );
    expect(got.error).not.toContain(PLUGIN_SECRET);
  });
});
