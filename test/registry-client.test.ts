import { execFile } from 'node:child_process';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { memoryLogger } from '@upgrade-actions/common';
import {
  OCI_INDEX,
  OCI_MANIFEST,
  RegistryClient,
  RegistryError,
  sha256Digest,
  pushImage,
  platformConfig,
} from '@upgrade-actions/registry';
import { freePort, startRegistry, type RunningRegistry } from './registry/registry';

// The distribution client against Debian's docker-registry (distribution 2.8): plain, htpasswd and token
// auth; skopeo is the independent peer that reads back what we pushed.

const skopeo = (...args: string[]) => promisify(execFile)('skopeo', args);

const pushImageTag = async (c: RegistryClient, repo: string, tag: string, arch: string) =>
  (
    await pushImage(c, repo, {
      config: platformConfig(arch),
      layer: `layer of ${repo}:${tag} for ${arch}`,
      tag,
    })
  ).digest;

describe('plain registry', () => {
  let reg: RunningRegistry;
  beforeAll(async () => {
    reg = await startRegistry();
  });
  afterAll(() => reg?.stop());

  test('pushes an image, reads it back by tag and digest, and skopeo sees the same bytes', async () => {
    const c = new RegistryClient({ registry: reg.host });
    const digest = await pushImageTag(c, 'acme/web', '1.0.0', 'amd64');
    const byTag = await c.getManifest('acme/web', '1.0.0');
    expect(byTag.digest).toBe(digest);
    expect(byTag.mediaType).toBe(OCI_MANIFEST);
    expect((await c.getManifest('acme/web', digest)).bytes.equals(byTag.bytes)).toBe(true);
    expect(await c.manifestDigest('acme/web', '1.0.0')).toBe(digest);
    expect(await c.manifestDigest('acme/web', 'nope')).toBeUndefined();
    const { stdout } = await skopeo(
      'inspect',
      '--raw',
      '--tls-verify=false',
      `docker://${reg.host}/acme/web:1.0.0`,
    );
    expect(sha256Digest(Buffer.from(stdout))).toBe(digest);
  });

  test('an index of two platforms; skopeo lists both', async () => {
    const c = new RegistryClient({ registry: reg.host });
    const amd = await pushImageTag(c, 'acme/multi', 'amd64', 'amd64');
    const arm = await pushImageTag(c, 'acme/multi', 'arm64', 'arm64');
    const size = async (d: string) => (await c.getManifest('acme/multi', d)).bytes.length;
    const index = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: OCI_INDEX,
        manifests: [
          {
            mediaType: OCI_MANIFEST,
            digest: amd,
            size: await size(amd),
            platform: { architecture: 'amd64', os: 'linux' },
          },
          {
            mediaType: OCI_MANIFEST,
            digest: arm,
            size: await size(arm),
            platform: { architecture: 'arm64', os: 'linux' },
          },
        ],
      }),
    );
    const digest = await c.putManifest('acme/multi', '1.0.0', index, OCI_INDEX);
    const { stdout } = await skopeo(
      'inspect',
      '--raw',
      '--tls-verify=false',
      `docker://${reg.host}/acme/multi:1.0.0`,
    );
    expect(sha256Digest(Buffer.from(stdout))).toBe(digest);
    // skopeo resolves the platform through our index: the arm64 entry's config says arm64.
    for (const arch of ['amd64', 'arm64']) {
      const { stdout: config } = await skopeo(
        'inspect',
        '--config',
        '--tls-verify=false',
        '--override-os',
        'linux',
        '--override-arch',
        arch,
        `docker://${reg.host}/acme/multi:1.0.0`,
      );
      expect(JSON.parse(config).architecture).toBe(arch);
    }
  });

  test('tags follow Link pagination (a front that pages as GHCR and Docker Hub do)', async () => {
    const c0 = new RegistryClient({ registry: reg.host });
    for (const t of ['1.25.0', '1.25.1', '1.25.2', '1.26.0', '1.26.0-rc.1'])
      await pushImageTag(c0, 'acme/paged', t, 'amd64');
    // distribution 2.8 answers the whole list at once; this front pages the real list by n and last.
    const front: Server = createServer(async (req, res) => {
      const u = new URL(req.url!, 'http://front');
      const all = ((await (await fetch(`${reg.url}${u.pathname}`)).json()) as { tags: string[] }).tags.sort();
      const n = Number(u.searchParams.get('n') ?? 100);
      const last = u.searchParams.get('last');
      const from = last ? all.indexOf(last) + 1 : 0;
      const page = all.slice(from, from + n);
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (from + n < all.length)
        headers.link = `<${u.pathname}?n=${n}&last=${encodeURIComponent(page[page.length - 1])}>; rel="next"`;
      res.writeHead(200, headers).end(JSON.stringify({ name: 'acme/paged', tags: page }));
    });
    await new Promise<void>((r) => front.listen(0, '127.0.0.1', () => r()));
    try {
      const c = new RegistryClient({ registry: `127.0.0.1:${(front.address() as AddressInfo).port}` });
      expect(await c.tags('acme/paged', 2)).toEqual(['1.25.0', '1.25.1', '1.25.2', '1.26.0', '1.26.0-rc.1']);
      expect(c.stats.requests).toBe(3); // 2 + 2 + 1
    } finally {
      front.close();
    }
  });

  test('a blob mounts across repositories without an upload', async () => {
    const c = new RegistryClient({ registry: reg.host });
    const blob = Buffer.from('shared layer');
    const d = await c.pushBlob('acme/a', blob);
    expect(await c.blobExists('acme/b', d)).toBe(false);
    expect(await c.mountBlob('acme/b', d, 'acme/a')).toBe(true);
    expect((await c.getBlob('acme/b', d)).equals(blob)).toBe(true);
  });

  test('an unknown manifest is a clear error with the registry’s code', async () => {
    const c = new RegistryClient({ registry: reg.host });
    const err = await c.getManifest('acme/web', '9.9.9').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RegistryError);
    expect((err as RegistryError).status).toBe(404);
    expect((err as Error).message).toMatch(
      new RegExp(`^registry ${reg.host}: manifest acme/web:9.9.9: manifest unknown.*\\(MANIFEST_UNKNOWN\\)`),
    );
  });

  test('429 and 503 are retried, honouring Retry-After, and said in the log', async () => {
    // A front that answers the first two requests of each path 429 (Retry-After: 1) and 503, then forwards.
    const seen = new Map<string, number>();
    const front: Server = createServer((req, res) => {
      const n = (seen.get(req.url!) ?? 0) + 1;
      seen.set(req.url!, n);
      if (n === 1) return res.writeHead(429, { 'retry-after': '1' }).end();
      if (n === 2) return res.writeHead(503).end();
      const upstream = request(`${reg.url}${req.url}`, { method: req.method, headers: req.headers }, (up) => {
        res.writeHead(up.statusCode!, up.headers);
        up.pipe(res);
      });
      req.pipe(upstream);
    });
    await new Promise<void>((r) => front.listen(0, '127.0.0.1', () => r()));
    const waits: number[] = [];
    const logger = memoryLogger();
    const c = new RegistryClient({
      registry: `127.0.0.1:${(front.address() as AddressInfo).port}`,
      logger,
      backoffMs: 10,
      sleep: async (ms) => void waits.push(ms),
    });
    try {
      expect((await c.getManifest('acme/web', '1.0.0')).mediaType).toBe(OCI_MANIFEST);
      expect(waits).toEqual([1000, 20]);
      expect(logger.lines.join('\n')).toMatch(
        /manifest acme\/web:1.0.0 answered 429; retrying in 1000 ms \(attempt 2 of 4\)/,
      );
    } finally {
      front.close();
    }
  });

  test('an unreachable registry is one clear line', async () => {
    const port = await freePort(); // nothing listens there
    const c = new RegistryClient({ registry: `127.0.0.1:${port}`, attempts: 2, sleep: async () => {} });
    await expect(c.tags('acme/web')).rejects.toThrow(
      `cannot reach registry 127.0.0.1:${port} at http://127.0.0.1:${port} (ECONNREFUSED): check the name and the network`,
    );
  });
});

