import type { IncomingMessage } from 'node:http';
import { parse as parseYaml } from 'yaml';
import { decodeKubernetesProtobuf } from '../protobuf/decode';
import { badRequest } from './status';

/** Reads a whole request body (API requests are small; proxied bodies are streamed instead). */
export function readBody(req: IncomingMessage, limit = 8 * 1024 * 1024): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        reject(new Error('request body too large'));
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** Parses a JSON (or, for apply and `application/yaml`, YAML; or kubectl's protobuf) body into an object. */
export function parseBody(body: Buffer, contentType: string): unknown {
  if (contentType.startsWith('application/vnd.kubernetes.protobuf')) return decodeKubernetesProtobuf(body);
  const text = body.toString('utf8');
  if (!text.trim()) throw badRequest('the request body is empty');
  try {
    if (/yaml/.test(contentType)) return parseYaml(text);
    return JSON.parse(text);
  } catch (e) {
    throw badRequest(
      `the body of the request was in an unknown format - accepted media types include: application/json, application/yaml (${(e as Error).message})`,
    );
  }
}

/** Where a request goes, once the path is understood. */
export interface ApiPath {
  group: string;
  version: string;
  namespace?: string;
  resource: string;
  name?: string;
  subresource?: string;
  /** What follows `…/proxy` (with its leading slash), for the proxy subresource. */
  proxyPath?: string;
  /** Legacy `/api/v1/watch/…` form. */
  legacyWatch: boolean;
}

export type Route =
  | { kind: 'version' }
  | { kind: 'api' }
  | { kind: 'apis' }
  | { kind: 'group'; group: string }
  | { kind: 'resources'; group: string; version: string }
  | { kind: 'openapi-index' }
  | { kind: 'openapi-gv'; group: string; version: string }
  | { kind: 'health' }
  | { kind: 'resource'; path: ApiPath }
  | { kind: 'unknown' };

const NAMESPACE_SUBRESOURCES = new Set(['status', 'finalize']);

export function route(pathname: string): Route {
  if (pathname === '/version' || pathname === '/version/') return { kind: 'version' };
  if (['/healthz', '/livez', '/readyz'].includes(pathname)) return { kind: 'health' };
  if (pathname === '/openapi/v3' || pathname === '/openapi/v3/') return { kind: 'openapi-index' };
  const oa = /^\/openapi\/v3\/(?:api\/([^/]+)|apis\/([^/]+)\/([^/]+))$/.exec(pathname);
  if (oa)
    return oa[1]
      ? { kind: 'openapi-gv', group: '', version: oa[1] }
      : { kind: 'openapi-gv', group: oa[2], version: oa[3] };

  const raw = pathname.split('/').slice(1);
  let rest: string[];
  let group = '';
  let version: string;
  if (raw[0] === 'api') {
    if (raw.length === 1 || (raw.length === 2 && raw[1] === '')) return { kind: 'api' };
    version = raw[1];
    rest = raw.slice(2);
  } else if (raw[0] === 'apis') {
    if (raw.length === 1 || (raw.length === 2 && raw[1] === '')) return { kind: 'apis' };
    group = raw[1];
    if (raw.length === 2 || (raw.length === 3 && raw[2] === '')) return { kind: 'group', group };
    version = raw[2];
    rest = raw.slice(3);
  } else return { kind: 'unknown' };
  if (rest.length === 0 || (rest.length === 1 && rest[0] === ''))
    return { kind: 'resources', group, version };

  let legacyWatch = false;
  if (rest[0] === 'watch') {
    legacyWatch = true;
    rest = rest.slice(1);
  }
  let namespace: string | undefined;
  if (rest[0] === 'namespaces' && rest.length >= 3 && !NAMESPACE_SUBRESOURCES.has(rest[2])) {
    namespace = decodeURIComponent(rest[1]);
    rest = rest.slice(2);
  }
  const [resource, name, subresource] = rest;
  if (!resource) return { kind: 'unknown' };
  const path: ApiPath = { group, version, namespace, resource, legacyWatch };
  if (name !== undefined && name !== '') path.name = decodeURIComponent(name);
  if (subresource !== undefined && subresource !== '') path.subresource = subresource;
  if (subresource === 'proxy') path.proxyPath = '/' + rest.slice(3).join('/');
  else if (rest.length > 3 && rest.slice(3).some((s) => s !== '')) return { kind: 'unknown' };
  return { kind: 'resource', path };
}

/** `Accept: application/json;as=Table;v=v1;g=meta.k8s.io, …` → the client wants server-side tables. */
export function wantsTable(accept: string | undefined): boolean {
  if (!accept) return false;
  return accept.split(',').some((part) => {
    const params = part.split(';').map((p) => p.trim());
    return (
      params.includes('as=Table') &&
      params.includes('g=meta.k8s.io') &&
      (params.includes('v=v1') || params.includes('v=v1beta1'))
    );
  });
}
