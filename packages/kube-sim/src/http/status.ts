import type { ServerResponse } from 'node:http';
import { ApiError } from '../types';

/** The `Status` body the API server sends with every error; kubectl prints `Error from server (<reason>): <message>`. */
export function statusBody(err: ApiError): Record<string, unknown> {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: err.message,
    reason: err.reason,
    ...(err.details ? { details: err.details } : {}),
    code: err.code,
  };
}

export function successStatus(details: Record<string, unknown>): Record<string, unknown> {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details };
}

export function sendJson(
  res: ServerResponse,
  code: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(code, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

export function sendError(res: ServerResponse, err: unknown, headers: Record<string, string> = {}): void {
  const api =
    err instanceof ApiError
      ? err
      : new ApiError(
          500,
          'InternalError',
          `Internal error occurred: ${(err as Error)?.message ?? String(err)}`,
        );
  if (res.headersSent) {
    res.destroy();
    return;
  }
  sendJson(res, api.code, statusBody(api), headers);
}

export const badRequest = (message: string) => new ApiError(400, 'BadRequest', message);
export const methodNotAllowed = (
  message = 'the server does not allow this method on the requested resource',
) => new ApiError(405, 'MethodNotAllowed', message);
export const notFoundPath = () =>
  new ApiError(404, 'NotFound', 'the server could not find the requested resource');
