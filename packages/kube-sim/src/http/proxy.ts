import {
  request as httpRequest,
  type ClientRequest,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Backends } from '../backends';
import { R } from '../resources';
import { labelSelectorPredicate } from '../selectors';
import type { Store } from '../store';
import { ApiError, type KObject } from '../types';

const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'transfer-encoding',
  'upgrade',
  'host',
  'authorization',
  'proxy-connection',
  'te',
  'trailer',
]);

function isReady(pod: KObject): boolean {
  if (pod.metadata.deletionTimestamp) return false;
  const conds =
    (pod.status as { conditions?: Array<{ type: string; status: string }> } | undefined)?.conditions ?? [];
  return conds.some((c) => c.type === 'Ready' && c.status === 'True');
}

/** `name`, `name:port` or `scheme:name:port` as the proxy path allows. */
function splitNamePort(raw: string): { name: string; port?: string } {
  const parts = raw.split(':');
  if (parts.length === 3) return { name: parts[1], port: parts[2] };
  if (parts.length === 2) return { name: parts[0], port: parts[1] };
  return { name: raw };
}

/** The backend URL for `services/{name}[:{port}]/proxy`: an explicit registration, else a Ready backed pod. */
export function resolveService(store: Store, backends: Backends, namespace: string, raw: string): string {
  const { name, port } = splitNamePort(raw);
  const svc = store.get(R.services, namespace, name);
  if (!svc) throw new ApiError(404, 'NotFound', `services "${name}" not found`, { name, kind: 'services' });
  const explicit = backends.service(namespace, name, port);
  if (explicit) return explicit;
  const selector = (svc.spec as { selector?: Record<string, string> } | undefined)?.selector;
  const urls: string[] = [];
  if (selector && Object.keys(selector).length) {
    const matches = labelSelectorPredicate({ matchLabels: selector });
    for (const pod of store.list(R.pods, { namespace, filter: matches })) {
      const url = isReady(pod)
        ? backends.pod(namespace, pod.metadata.name, pod.metadata.annotations)
        : undefined;
      if (url) urls.push(url);
    }
  }
  const url = backends.pick(namespace, name, urls);
  if (!url) throw new ApiError(503, 'ServiceUnavailable', `no endpoints available for service "${name}"`);
  return url;
}

export function resolvePod(store: Store, backends: Backends, namespace: string, raw: string): string {
  const { name } = splitNamePort(raw);
  const pod = store.get(R.pods, namespace, name);
  if (!pod) throw new ApiError(404, 'NotFound', `pods "${name}" not found`, { name, kind: 'pods' });
  const url = backends.pod(namespace, name, pod.metadata.annotations);
  if (!url)
    throw new ApiError(
      503,
      'ServiceUnavailable',
      `error trying to reach pod "${name}": no backend registered for it in the simulator`,
    );
  return url;
}

/**
 * Forwards the request to the backend and streams the answer back, status and headers included. The
 * upstream request sits in `inFlight` until it is finished, so the server can end it when it stops.
 */
export function forward(
  req: IncomingMessage,
  res: ServerResponse,
  backend: string,
  path: string,
  search: string,
  inFlight?: Set<ClientRequest>,
): Promise<void> {
  return new Promise((resolve) => {
    const target = new URL(backend + (path === '/' ? '/' : path) + search);
    const headers: Record<string, string | string[]> = {};
    for (const [k, v] of Object.entries(req.headers))
      if (v !== undefined && !HOP_BY_HOP.has(k)) headers[k] = v;
    const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
    const upstream = send(
      target,
      { method: req.method, headers, rejectUnauthorized: false, agent: false },
      (up) => {
        const out: Record<string, string | string[]> = {};
        for (const [k, v] of Object.entries(up.headers))
          if (v !== undefined && !HOP_BY_HOP.has(k)) out[k] = v;
        res.writeHead(up.statusCode ?? 502, out);
        up.pipe(res);
        up.on('end', resolve);
        up.on('error', () => {
          res.destroy();
          resolve();
        });
      },
    );
    inFlight?.add(upstream);
    upstream.on('close', () => inFlight?.delete(upstream));
    // A client that hangs up ends the backend request too.
    res.on('close', () => upstream.destroy());
    upstream.on('error', (err) => {
      if (!res.headersSent) {
        const body = JSON.stringify({
          kind: 'Status',
          apiVersion: 'v1',
          metadata: {},
          status: 'Failure',
          message: `error trying to reach service: ${err.message}`,
          reason: 'ServiceUnavailable',
          code: 503,
        });
        res.writeHead(503, { 'Content-Type': 'application/json' });
        res.end(body);
      } else res.destroy();
      resolve();
    });
    req.pipe(upstream);
  });
}
