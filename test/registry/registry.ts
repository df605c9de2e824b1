import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createSign, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** Debian's docker-registry package (distribution 2.8); scripts/install-system-deps.sh installs it. */
export const REGISTRY_BIN = process.env.REGISTRY_BIN ?? '/usr/bin/docker-registry';

export type RegistryAuth =
  | { kind: 'none' }
  | { kind: 'basic'; username: string; password: string }
  /** Token auth as Docker Hub and GHCR do it, with a token issuer the test runs on loopback. */
  | { kind: 'token'; username: string; password: string; anonymousPull?: boolean };

export interface RunningRegistry {
  /** `127.0.0.1:PORT`, the host part of image references. */
  host: string;
  url: string;
  /** Token requests the issuer answered (scope and whether credentials came with them). */
  tokenRequests: { scope: string; service: string; authenticated: boolean }[];
  log(): string;
  stop(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

const b64url = (b: Buffer | string) => Buffer.from(b).toString('base64url');

/**
 * A token issuer as distribution's token auth expects it: answers GET realm?service=&scope= with a JWT
 * (RS256, x5c certificate chain) granting the scope's actions to authenticated users, and pull alone to
 * anonymous ones when `anonymousPull`.
 */
async function startIssuer(
  dir: string,
  auth: Extract<RegistryAuth, { kind: 'token' }>,
  requests: RunningRegistry['tokenRequests'],
): Promise<{ server: Server; realm: string; cert: string }> {
  const key = path.join(dir, 'issuer.key');
  const cert = path.join(dir, 'issuer.crt');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      key,
      '-out',
      cert,
      '-days',
      '2',
      '-subj',
      '/CN=test-token-issuer',
    ],
    { stdio: 'ignore' },
  );
  const keyPem = readFileSync(key, 'utf8');
  const der = readFileSync(cert, 'utf8').replace(/-----[^-]+-----|\s/g, '');
  const server = createServer((req, res) => {
    const u = new URL(req.url ?? '/', 'http://issuer');
    const scope = u.searchParams.get('scope') ?? '';
    const service = u.searchParams.get('service') ?? '';
    const header = req.headers.authorization ?? '';
    const given = header.startsWith('Basic ')
      ? Buffer.from(header.slice(6), 'base64').toString('utf8')
      : undefined;
    requests.push({ scope, service, authenticated: given !== undefined });
    if (given !== undefined && given !== `${auth.username}:${auth.password}`) {
      res
        .writeHead(401, { 'content-type': 'application/json' })
        .end('{"details":"incorrect username or password"}');
      return;
    }
    const access = scope
      .split(' ')
      .filter(Boolean)
      .map((s) => {
        const [type, name, actions] = [
          s.slice(0, s.indexOf(':')),
          s.slice(s.indexOf(':') + 1, s.lastIndexOf(':')),
          s.slice(s.lastIndexOf(':') + 1),
        ];
        const wanted = actions.split(',');
        const granted =
          given !== undefined ? wanted : auth.anonymousPull ? wanted.filter((a) => a === 'pull') : [];
        return { type, name, actions: granted };
      });
    const now = Math.floor(Date.now() / 1000);
    const head = { alg: 'RS256', typ: 'JWT', x5c: [der] };
    const claims = {
      iss: 'test-issuer',
      sub: given ? auth.username : '',
      aud: service,
      exp: now + 300,
      nbf: now - 10,
      iat: now,
      jti: randomBytes(8).toString('hex'),
      access,
    };
    const unsigned = `${b64url(JSON.stringify(head))}.${b64url(JSON.stringify(claims))}`;
    const sig = createSign('RSA-SHA256').update(unsigned).sign(keyPem);
    res
      .writeHead(200, { 'content-type': 'application/json' })
      .end(JSON.stringify({ token: `${unsigned}.${b64url(sig)}`, expires_in: 300 }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const realm = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}/token`;
  return { server, realm, cert };
}

/** Starts a real registry on a free loopback port with a temp storage directory. */
export async function startRegistry(auth: RegistryAuth = { kind: 'none' }): Promise<RunningRegistry> {
  if (!existsSync(REGISTRY_BIN)) {
    throw new Error(
      `${REGISTRY_BIN} is missing: run scripts/install-system-deps.sh (Debian package docker-registry)`,
    );
  }
  const dir = mkdtempSync(path.join(tmpdir(), 'registry-'));
  const port = await freePort();
  const tokenRequests: RunningRegistry['tokenRequests'] = [];
  let issuer: Server | undefined;
  const authLines: string[] = [];
  if (auth.kind === 'basic') {
    const file = path.join(dir, 'htpasswd');
    execFileSync('htpasswd', ['-Bbc', file, auth.username, auth.password], { stdio: 'ignore' });
    authLines.push('auth:', '  htpasswd:', '    realm: test-registry', `    path: ${file}`);
  } else if (auth.kind === 'token') {
    const i = await startIssuer(dir, auth, tokenRequests);
    issuer = i.server;
    authLines.push(
      'auth:',
      '  token:',
      `    realm: ${i.realm}`,
      '    service: test-registry',
      '    issuer: test-issuer',
      `    rootcertbundle: ${i.cert}`,
    );
  }
  writeFileSync(
    path.join(dir, 'config.yml'),
    [
      'version: 0.1',
      'log: { level: warn }',
      `storage: { filesystem: { rootdirectory: ${path.join(dir, 'data')} }, delete: { enabled: true } }`,
      `http: { addr: 127.0.0.1:${port}, secret: ${randomBytes(8).toString('hex')} }`,
      ...authLines,
      '',
    ].join('\n'),
  );
  const child: ChildProcess = spawn(REGISTRY_BIN, ['serve', path.join(dir, 'config.yml')], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr = (stderr + d.toString('utf8')).slice(-20_000)));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(killer);
    }
    issuer?.close();
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 20_000;
  for (;;) {
    try {
      const r = await fetch(`${url}/v2/`);
      if (r.status === 200 || r.status === 401) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline || child.exitCode !== null) {
      await stop();
      throw new Error(`docker-registry did not start:\n${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return { host: `127.0.0.1:${port}`, url, tokenRequests, log: () => stderr, stop };
}
