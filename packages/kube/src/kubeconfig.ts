import { readFileSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { ConfigurationError } from '@upgrade-actions/common';

/** Everything needed to reach one API server as one user: the resolved current context. */
export interface ClusterAccess {
  server: string;
  contextName: string;
  /** The context's namespace, or `default`. */
  namespace: string;
  /** PEM. */
  ca?: string;
  cert?: string;
  key?: string;
  token?: string;
  username?: string;
  password?: string;
  insecureSkipTlsVerify?: boolean;
  tlsServerName?: string;
  /** A client-go exec credential plugin (EKS, GKE, AKS logins). */
  exec?: { command: string; args?: string[]; env?: { name: string; value: string }[] };
}

export interface KubeConfigSource {
  /** Path to a kubeconfig file (`--kubeconfig`). */
  path?: string;
  /** A kubeconfig's text (a secret in CI). Wins over `path`. */
  content?: string;
  /** Context to use instead of current-context (`--context`). */
  context?: string;
  /** Use the pod's service account (in-cluster), or `auto`: in-cluster when no kubeconfig is found. */
  inCluster?: boolean | 'auto';
  env?: NodeJS.ProcessEnv;
  /** Where in-cluster credentials live; tests point it elsewhere. */
  serviceAccountDir?: string;
}

/* eslint-disable @typescript-eslint/no-explicit-any -- kubeconfig is free-form YAML */
type Named<T> = { name: string } & T;

const SA_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

/**
 * Resolves a kubeconfig the way kubectl does for the parts a pipeline uses: explicit content or
 * path, else $KUBECONFIG (several files: the first to define a name wins), else ~/.kube/config; the
 * named or current context; certificate/key/CA as files or inline data (paths relative to the
 * file that names them); bearer token or token file; basic auth; exec plugins. In-cluster uses the
 * service account token, CA and namespace. Errors are ConfigurationErrors naming what is missing.
 */
export function loadClusterAccess(src: KubeConfigSource = {}): ClusterAccess {
  const env = src.env ?? process.env;
  if (src.inCluster === true) return inClusterAccess(env, src.serviceAccountDir ?? SA_DIR);

  const files: { text: string; dir: string; name: string }[] = [];
  if (src.content !== undefined && src.content.trim() !== '') {
    files.push({ text: src.content, dir: process.cwd(), name: 'kubeconfig content' });
  } else if (src.path) {
    if (!existsSync(src.path)) throw new ConfigurationError(`kubeconfig: file ${src.path} does not exist`);
    files.push({
      text: readFileSync(src.path, 'utf8'),
      dir: path.dirname(path.resolve(src.path)),
      name: src.path,
    });
  } else {
    const list = env.KUBECONFIG
      ? env.KUBECONFIG.split(path.delimiter).filter(Boolean)
      : [path.join(env.HOME ?? os.homedir(), '.kube', 'config')];
    for (const f of list) {
      if (existsSync(f))
        files.push({ text: readFileSync(f, 'utf8'), dir: path.dirname(path.resolve(f)), name: f });
    }
    if (files.length === 0) {
      if (src.inCluster === 'auto' && env.KUBERNETES_SERVICE_HOST)
        return inClusterAccess(env, src.serviceAccountDir ?? SA_DIR);
      throw new ConfigurationError(
        `kubeconfig: none found (looked at ${list.join(', ')}); pass a kubeconfig path or content, or run in a cluster`,
      );
    }
  }

  const clusters = new Map<string, { cluster: any; dir: string }>();
  const users = new Map<string, { user: any; dir: string }>();
  const contexts = new Map<string, any>();
  let current: string | undefined;
  for (const f of files) {
    let doc: any;
    try {
      doc = parseYaml(f.text) ?? {};
    } catch (e) {
      throw new ConfigurationError(
        `kubeconfig: ${f.name} is not valid YAML: ${(e as Error).message.split('\n')[0]}`,
      );
    }
    for (const c of (doc.clusters ?? []) as Named<{ cluster: any }>[])
      if (!clusters.has(c.name)) clusters.set(c.name, { cluster: c.cluster ?? {}, dir: f.dir });
    for (const u of (doc.users ?? []) as Named<{ user: any }>[])
      if (!users.has(u.name)) users.set(u.name, { user: u.user ?? {}, dir: f.dir });
    for (const c of (doc.contexts ?? []) as Named<{ context: any }>[])
      if (!contexts.has(c.name)) contexts.set(c.name, c.context ?? {});
    current ??= doc['current-context'] || undefined;
  }

  const contextName = src.context || current;
  if (!contextName)
    throw new ConfigurationError('kubeconfig: no current-context is set; pass a context name');
  const ctx = contexts.get(contextName);
  if (!ctx) {
    throw new ConfigurationError(
      `context: "${contextName}" is not in the kubeconfig; contexts: ${[...contexts.keys()].join(', ') || '(none)'}`,
    );
  }
  const cluster = clusters.get(ctx.cluster);
  if (!cluster)
    throw new ConfigurationError(
      `kubeconfig: context "${contextName}" names cluster "${ctx.cluster}", which is not defined`,
    );
  if (!cluster.cluster.server)
    throw new ConfigurationError(`kubeconfig: cluster "${ctx.cluster}" has no server`);
  const user = ctx.user ? users.get(ctx.user) : undefined;
  if (ctx.user && !user)
    throw new ConfigurationError(
      `kubeconfig: context "${contextName}" names user "${ctx.user}", which is not defined`,
    );

  const c = cluster.cluster;
  const u = user?.user ?? {};
  const udir = user?.dir ?? cluster.dir;
  const access: ClusterAccess = {
    server: String(c.server).replace(/\/+$/, ''),
    contextName,
    namespace: ctx.namespace || 'default',
    ca: pem(c['certificate-authority-data'], c['certificate-authority'], cluster.dir),
    insecureSkipTlsVerify: c['insecure-skip-tls-verify'] === true,
    tlsServerName: c['tls-server-name'],
    cert: pem(u['client-certificate-data'], u['client-certificate'], udir),
    key: pem(u['client-key-data'], u['client-key'], udir),
    token:
      u.token ?? (u.tokenFile ? readFileSync(path.resolve(udir, u.tokenFile), 'utf8').trim() : undefined),
    username: u.username,
    password: u.password,
    exec: u.exec ? { command: u.exec.command, args: u.exec.args, env: u.exec.env } : undefined,
  };
  return access;
}

function pem(data: string | undefined, file: string | undefined, dir: string): string | undefined {
  if (data) return Buffer.from(data, 'base64').toString('utf8');
  if (file) return readFileSync(path.resolve(dir, file), 'utf8');
  return undefined;
}

function inClusterAccess(env: NodeJS.ProcessEnv, dir: string): ClusterAccess {
  const host = env.KUBERNETES_SERVICE_HOST;
  const port = env.KUBERNETES_SERVICE_PORT;
  if (!host || !port) {
    throw new ConfigurationError(
      'in-cluster: KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT are not set; this is not a pod',
    );
  }
  const read = (f: string) =>
    existsSync(path.join(dir, f)) ? readFileSync(path.join(dir, f), 'utf8') : undefined;
  const token = read('token')?.trim();
  if (!token)
    throw new ConfigurationError(`in-cluster: no service account token at ${path.join(dir, 'token')}`);
  return {
    server: `https://${host.includes(':') ? `[${host}]` : host}:${port}`,
    contextName: 'in-cluster',
    namespace: read('namespace')?.trim() || 'default',
    ca: read('ca.crt'),
    token,
  };
}
