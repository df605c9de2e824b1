import { execFile } from '@upgrade-actions/common';
import { mkdirSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import path from 'node:path';
import type { TLSSocket } from 'node:tls';
import { close, listen } from './listen';

/** A CA, a server certificate it signed and a client certificate (CN=alice) it signed, as files. */
export interface Pki {
  dir: string;
  caFile: string;
  serverCert: string;
  serverKey: string;
  clientCert: string;
  clientKey: string;
  /** A second CA that signed nothing the server presents. */
  otherCaFile: string;
}

async function openssl(...args: string[]): Promise<void> {
  await execFile('openssl', args);
}

const EC = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

/**
 * Makes the certificates with openssl. The server certificate names `localhost` and `api.internal`
 * but not 127.0.0.1, so a URL by IP needs `tls-server-name` (as kubectl does).
 */
export async function makePki(dir: string): Promise<Pki> {
  mkdirSync(dir, { recursive: true });
  const f = (n: string) => path.join(dir, n);
  for (const ca of ['ca', 'other-ca'])
    await openssl(
      'req',
      '-x509',
      ...EC,
      '-keyout',
      f(`${ca}.key`),
      '-out',
      f(`${ca}.crt`),
      '-days',
      '1',
      '-subj',
      `/CN=${ca}`,
    );
  const signed = async (name: string, subj: string, ext: string) => {
    await openssl('req', ...EC, '-keyout', f(`${name}.key`), '-out', f(`${name}.csr`), '-subj', subj);
    writeFileSync(f(`${name}.ext`), ext);
    await openssl(
      'x509',
      '-req',
      '-in',
      f(`${name}.csr`),
      '-CA',
      f('ca.crt'),
      '-CAkey',
      f('ca.key'),
      '-CAcreateserial',
      '-out',
      f(`${name}.crt`),
      '-days',
      '1',
      '-extfile',
      f(`${name}.ext`),
    );
  };
  await signed('server', '/CN=kube-apiserver', 'subjectAltName=DNS:localhost,DNS:api.internal\n');
  await signed('client', '/CN=alice', 'extendedKeyUsage=clientAuth\n');
  return {
    dir,
    caFile: f('ca.crt'),
    serverCert: f('server.crt'),
    serverKey: f('server.key'),
    clientCert: f('client.crt'),
    clientKey: f('client.key'),
    otherCaFile: f('other-ca.crt'),
  };
}

/** What the server saw of one request: who it authenticated as, and how. */
export interface Seen {
  path: string;
  authorization?: string;
  clientCertCN?: string;
  impersonate?: string;
}

export interface AuthApiServer {
  port: number;
  seen: Seen[];
  stop(): Promise<void>;
}

/**
 * An HTTPS API server that authenticates as kube-apiserver does: a client certificate signed by its
 * CA, or an Authorization header it accepts; anything else is 401 with a Status body.
 */
export async function startAuthApiServer(
  pki: Pki,
  accepted: string[],
  read: (f: string) => string,
): Promise<AuthApiServer> {
  const seen: Seen[] = [];
  const server = https.createServer(
    {
      key: read(pki.serverKey),
      cert: read(pki.serverCert),
      ca: read(pki.caFile),
      requestCert: true,
      rejectUnauthorized: false,
    },
    (req, res) => {
      const sock = req.socket as TLSSocket;
      const peer = sock.authorized ? sock.getPeerCertificate() : undefined;
      const s: Seen = {
        path: req.url ?? '',
        authorization: req.headers.authorization,
        clientCertCN: peer?.subject?.CN as string | undefined,
        impersonate: req.headers['impersonate-user'] as string | undefined,
      };
      seen.push(s);
      const ok =
        s.clientCertCN === 'alice' || (s.authorization !== undefined && accepted.includes(s.authorization));
      res.writeHead(ok ? 200 : 401, { 'content-type': 'application/json' });
      res.end(
        ok
          ? JSON.stringify({ major: '1', minor: '32', gitVersion: 'v1.32.0' })
          : JSON.stringify({
              kind: 'Status',
              apiVersion: 'v1',
              status: 'Failure',
              message: 'Unauthorized',
              reason: 'Unauthorized',
              code: 401,
            }),
      );
    },
  );
  const port = await listen(server);
  return { port, seen, stop: () => close(server) };
}

/** An HTTP CONNECT proxy (what `proxy-url: http://…` names) that counts the tunnels it opened. */
export async function startConnectProxy(): Promise<{
  url: string;
  tunnels: string[];
  stop(): Promise<void>;
}> {
  const tunnels: string[] = [];
  const sockets = new Set<net.Socket>();
  const server = http.createServer((_req, res) => res.writeHead(405).end());
  server.on('connect', (req: http.IncomingMessage, client: net.Socket, head: Buffer) => {
    tunnels.push(req.url ?? '');
    const [host, port] = (req.url ?? '').split(':');
    const upstream = net.connect(Number(port), host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('error', () => s.destroy());
      s.on('close', () => sockets.delete(s));
    }
  });
  const port = await listen(server);
  return {
    url: `http://127.0.0.1:${port}`,
    tunnels,
    async stop() {
      for (const s of sockets) s.destroy();
      await close(server);
    },
  };
}
