import { execFile } from '@upgrade-actions/common';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import https from 'node:https';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { close, listen } from './listen';

export interface SelfSigned {
  key: string;
  cert: string;
  certFile: string;
  dir: string;
}

/** A self-signed certificate for 127.0.0.1 and localhost, made by openssl in a temp dir. */
export async function selfSignedCert(): Promise<SelfSigned> {
  const dir = mkdtempSync(path.join(tmpdir(), 'probe-tls-'));
  const keyFile = path.join(dir, 'key.pem');
  const certFile = path.join(dir, 'cert.pem');
  await execFile('openssl', [
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-keyout',
    keyFile,
    '-out',
    certFile,
    '-days',
    '1',
    '-subj',
    '/CN=127.0.0.1',
    '-addext',
    'subjectAltName=IP:127.0.0.1,DNS:localhost',
  ]);
  return { key: readFileSync(keyFile, 'utf8'), cert: readFileSync(certFile, 'utf8'), certFile, dir };
}

export interface TlsServer {
  url: string;
  cert: SelfSigned;
  stop(): Promise<void>;
}

/** An HTTPS server with a self-signed certificate answering 200 {"status":"ok"} on every path. */
export async function startTlsServer(): Promise<TlsServer> {
  const cert = await selfSignedCert();
  const server = https.createServer({ key: cert.key, cert: cert.cert }, (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"status":"ok","tls":true}');
  });
  const port = await listen(server);
  return {
    url: `https://127.0.0.1:${port}`,
    cert,
    async stop() {
      await close(server);
      rmSync(cert.dir, { recursive: true, force: true });
    },
  };
}
