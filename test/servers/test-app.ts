import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import { close, listen } from './listen';

/**
 * A real HTTP server with the behaviours a probe must tell apart:
 *   /healthy            200 {"status":"ok"}
 *   /slow?ms=N          200 after N ms
 *   /failing            500
 *   /status/<code>      that status
 *   /flapping           fails and passes in the pattern set by `flap()` (default fail, ok)
 *   /switch             200 until `failFrom()` is called, 503 after (detection-latency tests)
 *   /echo               200 with the request's method, path, headers and body as JSON
 *   /counter            200 {"count":N}; N counts requests to it (warm-up tests)
 *   /warm?after=N       503 for the first N requests, then 200 (retry tests)
 */
export interface TestApp {
  url: string;
  port: number;
  hits: Map<string, number>;
  /** The most /slow requests in flight at once since the last reset (parallelism tests). */
  maxInFlight(): number;
  flap(pattern: Array<'ok' | 'fail'>): void;
  failFrom(): void;
  recover(): void;
  reset(): void;
  stop(): Promise<void>;
}

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(text);
}

export async function startTestApp(): Promise<TestApp> {
  const hits = new Map<string, number>();
  let pattern: Array<'ok' | 'fail'> = ['fail', 'ok'];
  let switched = false;
  let inFlight = 0;
  let maxInFlight = 0;

  const handle = (req: IncomingMessage, res: ServerResponse, body: string) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const n = (hits.get(url.pathname) ?? 0) + 1;
    hits.set(url.pathname, n);
    if (url.pathname === '/healthy') return json(res, 200, { status: 'ok' });
    if (url.pathname === '/slow') {
      const ms = Number(url.searchParams.get('ms') ?? '1000');
      maxInFlight = Math.max(maxInFlight, ++inFlight);
      const t = setTimeout(() => json(res, 200, { status: 'ok', slept: ms }), ms);
      res.on('close', () => {
        inFlight--;
        clearTimeout(t);
      });
      return;
    }
    if (url.pathname === '/failing') return json(res, 500, { error: 'internal error' });
    const code = /^\/status\/(\d{3})$/.exec(url.pathname);
    if (code) return json(res, Number(code[1]), { status: Number(code[1]) });
    if (url.pathname === '/flapping') {
      const p = pattern[(n - 1) % pattern.length];
      return p === 'ok' ? json(res, 200, { status: 'ok' }) : json(res, 503, { status: 'unavailable' });
    }
    if (url.pathname === '/switch')
      return switched ? json(res, 503, { status: 'down' }) : json(res, 200, { status: 'ok' });
    if (url.pathname === '/echo') {
      let parsed: unknown = body;
      try {
        parsed = body ? JSON.parse(body) : null;
      } catch {
        // not JSON: echo the text
      }
      return json(
        res,
        200,
        {
          method: req.method,
          path: url.pathname,
          query: Object.fromEntries(url.searchParams),
          headers: req.headers,
          body: parsed,
        },
        { 'x-echo': 'yes' },
      );
    }
    if (url.pathname === '/counter') return json(res, 200, { count: n });
    if (url.pathname === '/warm') {
      const after = Number(url.searchParams.get('after') ?? '2');
      return n > after
        ? json(res, 200, { status: 'warm', attempt: n })
        : json(res, 503, { status: 'warming up', attempt: n });
    }
    if (url.pathname === '/text') {
      res.writeHead(200, { 'content-type': 'text/plain' });
      return res.end('plain text body version=1.2.3');
    }
    json(res, 404, { error: 'not found' });
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => handle(req, res, Buffer.concat(chunks).toString('utf8')));
  });
  const port = await listen(server);
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    hits,
    maxInFlight: () => maxInFlight,
    flap: (p) => {
      pattern = p;
      hits.delete('/flapping');
    },
    failFrom: () => {
      switched = true;
    },
    recover: () => {
      switched = false;
    },
    reset: () => {
      hits.clear();
      switched = false;
      maxInFlight = 0;
    },
    stop: () => close(server),
  };
}
