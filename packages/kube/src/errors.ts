/** A `Status` the API server answered with (4xx/5xx), worded as kubectl prints it. */
export class KubeApiError extends Error {
  override name = 'KubeApiError';
  constructor(
    readonly code: number,
    /** `NotFound`, `Conflict`, `Gone`, `Invalid`, ... ('' when the server gave none). */
    readonly reason: string,
    /** The server's own message. */
    readonly serverMessage: string,
    readonly status?: Record<string, unknown>,
  ) {
    // kubectl: `Error from server (NotFound): deployments.apps "web" not found`.
    super(
      (reason ? `Error from server (${reason}): ${serverMessage}` : `Error from server: ${serverMessage}`) +
        accessHint(code, serverMessage),
    );
  }
}

/**
 * What to check when the server refused who we are (401) or what we may do (403): the kubeconfig's
 * credentials, or the user's RBAC, with the `kubectl auth can-i` that shows the missing permission.
 */
function accessHint(code: number, serverMessage: string): string {
  if (code === 401)
    return '. Check the credentials of the kubeconfig user (token, client certificate, exec plugin): they were not accepted.';
  if (code !== 403) return '';
  // Upstream's authorizer: `User "x" cannot patch resource "deployments" in API group "apps" in the namespace "shop"`.
  const m = /cannot (\w+) resource "([^"]+)" in API group "([^"]*)"(?: in the namespace "([^"]+)")?/.exec(
    serverMessage,
  );
  if (!m) return '. Check the RBAC permissions of the kubeconfig user.';
  const [, verb, resource, group, namespace] = m;
  const [res, sub] = resource.split('/');
  const what = `${res}${group ? `.${group}` : ''}${sub ? ` --subresource=${sub}` : ''}`;
  const can = `kubectl auth can-i ${verb} ${what}${namespace ? ` -n ${namespace}` : ''}`;
  return `. Check the RBAC permissions of the kubeconfig user: grant ${verb} on ${resource} (${can}).`;
}

/** The API server could not be reached at all; worded as kubectl words it. */
export class KubeConnectionError extends Error {
  override name = 'KubeConnectionError';
}

/** Builds the error for a non-2xx answer, from its Status body when there is one. */
export function apiErrorFrom(code: number, body: string): KubeApiError {
  try {
    const s = JSON.parse(body) as { kind?: string; reason?: string; message?: string };
    if (s && s.kind === 'Status')
      return new KubeApiError(code, s.reason ?? '', s.message ?? body, s as Record<string, unknown>);
  } catch {
    // not JSON: fall through
  }
  const reasons: Record<number, string> = {
    400: 'BadRequest',
    401: 'Unauthorized',
    403: 'Forbidden',
    404: 'NotFound',
    405: 'MethodNotAllowed',
    409: 'Conflict',
    410: 'Gone',
    415: 'UnsupportedMediaType',
    422: 'Invalid',
    429: 'TooManyRequests',
    500: 'InternalError',
    503: 'ServiceUnavailable',
    504: 'Timeout',
  };
  return new KubeApiError(code, reasons[code] ?? '', body.trim() || `the server answered HTTP ${code}`);
}

export function isNotFound(e: unknown): boolean {
  return e instanceof KubeApiError && e.code === 404;
}

export function isGone(e: unknown): boolean {
  return e instanceof KubeApiError && e.code === 410;
}

/** 409: an update raced another writer (stale resourceVersion) or a create found the object there. */
export function isConflict(e: unknown): boolean {
  return e instanceof KubeApiError && e.code === 409;
}
