import { parseDuration, silentLogger, type Logger } from '@upgrade-actions/common';
import {
  httpRequest,
  HttpFailure,
  parseTarget,
  targetEndpoint,
  type ApiServerAccess,
  type Endpoint,
  type TlsOptions,
} from '@upgrade-actions/probe';
import { evaluate, type Failure } from './assertions';
import { queryJson } from './jsonpath';
import type { LoadedSmokeFile } from './load';
import type { SmokeStep } from './schema';
import { interpolate } from './variables';

export type Phase = 'setup' | 'test' | 'teardown';

export interface StepResult {
  name: string;
  phase: Phase;
  status: 'passed' | 'failed' | 'skipped';
  /** Requests sent, retries included. */
  attempts: number;
  /** Latency of the last response, ms with two decimals; null when none came. */
  latency: number | null;
  /** `METHOD url` of the last attempt. */
  request: string;
  /** The last attempt's failed assertions. */
  failures: Failure[];
  /** Why there was nothing to assert (no response, a bad URL) or why the step was skipped. */
  error?: string;
  durationMs: number;
}

export interface SmokeReport {
  /** Tests that passed. */
  passed: number;
  /** Steps that failed in any phase, plus tests skipped because setup failed. */
  failed: number;
  total: number;
  timestamp: string;
  durationMs: number;
  steps: StepResult[];
}

export interface SmokeOptions {
  logger?: Logger;
  signal?: AbortSignal;
  tls?: TlsOptions;
  /** The API server, for a base URL that is a service (`web.shop:80`): reached through its service proxy. */
  api?: ApiServerAccess;
  /** How errors name the base URL setting: `base-url`, `--base-url`, `smoke-base-url`. */
  baseUrlName?: string;
  /** Injected for tests: an abortable sleep used between retries. */
  sleep?: (ms: number) => Promise<void>;
}

const DEFAULT_TIMEOUT_MS = 5000;
const DEFAULT_MAX_BACKOFF_MS = 30_000;

function joinUrl(base: string, path: string): string {
  return base.replace(/\/+$/, '') + '/' + path.replace(/^\/+/, '');
}

/** The base URL's text after interpolation: the file's baseUrl, else the base-url input; undefined: none. */
export function baseUrlText(loaded: LoadedSmokeFile): string | undefined {
  const { file, variables } = loaded;
  return file.baseUrl !== undefined ? interpolate(file.baseUrl, variables) : variables['base-url'];
}

/**
 * Where `path:` requests go: a URL, or a Service (`web.shop:80`, `https:api:8443/v1`) reached through
 * the API server's service proxy exactly as health-probe reaches it. Throws a ConfigurationError for
 * a base that is neither, or a service with no cluster.
 */
export function resolveBase(text: string, api: ApiServerAccess | undefined, what: string): Endpoint {
  return targetEndpoint(parseTarget(text, what), api, what);
}