describe('htpasswd basic auth', () => {
  let reg: RunningRegistry;
  beforeAll(async () => {
    reg = await startRegistry({ kind: 'basic', username: 'ci', password: 's3cret!' });
  });
  afterAll(() => reg?.stop());

  test('pushes with the right password; masks it', async () => {
    const secrets: string[] = [];
    const c = new RegistryClient({
      registry: reg.host,
      credentials: { username: 'ci', password: 's3cret!' },
      onSecret: (s) => secrets.push(s),
    });
    const digest = await pushImageTag(c, 'acme/web', '1.0.0', 'amd64');
    expect((await c.getManifest('acme/web', '1.0.0')).digest).toBe(digest);
    expect(secrets).toContain('s3cret!');
  });

  test('a wrong password names the user, not the password', async () => {
    const c = new RegistryClient({
      registry: reg.host,
      credentials: { username: 'ci', password: 'wrong-pw' },
    });
    const err = (await c.tags('acme/web').catch((e: unknown) => e)) as Error;
    expect(err.message).toBe(
      `registry ${reg.host}: tags of acme/web: the credentials of user "ci" were refused (401): check the username and password or token`,
    );
    expect(err.message).not.toContain('wrong-pw');
  });

  test('requests sent at once each meet the challenge and all authenticate (a new client, several repositories)', async () => {
    const writer = new RegistryClient({
      registry: reg.host,
      credentials: { username: 'ci', password: 's3cret!' },
    });
    for (const repo of ['acme/a', 'acme/b', 'acme/c', 'acme/d'])
      await pushImageTag(writer, repo, '1.0.0', 'amd64');
    const c = new RegistryClient({
      registry: reg.host,
      credentials: { username: 'ci', password: 's3cret!' },
    });
    const lists = await Promise.all(['acme/a', 'acme/b', 'acme/c', 'acme/d'].map((r) => c.tags(r)));
    expect(lists).toEqual([['1.0.0'], ['1.0.0'], ['1.0.0'], ['1.0.0']]);
  });

  test('no credentials: authentication required', async () => {
    const c = new RegistryClient({ registry: reg.host });
    await expect(c.tags('acme/web')).rejects.toThrow(
      'authentication required (401): give a username and password',
    );
  });
});

