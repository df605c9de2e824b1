import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
// The narrowest entry: `config.js` holds KubeConfig and its authenticators, not the generated API.
import { KubeConfig } from '@kubernetes/client-node/dist/config.js';
import { parse as parseYaml } from 'yaml';
import { ConfigurationError } from '@upgrade-actions/common';

/**
 * One resolved context: where requests go, and client-node's KubeConfig (current context set) that
 * authenticates them. Credentials are never copied out of it: `authenticate` in ./auth asks it.
 */
export interface ClusterAccess {
  server: string;
  contextName: string;
  clusterName: string;
  /** The context's namespace, or `default`. */
  namespace: string;
  /** Where the kubeconfig came from (a path, `kubeconfig content`, `in-cluster`): errors name it. */
  source: string;
  kubeConfig: KubeConfig;
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

const SA_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

/**
 * Loads a kubeconfig with client-node's KubeConfig, as kubectl resolves it: explicit content or path,
 * else $KUBECONFIG, else ~/.kube/config, else (with `inCluster: 'auto'`) the pod's service account;
 * then the named or current context. Errors are ConfigurationErrors naming the file, context,
 * cluster or user at fault.
 */
export function loadClusterAccess(src: KubeConfigSource = {}): ClusterAccess {
  const env = src.env ?? process.env;
  if (src.inCluster === true) return inClusterAccess(env, src.serviceAccountDir ?? SA_DIR);

  let kc: KubeConfig;
  let source: string;
  if (src.content !== undefined && src.content.trim() !== '') {
    source = 'kubeconfig content';
    kc = parse(source, (k) => k.loadFromString(src.content!));
    readKubectlTokenFiles(kc, src.content, process.cwd(), source);
  } else if (src.path) {
    source = src.path;
    if (!existsSync(src.path)) throw new ConfigurationError(`kubeconfig: file ${src.path} does not exist`);
    kc = loadFile(src.path);
  } else {
    const list = env.KUBECONFIG
      ? env.KUBECONFIG.split(path.delimiter).filter(Boolean)
      : [path.join(env.HOME ?? os.homedir(), '.kube', 'config')];
    const found = list.filter((f) => existsSync(f));
    if (found.length === 0) {
      if (src.inCluster === 'auto' && env.KUBERNETES_SERVICE_HOST)
        return inClusterAccess(env, src.serviceAccountDir ?? SA_DIR);
      throw new ConfigurationError(
        `kubeconfig: none found (looked at ${list.join(', ')}); pass a kubeconfig path or content, or run in a cluster`,
      );
    }
    source = found.join(path.delimiter);
    kc = found.map(loadFile).reduce(mergeFirstWins);
  }
  return resolve(kc, source, src.context);
}

function loadFile(file: string): KubeConfig {
  const kc = parse(file, (k) => k.loadFromFile(file));
  readKubectlTokenFiles(kc, readFileSync(file, 'utf8'), path.dirname(path.resolve(file)), file);
  return kc;
}

function parse(name: string, load: (k: KubeConfig) => void): KubeConfig {
  const kc = new KubeConfig();
  try {
    load(kc);
  } catch (e) {
    const msg = (e as Error).message.split('\n')[0];
    const kind = (e as Error).name === 'YAMLException' ? 'is not valid YAML' : 'is not a valid kubeconfig';
    throw new ConfigurationError(`kubeconfig: ${name} ${kind}: ${msg}`);
  }
  return kc;
}

/**
 * kubectl merges $KUBECONFIG so that the first file to set a name or current-context wins;
 * client-node's mergeConfig lets the last current-context win and throws on a repeated name.
 */
function mergeFirstWins(into: KubeConfig, next: KubeConfig): KubeConfig {
  const has = (list: { name: string }[], name: string) => list.some((x) => x.name === name);
  for (const c of next.clusters) if (!has(into.clusters, c.name)) into.addCluster(c);
  for (const u of next.users) if (!has(into.users, u.name)) into.addUser(u);
  for (const c of next.contexts) if (!has(into.contexts, c.name)) into.addContext(c);
  into.currentContext ||= next.currentContext;
  return into;
}

function resolve(kc: KubeConfig, source: string, context: string | undefined): ClusterAccess {
  const contextName = context || kc.getCurrentContext();
  if (!contextName)
    throw new ConfigurationError(`kubeconfig: ${source} sets no current-context; pass a context name`);
  const ctx = kc.getContextObject(contextName);
  if (!ctx) {
    const names = kc.contexts.map((c) => c.name).join(', ') || '(none)';
    throw new ConfigurationError(
      `context: "${contextName}" is not in the kubeconfig (${source}); contexts: ${names}`,
    );
  }
  kc.setCurrentContext(contextName);
  const cluster = kc.getCluster(ctx.cluster);
  if (!cluster)
    throw new ConfigurationError(
      `kubeconfig: ${source}: context "${contextName}" names cluster "${ctx.cluster}", which is not defined`,
    );
  if (ctx.user && !kc.getUser(ctx.user))
    throw new ConfigurationError(
      `kubeconfig: ${source}: context "${contextName}" names user "${ctx.user}", which is not defined`,
    );
  // client-node applies the cluster's CA only when the context has a user; kubectl always does.
  if (!ctx.user) {
    const name = `${contextName} (no user)`;
    if (!kc.getUser(name)) kc.addUser({ name });
    Object.assign(ctx, { user: name });
  }
  // client-node refuses http:// unless insecure-skip-tls-verify is set; kubectl accepts it (kube-sim,
  // `kubectl proxy`). Over plain http there is no TLS to verify, so the flag changes nothing else.
  if (cluster.server.startsWith('http:') && !cluster.skipTLSVerify)
    Object.assign(cluster, { skipTLSVerify: true });
  return {
    server: cluster.server.replace(/\/+$/, ''),
    contextName,
    clusterName: cluster.name,
    namespace: ctx.namespace || 'default',
    source,
    kubeConfig: kc,
  };
}

/**
 * kubectl's user key is `tokenFile`, relative to the kubeconfig, trimmed; client-node reads only
 * `token-file`, relative to the working directory, and drops unknown keys from its User. So this
 * one key is read from the raw YAML (already parsed successfully by client-node above).
 */
function readKubectlTokenFiles(kc: KubeConfig, text: string, dir: string, source: string): void {
  const doc = parseYaml(text) as { users?: { name?: string; user?: { tokenFile?: string } }[] } | null;
  for (const raw of doc?.users ?? []) {
    const file = raw?.user?.tokenFile;
    const user = raw?.name ? kc.getUser(raw.name) : null;
    if (!file || !user || user.token) continue;
    const abs = path.resolve(dir, file);
    try {
      (user as { token?: string }).token = readFileSync(abs, 'utf8').trim();
    } catch {
      throw new ConfigurationError(
        `kubeconfig: ${source}: user "${raw.name}" has tokenFile ${abs}, which cannot be read`,
      );
    }
  }
}

/**
 * The pod's service account as client-node's loadFromCluster shapes it (a `tokenFile` auth provider,
 * re-read as the kubelet rotates it), from the given environment and folder so tests and the CLI
 * can point elsewhere.
 */
function inClusterAccess(env: NodeJS.ProcessEnv, dir: string): ClusterAccess {
  const host = env.KUBERNETES_SERVICE_HOST;
  const port = env.KUBERNETES_SERVICE_PORT;
  if (!host || !port) {
    throw new ConfigurationError(
      'in-cluster: KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT are not set; this is not a pod',
    );
  }
  const tokenFile = path.join(dir, 'token');
  if (!existsSync(tokenFile))
    throw new ConfigurationError(`in-cluster: no service account token at ${tokenFile}`);
  const nsFile = path.join(dir, 'namespace');
  const namespace = existsSync(nsFile) ? readFileSync(nsFile, 'utf8').trim() : '';
  const caFile = path.join(dir, 'ca.crt');
  const server = `https://${host.includes(':') ? `[${host}]` : host}:${port}`;
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'in-cluster', server, caFile: existsSync(caFile) ? caFile : undefined }],
    users: [{ name: 'in-cluster', authProvider: { name: 'tokenFile', config: { tokenFile } } }],
    contexts: [{ name: 'in-cluster', cluster: 'in-cluster', user: 'in-cluster', namespace }],
    currentContext: 'in-cluster',
  });
  return {
    server,
    contextName: 'in-cluster',
    clusterName: 'in-cluster',
    namespace: namespace || 'default',
    source: 'in-cluster',
    kubeConfig: kc,
  };
}