/** Runs at most `limit` tasks at once, keeping results in input order. */
async function pool<T, R>(items: T[], limit: number, f: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await f(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/**
 * Runs a loaded smoke file: setup in order (stopping at the first failure), tests with the given
 * parallelism, then teardown always, as a test framework's afterAll does. Each step retries with
 * exponential backoff (backoff, 2×, 4× ... capped at maxBackoff) until its assertions hold, so a
 * service still warming up is given time without a fixed sleep.
 */
export async function runSmoke(loaded: LoadedSmokeFile, opts: SmokeOptions = {}): Promise<SmokeReport> {
  const { file } = loaded;
  const log = opts.logger ?? silentLogger;
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const vars: Record<string, string> = { ...loaded.variables };
  const baseText = baseUrlText(loaded);
  if (file.baseUrl !== undefined) vars.baseUrl = baseText!;
  const baseName = opts.baseUrlName ?? 'base-url';
  const base =
    baseText === undefined
      ? undefined
      : resolveBase(baseText, opts.api, file.baseUrl !== undefined ? 'baseUrl' : baseName);
  const started = Date.now();

  const runStep = async (step: SmokeStep, phase: Phase): Promise<StepResult> => {
    const t0 = Date.now();
    const retries = step.retries ?? file.defaults?.retries ?? { attempts: 1 };
    const backoff = parseDuration(retries.backoff ?? '1s');
    const maxBackoff = retries.maxBackoff ? parseDuration(retries.maxBackoff) : DEFAULT_MAX_BACKOFF_MS;
    const req = interpolate(step.request, vars);
    const method = (req.method ?? 'GET').toUpperCase();
    // A path goes to the base (with the API server's credentials when it is a service); a url as it is.
    const viaBase = req.url === undefined;
    const url = req.url ?? joinUrl(base?.url ?? '', req.path ?? '/');
    const api = viaBase && base?.credentials ? await base.credentials() : undefined;
    const headers: Record<string, string> = {
      ...(api?.headers ?? {}),
      ...interpolate(file.defaults?.headers ?? {}, vars),
      ...req.headers,
    };
    const tls = api?.tls ?? opts.tls;
    let body = req.body;
    if (req.json !== undefined) {
      body = JSON.stringify(req.json);
      if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type'))
        headers['content-type'] = 'application/json';
    }
    const timeoutMs = parseDuration(req.timeout ?? file.defaults?.timeout ?? `${DEFAULT_TIMEOUT_MS}ms`);
    const expectation = interpolate(step.expect, vars);
    const result: StepResult = {
      name: step.name,
      phase,
      status: 'failed',
      attempts: 0,
      latency: null,
      request: `${method} ${url}`,
      failures: [],
      durationMs: 0,
    };

    for (let attempt = 1; attempt <= retries.attempts; attempt++) {
      result.attempts = attempt;
      result.failures = [];
      delete result.error;
      try {
        new URL(url);
      } catch {
        result.error = `"${url}" is not a URL; set baseUrl in the file or the ${baseName} input`;
        break;
      }
      try {
        const res = await httpRequest({
          url,
          method,
          headers,
          body,
          timeoutMs,
          tls,
          signal: opts.signal,
        });
        result.latency = res.latency;
        const text = res.body.toString('utf8');
        result.failures = evaluate(expectation, {
          status: res.status,
          headers: res.headers,
          body: text,
          latency: res.latency,
        });
        if (!result.failures.length && step.capture) {
          let doc: unknown;
          try {
            doc = JSON.parse(text);
          } catch {
            doc = undefined;
          }
          for (const [name, path] of Object.entries(step.capture)) {
            const found = doc === undefined ? [] : queryJson(path, doc);
            if (!found.length)
              result.failures.push({
                assertion: `capture ${name}`,
                expected: `a value at ${path}`,
                actual: '(absent)',
              });
            else vars[name] = typeof found[0] === 'string' ? found[0] : JSON.stringify(found[0]);
          }
        }
      } catch (e) {
        if (!(e instanceof HttpFailure)) throw e;
        result.error = e.message;
      }
      if (!result.failures.length && !result.error) {
        result.status = 'passed';
        break;
      }
      if (opts.signal?.aborted) break;
      if (attempt < retries.attempts) {
        const wait = Math.min(backoff * 2 ** (attempt - 1), maxBackoff);
        log.debug(`${step.name}: attempt ${attempt} failed (${describe(result)}); retrying in ${wait} ms`);
        await sleep(wait);
      }
    }
    result.durationMs = Date.now() - t0;
    const line = `${phase} ${step.name}: ${result.status} after ${result.attempts} attempt(s)${result.latency !== null ? `, ${result.latency.toFixed(2)} ms` : ''}`;
    if (result.status === 'passed') log.info(line);
    else log.error(`${line}: ${describe(result)}`);
    return result;
  };

  const steps: StepResult[] = [];
  let setupFailed: StepResult | undefined;
  for (const s of file.setup ?? []) {
    const r = await runStep(s, 'setup');
    steps.push(r);
    if (r.status !== 'passed') {
      setupFailed = r;
      break;
    }
  }
  if (setupFailed) {
    for (const t of file.tests) {
      steps.push({
        name: t.name,
        phase: 'test',
        status: 'skipped',
        attempts: 0,
        latency: null,
        request: '',
        failures: [],
        error: `setup step ${setupFailed.name} failed`,
        durationMs: 0,
      });
    }
  } else {
    steps.push(...(await pool(file.tests, file.parallelism ?? 1, (t) => runStep(t, 'test'))));
  }
  for (const s of file.teardown ?? []) steps.push(await runStep(s, 'teardown'));

  const tests = steps.filter((s) => s.phase === 'test');
  return {
    passed: tests.filter((s) => s.status === 'passed').length,
    failed: steps.filter((s) => s.status !== 'passed').length,
    total: tests.length,
    timestamp: new Date(started).toISOString(),
    durationMs: Date.now() - started,
    steps,
  };
}

/** One line: the error, or each failed assertion's expected and actual. */
export function describe(r: StepResult): string {
  if (r.error) return r.error;
  return r.failures.map((f) => `${f.assertion}: expected ${f.expected}, got ${f.actual}`).join('; ');
}