describe('token auth (Docker Hub / GHCR style)', () => {
  let reg: RunningRegistry;
  beforeAll(async () => {
    reg = await startRegistry({
      kind: 'token',
      username: 'octo',
      password: 'ghp_token',
      anonymousPull: true,
    });
  });
  afterAll(() => reg?.stop());

  test('gets a token per scope from the realm, with basic credentials, and reuses it', async () => {
    const c = new RegistryClient({
      registry: reg.host,
      credentials: { username: 'octo', password: 'ghp_token' },
    });
    await pushImageTag(c, 'acme/web', '1.0.0', 'amd64');
    expect(reg.tokenRequests.map((r) => r.scope)).toEqual([
      'repository:acme/web:pull',
      'repository:acme/web:pull,push',
    ]);
    expect(reg.tokenRequests.every((r) => r.authenticated && r.service === 'test-registry')).toBe(true);
  });

  test('anonymous pull gets an anonymous token; anonymous push is refused clearly', async () => {
    const c = new RegistryClient({ registry: reg.host });
    expect((await c.tags('acme/web')).includes('1.0.0')).toBe(true);
    expect(reg.tokenRequests.at(-1)).toMatchObject({
      scope: 'repository:acme/web:pull',
      authenticated: false,
    });
    await expect(c.putManifest('acme/web', 'x', Buffer.from('{}'), OCI_MANIFEST)).rejects.toThrow(
      /authentication required \(401\)/,
    );
  });

  test('a wrong password is refused by the token service', async () => {
    const c = new RegistryClient({ registry: reg.host, credentials: { username: 'octo', password: 'nope' } });
    await expect(c.tags('acme/web')).rejects.toThrow(
      `registry ${reg.host}: the token service refused the credentials of user "octo" (401)`,
    );
  });
});
