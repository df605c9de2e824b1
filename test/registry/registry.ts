import { execFileSync } from 'node:child_process';
import { createSign, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startLocalRegistry, type LocalRegistry } from '@upgrade-actions/registry';

export { freePort } from '@upgrade-actions/common';
export { REGISTRY_BIN } from '@upgrade-actions/registry';

export type RegistryAuth =
  | { kind: 'none' }
  | { kind: 'basic'; username: string; password: string }
  /** Token auth as Docker Hub and GHCR do it, with a token issuer the test runs on loopback. */
  | { kind: 'token'; username: string; password: string; anonymousPull?: boolean };

/** The shared local registry (packages/registry/src/local-registry.ts) and the token requests it saw. */
export interface RunningRegistry extends LocalRegistry {
  /** Token requests the issuer answered (scope and whether credentials came with them). */
  tokenRequests: { scope: string; service: string; authenticated: boolean }[];
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

/** Starts a real registry on a free loopback port with a temp storage directory, with `auth` configured. */
export async function startRegistry(auth: RegistryAuth = { kind: 'none' }): Promise<RunningRegistry> {
  const dir = mkdtempSync(path.join(tmpdir(), 'registry-'));
  const tokenRequests: RunningRegistry['tokenRequests'] = [];
  let issuer: Server | undefined;
  const config: string[] = [];
  if (auth.kind === 'basic') {
    const file = path.join(dir, 'htpasswd');
    execFileSync('htpasswd', ['-Bbc', file, auth.username, auth.password], { stdio: 'ignore' });
    config.push('auth:', '  htpasswd:', '    realm: test-registry', `    path: ${file}`);
  } else if (auth.kind === 'token') {
    const i = await startIssuer(dir, auth, tokenRequests);
    issuer = i.server;
    config.push(
      'auth:',
      '  token:',
      `    realm: ${i.realm}`,
      '    service: test-registry',
      '    issuer: test-issuer',
      `    rootcertbundle: ${i.cert}`,
    );
  }
  const registry = await startLocalRegistry({ dir, config, onStop: () => issuer?.close() }).catch((e) => {
    issuer?.close();
    rmSync(dir, { recursive: true, force: true });
    throw e;
  });
  return { ...registry, tokenRequests };
}
