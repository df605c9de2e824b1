import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import path from 'node:path';
import { parse } from 'yaml';
import { ConfigurationError } from '@upgrade-actions/common';
import type { ClusterApi } from './cluster';

/* eslint-disable @typescript-eslint/no-explicit-any -- kubeconfig is free-form YAML */

/**
 * A read-only ClusterApi over node:http(s) from a kubeconfig: server, CA, client certificate or
 * bearer token (inline data or files), insecure-skip-tls-verify. `kubeconfig` is a path or the
 * file's content (a secret in CI). Exec credential plugins are not supported here.
 */
export function httpClusterApi(kubeconfig: string, context?: string, cwd = process.cwd()): ClusterApi {
  const isContent = /\n/.test(kubeconfig.trim()) || /^\s*apiVersion:/.test(kubeconfig);
  let text: string;
  let dir = cwd;
  if (isContent) text = kubeconfig;
  else {
    const file = path.resolve(cwd, kubeconfig);
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      throw new ConfigurationError(
        `kubeconfig: ${kubeconfig} is neither a readable file nor kubeconfig content`,
      );
    }
    dir = path.dirname(file);
  }
  let cfg: any;
  try {
    cfg = parse(text);
  } catch (e) {
    throw new ConfigurationError(`kubeconfig: not valid YAML: ${(e as Error).message.split('\n')[0]}`);
  }
  const ctxName: string | undefined = context || cfg?.['current-context'];
  const named = (list: any, name: string) =>
    Array.isArray(list) ? list.find((x) => x?.name === name) : undefined;
  const ctx = ctxName ? named(cfg?.contexts, ctxName)?.context : undefined;
  if (!ctx)
    throw new ConfigurationError(
      `context: ${ctxName ? `"${ctxName}" is not a context of the kubeconfig` : 'the kubeconfig has no current-context; name one'}`,
    );
  const cluster = named(cfg.clusters, ctx.cluster)?.cluster;
  const user = named(cfg.users, ctx.user)?.user ?? {};
  if (!cluster?.server) throw new ConfigurationError(`kubeconfig: cluster "${ctx.cluster}" has no server`);
  const data = (inline: unknown, file: unknown) =>
    typeof inline === 'string'
      ? Buffer.from(inline, 'base64')
      : typeof file === 'string'
        ? readFileSync(path.resolve(dir, file))
        : undefined;
  if (user.exec)
    throw new ConfigurationError(
      'kubeconfig: exec credential plugins are not supported by api-check; use a token or client certificate',
    );
  const base = new URL(cluster.server);
  const tokenFile =
    typeof user.tokenFile === 'string'
      ? readFileSync(path.resolve(dir, user.tokenFile), 'utf8').trim()
      : undefined;
  const token: string | undefined = user.token ?? tokenFile;
  const headers: Record<string, string> = { accept: 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  else if (user.username)
    headers.authorization = `Basic ${Buffer.from(`${user.username}:${user.password ?? ''}`).toString('base64')}`;
  const tls = {
    ca: data(cluster['certificate-authority-data'], cluster['certificate-authority']),
    cert: data(user['client-certificate-data'], user['client-certificate']),
    key: data(user['client-key-data'], user['client-key']),
    rejectUnauthorized: cluster['insecure-skip-tls-verify'] !== true,
    servername: cluster['tls-server-name'],
  };
  const prefix = base.pathname.replace(/\/$/, '');
  return {
    name: `cluster/${ctxName}`,
    get: (p) =>
      new Promise((resolve, reject) => {
        const url = new URL(base.origin + prefix + p);
        const opts = { method: 'GET', headers, timeout: 30_000 };
        const req =
          url.protocol === 'https:' ? https.request(url, { ...opts, ...tls }) : http.request(url, opts);
        req.on('response', (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const body = Buffer.concat(chunks).toString('utf8');
            if (res.statusCode === 404) return resolve(null);
            if (res.statusCode !== 200)
              return reject(new Error(`GET ${p}: ${res.statusCode} ${body.slice(0, 200)}`));
            try {
              resolve(JSON.parse(body));
            } catch {
              reject(new Error(`GET ${p}: the answer is not JSON`));
            }
          });
        });
        req.on('timeout', () => req.destroy(new Error(`GET ${p}: no answer within 30s`)));
        req.on('error', reject);
        req.end();
      }),
  };
}
