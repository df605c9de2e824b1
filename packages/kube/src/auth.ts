import type https from 'node:https';
import { KubeConnectionError } from './errors';
import type { ClusterAccess } from './kubeconfig';

/**
 * Stamps one request with what the kubeconfig says: client-node's applyToHTTPSOptions sets the CA,
 * client certificate/key, tls-server-name, insecure-skip-tls-verify, basic auth, impersonation and
 * the bearer token of whichever authenticator the user names (token, exec plugin, OIDC, token file,
 * …), and an agent. Its agent is kept only for `proxy-url` (it is the proxy); otherwise `keepAlive`
 * wins: node pools sockets per TLS identity, so the request-level TLS options stay in force.
 */
export async function authenticate(
  access: ClusterAccess,
  keepAlive: https.Agent | import('node:http').Agent | undefined,
): Promise<https.RequestOptions> {
  const opts: https.RequestOptions = {};
  try {
    await access.kubeConfig.applyToHTTPSOptions(opts);
  } catch (e) {
    const user = access.kubeConfig.getCurrentUser()?.name ?? '(none)';
    throw new KubeConnectionError(
      `kubeconfig ${access.source}: getting credentials for user "${user}" failed: ${maskSecrets(
        (e as Error).message.trim(),
        kubeconfigSecrets(access),
      )}. Check the user's credentials in that kubeconfig (token, client certificate, exec plugin or auth provider).`,
    );
  }
  if (!access.kubeConfig.getCurrentCluster()?.proxyUrl) opts.agent = keepAlive;
  // Basic auth as a header (client-node sets `auth`, which only node:http reads).
  if (opts.auth) {
    opts.headers = { ...opts.headers, Authorization: `Basic ${Buffer.from(opts.auth).toString('base64')}` };
    delete opts.auth;
  }
  return opts;
}

/** Every value the kubeconfig holds that must not be printed: tokens, keys, passwords, plugin env. */
export function kubeconfigSecrets(access: Pick<ClusterAccess, 'kubeConfig'>): string[] {
  const out: string[] = [];
  for (const u of access.kubeConfig.users) {
    out.push(u.token ?? '', u.password ?? '', u.keyData ?? '');
    const cfg = (u.authProvider as { config?: Record<string, unknown> } | undefined)?.config ?? {};
    for (const k of ['id-token', 'refresh-token', 'client-secret', 'access-token'])
      if (typeof cfg[k] === 'string') out.push(cfg[k] as string);
    const exec = u.exec as { env?: { value?: string }[] } | undefined;
    for (const e of exec?.env ?? []) out.push(e.value ?? '');
  }
  // Short values would mask ordinary words; keys are masked whole and line by line.
  return [...new Set(out.flatMap((s) => [s, ...s.split('\n')]).filter((s) => s.trim().length >= 4))];
}

export function maskSecrets(text: string, secrets: string[]): string {
  let out = text;
  for (const s of [...secrets].sort((a, b) => b.length - a.length)) out = out.split(s).join('***');
  return out;
}

const UNKNOWN_CA = new Set([
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_GET_ISSUER_CERT',
  'CERT_UNTRUSTED',
]);

/**
 * A TLS failure worded for the person who must fix the kubeconfig (kubectl says "x509: certificate
 * signed by unknown authority"): which kubeconfig, which cluster, and which CA was used.
 */
export function tlsError(access: ClusterAccess, e: NodeJS.ErrnoException): KubeConnectionError | undefined {
  const cluster = access.kubeConfig.getCurrentCluster();
  const ca = cluster?.caFile
    ? `certificate-authority ${cluster.caFile}`
    : cluster?.caData
      ? 'its certificate-authority-data'
      : 'no certificate-authority (so the system CAs)';
  const where = `cluster "${access.clusterName}" of kubeconfig ${access.source}`;
  if (e.code && UNKNOWN_CA.has(e.code))
    return new KubeConnectionError(
      `Unable to connect to the server ${access.server}: x509: certificate signed by unknown authority (${e.code}); ${where} trusts ${ca}: set the cluster's CA there, or insecure-skip-tls-verify: true`,
    );
  if (e.code === 'ERR_TLS_CERT_ALTNAME_INVALID')
    return new KubeConnectionError(
      `Unable to connect to the server ${access.server}: x509: ${e.message}; ${where}: set tls-server-name to a name the certificate holds`,
    );
  return undefined;
}

/** What other HTTP clients (the probe's API-server proxy, kind's readiness check) need to reach the server. */
export interface ResolvedCredentials {
  headers: Record<string, string>;
  ca?: string;
  cert?: string;
  key?: string;
  servername?: string;
  insecureSkipVerify: boolean;
}

/** The current context's credentials as client-node resolves them (exec plugins and OIDC included). */
export async function resolveCredentials(access: ClusterAccess): Promise<ResolvedCredentials> {
  const o = await authenticate(access, undefined);
  const headers = { ...(o.headers as Record<string, string> | undefined) };
  const text = (v: unknown) => (v === undefined || v === null ? undefined : String(v));
  return {
    headers,
    ca: text(o.ca),
    cert: text(o.cert),
    key: text(o.key),
    servername: o.servername ?? undefined,
    insecureSkipVerify: o.rejectUnauthorized === false && !access.server.startsWith('http:'),
  };
}
