/**
 * Classes the failures users meet in operation (network, TLS, an API server's HTTP status, the file
 * system, a missing runner environment) into one line that says what failed and what to check.
 * Stacks never reach normal output: they are useful only to us, so they go to the debug log.
 */

/** One failure as the log shows it: `message` for `::error::`, `hint` appended when there is one. */
export interface ClassifiedFailure {
  kind: 'configuration' | 'network' | 'tls' | 'http' | 'filesystem' | 'environment' | 'process' | 'internal';
  message: string;
}

type Coded = Error & {
  code?: unknown;
  syscall?: string;
  path?: string;
  address?: string;
  hostname?: string;
  port?: number;
};

const NETWORK: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'DNS lookup failed',
  ETIMEDOUT: 'connection timed out',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  EPIPE: 'connection closed',
  UND_ERR_CONNECT_TIMEOUT: 'connection timed out',
  UND_ERR_SOCKET: 'connection closed',
};

const FILESYSTEM: Record<string, string> = {
  ENOENT: 'no such file or directory',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EISDIR: 'is a directory, a file was expected',
  ENOTDIR: 'a path component is a file, not a directory',
  EEXIST: 'already exists',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on device',
  ENAMETOOLONG: 'file name too long',
};

/** Node and OpenSSL codes for a TLS handshake that failed on the certificate or protocol. */
function isTlsCode(code: string): boolean {
  return (
    code.startsWith('ERR_TLS_') ||
    code.startsWith('ERR_SSL_') ||
    code === 'EPROTO' ||
    /CERT|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)/.test(code)
  );
}

const BUG_NAMES = new Set([
  'TypeError',
  'ReferenceError',
  'RangeError',
  'SyntaxError',
  'AssertionError',
  'EvalError',
]);

/** Walks `cause` links (fetch wraps the socket error in `TypeError: fetch failed`). */
function causes(err: Error): Coded[] {
  const seen: Coded[] = [];
  let cur: unknown = err;
  while (cur instanceof Error && seen.length < 5 && !seen.includes(cur)) {
    seen.push(cur);
    cur = (cur as { cause?: unknown }).cause;
  }
  return seen;
}

function withoutPrefix(message: string, code: string): string {
  return message.startsWith(`${code}:`) ? message.slice(code.length + 1).trim() : message;
}

/** Names an endpoint for network errors: `127.0.0.1:1` from the socket error when it has one. */
function endpoint(e: Coded): string {
  if (e.address) return e.port ? ` to ${e.address}:${e.port}` : ` to ${e.address}`;
  // A name that did not resolve has no address: the host is all there is (getaddrinfo ENOTFOUND).
  if (e.hostname) return ` for ${e.hostname}`;
  return '';
}

export function classifyFailure(thrown: unknown): ClassifiedFailure {
  const err =
    thrown instanceof Error
      ? thrown
      : new Error(typeof thrown === 'string' ? thrown : JSON.stringify(thrown));
  if (err.name === 'ConfigurationError') return { kind: 'configuration', message: err.message };

  // Errors of our engines, recognised by name so the toolkit need not import them (layering). They come
  // first: their message already names the server and the kubeconfig, which the socket error they wrap
  // (their `cause`) does not.
  // KubeApiError words 401 and 403 with what to check itself (kube/errors.ts); a server error gets it here.
  if (err.name === 'KubeApiError') {
    const status = (err as Coded).code;
    const hint =
      typeof status === 'number' && status >= 500
        ? ' The API server failed; check its health and retry.'
        : '';
    return { kind: 'http', message: `${err.message}${hint}` };
  }
  // The kube client words each of these with what to check (server, DNS, CA, credentials).
  if (err.name === 'KubeConnectionError') return { kind: 'network', message: err.message };
  for (const e of causes(err)) {
    const code = typeof e.code === 'string' ? e.code : '';
    if (code in NETWORK) {
      const what = `${NETWORK[code]}${endpoint(e)}`;
      const head = e === err ? what : `${err.message}: ${what}`;
      return {
        kind: 'network',
        message: `${head}. Check that the server is running and reachable from the runner (address, port, proxy, firewall).`,
      };
    }
    if (code && isTlsCode(code)) {
      return {
        kind: 'tls',
        message: `TLS handshake failed: ${withoutPrefix(e.message, code)} (${code}). Check the server's certificate and the CA the client trusts.`,
      };
    }
    if (code in FILESYSTEM) {
      const p = e.path ? ` '${e.path}'` : '';
      const op = e.syscall ? `${e.syscall}${p}` : `file${p}`;
      return {
        kind: 'filesystem',
        message: `${op}: ${FILESYSTEM[code]} (${code}). Check the path and that the runner may write there.`,
      };
    }
  }

  if (err.name === 'ExecError') return { kind: 'process', message: err.message };

  // @actions/tool-cache and friends assert their runner variables: "Expected RUNNER_TEMP to be defined".
  const missingEnv = /Expected (\w+) to be defined/.exec(err.message);
  if (missingEnv) {
    return {
      kind: 'environment',
      message: `the runner environment variable ${missingEnv[1]} is not set. Run on a GitHub Actions runner, or set ${missingEnv[1]} to a writable directory.`,
    };
  }

  // A JavaScript fault is a bug of ours: say so, and leave the stack to the debug log.
  if (BUG_NAMES.has(err.name)) {
    return {
      kind: 'internal',
      message: `${err.name}: ${err.message} (an internal error: re-run with debug logging for the stack trace, and report it)`,
    };
  }
  // A plain Error carries a message an engine wrote for the user.
  return { kind: 'process', message: err.message };
}
