import { readFile } from 'node:fs/promises';
import { ConfigurationError } from '@upgrade-actions/common';
import { parse } from 'yaml';

/** How to reach one API server: what a kubeconfig context resolves to. */
export interface ApiEndpoint {
  server: string;
  ca?: Buffer;
  cert?: Buffer;
  key?: Buffer;
  token?: string;
  insecure?: boolean;
}

interface Named<T> {
  name: string;
  cluster?: T;
  user?: T;
  context?: T;
}

async function dataOrFile(data: unknown, file: unknown): Promise<Buffer | undefined> {
  if (typeof data === 'string' && data) return Buffer.from(data, 'base64');
  if (typeof file === 'string' && file) return readFile(file);
  return undefined;
}

/** Resolves `context` (or the current context) of a kubeconfig file to an endpoint with its credentials. */
export async function loadKubeconfig(file: string, context?: string): Promise<ApiEndpoint> {
  const doc = parse(await readFile(file, 'utf8')) as {
    'current-context'?: string;
    contexts?: Array<Named<{ cluster: string; user: string }>>;
    clusters?: Array<Named<Record<string, unknown>>>;
    users?: Array<Named<Record<string, unknown>>>;
  };
  const name = context || doc['current-context'];
  const ctx = doc.contexts?.find((c) => c.name === name)?.context;
  if (!ctx) throw new ConfigurationError(`kubeconfig ${file} has no context ${JSON.stringify(name ?? '')}`);
  const cluster = doc.clusters?.find((c) => c.name === ctx.cluster)?.cluster ?? {};
  const user = doc.users?.find((u) => u.name === ctx.user)?.user ?? {};
  if (typeof cluster.server !== 'string')
    throw new ConfigurationError(`kubeconfig ${file}: cluster ${ctx.cluster} has no server`);
  return {
    server: cluster.server,
    ca: await dataOrFile(cluster['certificate-authority-data'], cluster['certificate-authority']),
    insecure: cluster['insecure-skip-tls-verify'] === true,
    cert: await dataOrFile(user['client-certificate-data'], user['client-certificate']),
    key: await dataOrFile(user['client-key-data'], user['client-key']),
    token: typeof user.token === 'string' ? user.token : undefined,
  };
}
