import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request a local API received, as tests check it: what was asked, with which token, with what body. */
export interface RecordedRequest {
  method: string;
  /** Path and query string. */
  path: string;
  authorization?: string;
  body?: unknown;
}

export interface JsonRequest {
  method: string;
  url: URL;
  /** The parsed JSON body (undefined when empty); each route checks the fields it reads, as GitHub does. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
}

export interface JsonAnswer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/**
 * A JSON HTTP server on a free loopback port that records every request before answering it. The demo's
 * local GitHub and the tests' fake GitHub APIs extend it and only say how each route answers.
 */
export abstract class LocalJsonApi {
  readonly requests: RecordedRequest[] = [];
  /** `http://127.0.0.1:PORT` once started. */
  url = '';
  private server?: Server;

  protected abstract answer(req: JsonRequest): JsonAnswer | Promise<JsonAnswer>;

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      void this.handle(req).then(({ status, body, headers }) => {
        res.writeHead(status, { 'content-type': 'application/json', ...headers });
        res.end(body === undefined ? '' : JSON.stringify(body));
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    if (this.server) await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }

  private async handle(req: IncomingMessage): Promise<JsonAnswer> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'http://x');
    const body = raw ? JSON.parse(raw) : undefined;
    this.requests.push({
      method: req.method ?? '',
      path: url.pathname + url.search,
      authorization: req.headers.authorization,
      body,
    });
    return this.answer({ method: req.method ?? '', url, body });
  }
}
