import { readFileSync } from 'node:fs';
import { ConfigurationError, parseDuration } from '@upgrade-actions/common';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { businessCheck } from './business-check';
import { compilePattern, httpCheck, type ApiServerAccess, type HttpCheckSpec } from './http-check';
import { expandPreset, PRESETS } from './presets';
import { PrometheusClient } from './prometheus';
import { parseStatusSet } from './status-codes';
import { describeTarget, parseTarget } from './target';
import { parseThreshold } from './threshold';
import type { Check } from './types';

/** What the probe is asked to check: the simple inputs (`urls` ...) and the structured `checks`. */
export interface ProbeInputs {
  urls: string[];
  expectedStatus: string;
  timeout: string;
  method?: string;
  /** `Name: value` lines; values are secrets. */
  headers?: string[];
  bodyMatch?: string;
  maxLatency?: string;
  insecureSkipTlsVerify?: boolean;
  caFile?: string;
  /** YAML (or JSON) list of structured checks, see docs/health-probe.md. */
  checks?: string;
  prometheusUrl?: string;
}

const httpItem = z
  .object({
    name: z.string().min(1).optional(),
    url: z.string().min(1),
    method: z
      .string()
      .regex(/^[A-Za-z]+$/)
      .optional(),
    headers: z.record(z.string(), z.string()).optional(),
    body: z.string().optional(),
    expectedStatus: z.union([z.number(), z.string(), z.array(z.union([z.number(), z.string()]))]).optional(),
    bodyMatch: z.string().optional(),
    maxLatency: z.string().optional(),
    timeout: z.string().optional(),
    insecureSkipTlsVerify: z.boolean().optional(),
    caFile: z.string().optional(),
  })
  .strict();

const metricItem = z
  .object({
    name: z.string().min(1).optional(),
    preset: z.string().optional(),
    params: z.record(z.string(), z.string()).optional(),
    query: z.string().min(1).optional(),
    failWhen: z.string().optional(),
    noData: z.enum(['fail', 'pass']).optional(),
  })
  .strict()
  .refine((m) => (m.preset === undefined) !== (m.query === undefined), {
    message: 'give either preset or query',
  })
  .refine((m) => m.query === undefined || m.failWhen !== undefined, { message: 'a query needs failWhen' });

function headerLines(lines: string[], what: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of lines) {
    const i = line.indexOf(':');
    const name = i > 0 ? line.slice(0, i).trim() : '';
    if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) {
      throw new ConfigurationError(
        `${what}: "${line.slice(0, 40)}" is not a header; write one "Name: value" per line`,
      );
    }
    out[name] = line.slice(i + 1).trim();
  }
  return out;
}

/** Header values from the inputs, for the action to mask before anything is logged. */
export function secretValues(inputs: ProbeInputs): string[] {
  const values = Object.values(headerLines(inputs.headers ?? [], 'headers'));
  if (inputs.checks) {
    for (const c of parseChecksText(inputs.checks)) {
      if (c && typeof c === 'object' && 'headers' in c && c.headers && typeof c.headers === 'object') {
        values.push(...Object.values(c.headers as Record<string, unknown>).map(String));
      }
    }
  }
  return values.filter((v) => v.length > 0);
}

/** Whether any target is a Service (so the caller must load a kubeconfig); bad targets are left to buildChecks. */
export function needsCluster(inputs: ProbeInputs): boolean {
  let items: unknown[] = [];
  try {
    items = inputs.checks ? parseChecksText(inputs.checks) : [];
  } catch {
    // reported by buildChecks
  }
  const urls = [
    ...inputs.urls,
    ...items.map((i) =>
      i && typeof i === 'object' && 'url' in i ? String((i as { url: unknown }).url) : '',
    ),
  ];
  return urls.some((u) => {
    try {
      return u.trim() !== '' && parseTarget(u).kind === 'service';
    } catch {
      return false;
    }
  });
}

export function parseChecksText(text: string, what = 'checks'): unknown[] {
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (e) {
    throw new ConfigurationError(`${what}: not valid YAML: ${(e as Error).message.split('\n')[0]}`);
  }
  if (doc == null) return [];
  if (!Array.isArray(doc))
    throw new ConfigurationError(
      `${what}: must be a YAML list of checks (each with url, or preset, or query)`,
    );
  return doc;
}

function readCa(path: string, what: string): Buffer {
  try {
    return readFileSync(path);
  } catch (e) {
    throw new ConfigurationError(
      `${what}: cannot read CA file ${path} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`,
    );
  }
}

/** How another stage (canary, promote analysis) reuses the probe's inputs under its own names. */
export interface BuildOptions {
  /** Input names in errors; default `urls`, `checks`. */
  names?: { urls?: string; checks?: string };
  /** Applied to every target and query before it is parsed (template variables such as `{{ target }}`). */
  render?: (text: string, where: string) => string;
  /** Items with this key are handed to `custom` instead of being built here (e.g. comparison gates). */
  custom?: {
    key: string;
    build(item: Record<string, unknown>, where: string, prometheus: () => PrometheusClient): Check;
  };
  /** No checks is not an error (the caller has other sources). */
  allowEmpty?: boolean;
  /** Parameter defaults for the presets that take them (e.g. business-metric-drop's baseline from the release). */
  presetDefaults?: Record<string, string>;
}

/**
 * Validates every input and builds the checks, before any request is sent. Throws a
 * ConfigurationError naming the input (`urls`, `checks[2].failWhen`, ...) and what is accepted.
 */
export function buildChecks(
  inputs: ProbeInputs,
  deps: { api?: ApiServerAccess } = {},
  opts: BuildOptions = {},
): Check[] {
  const urlsName = opts.names?.urls ?? 'urls';
  const checksName = opts.names?.checks ?? 'checks';
  const render = opts.render ?? ((t: string) => t);
  const checks: Check[] = [];
  const timeoutMs = parseDuration(inputs.timeout, 'timeout');
  const common = {
    method: (inputs.method ?? 'GET').toUpperCase(),
    headers: headerLines(inputs.headers ?? [], 'headers'),
    expectedStatus: parseStatusSet(inputs.expectedStatus, 'expected-status'),
    bodyMatch: inputs.bodyMatch ? compilePattern(inputs.bodyMatch, 'body-match') : undefined,
    maxLatencyMs: inputs.maxLatency ? parseDuration(inputs.maxLatency, 'max-latency') : undefined,
    timeoutMs,
    tls: {
      insecureSkipVerify: inputs.insecureSkipTlsVerify ?? false,
      ...(inputs.caFile ? { ca: readCa(inputs.caFile, 'ca-file') } : {}),
    },
  };
  for (const u of inputs.urls.map((s) => s.trim()).filter(Boolean)) {
    const target = parseTarget(render(u, urlsName), urlsName);
    const spec: HttpCheckSpec = { name: describeTarget(target), target, ...common };
    checks.push(httpCheck(spec, deps.api));
  }

  const items = inputs.checks ? parseChecksText(inputs.checks, checksName) : [];
  let prometheus: PrometheusClient | undefined;
  const prometheusFor = (where: string) => {
    if (!inputs.prometheusUrl) {
      throw new ConfigurationError(`${where}: a business-level check needs the prometheus-url input`);
    }
    return (prometheus ??= new PrometheusClient(inputs.prometheusUrl, { timeoutMs }));
  };
  items.forEach((raw, i) => {
    const where = `${checksName}[${i}]`;
    if (opts.custom && raw && typeof raw === 'object' && opts.custom.key in raw) {
      checks.push(opts.custom.build(raw as Record<string, unknown>, where, () => prometheusFor(where)));
      return;
    }
    // The shape picks the schema, so errors speak about the kind of check the user meant.
    const isHttp = typeof raw === 'object' && raw !== null && 'url' in raw;
    const parsed = isHttp ? httpItem.safeParse(raw) : metricItem.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const path = issue.path.length ? '.' + issue.path.join('.') : '';
      throw new ConfigurationError(
        `${where}${path}: ${issue.message}; a check has url (service level) or preset/query with failWhen (business level)`,
      );
    }
    const c = parsed.data;
    if ('url' in c) {
      const target = parseTarget(render(c.url, `${where}.url`), `${where}.url`);
      checks.push(
        httpCheck(
          {
            name: c.name ?? describeTarget(target),
            target,
            method: (c.method ?? common.method).toUpperCase(),
            headers: { ...common.headers, ...c.headers },
            body: c.body,
            expectedStatus:
              c.expectedStatus !== undefined
                ? parseStatusSet(c.expectedStatus, `${where}.expectedStatus`)
                : common.expectedStatus,
            bodyMatch:
              c.bodyMatch !== undefined
                ? compilePattern(c.bodyMatch, `${where}.bodyMatch`)
                : common.bodyMatch,
            maxLatencyMs:
              c.maxLatency !== undefined
                ? parseDuration(c.maxLatency, `${where}.maxLatency`)
                : common.maxLatencyMs,
            timeoutMs: c.timeout !== undefined ? parseDuration(c.timeout, `${where}.timeout`) : timeoutMs,
            tls: {
              insecureSkipVerify: c.insecureSkipTlsVerify ?? common.tls.insecureSkipVerify,
              ...(c.caFile
                ? { ca: readCa(c.caFile, `${where}.caFile`) }
                : 'ca' in common.tls
                  ? { ca: common.tls.ca }
                  : {}),
            },
          },
          deps.api,
        ),
      );
      return;
    }
    const client = prometheusFor(where);
    const params = c.params
      ? Object.fromEntries(Object.entries(c.params).map(([k, v]) => [k, render(v, `${where}.params.${k}`)]))
      : undefined;
    const fromContext = Object.fromEntries(
      Object.entries(opts.presetDefaults ?? {}).filter(
        ([k]) => c.preset && k in (PRESETS[c.preset]?.defaults ?? {}),
      ),
    );
    const expanded = c.preset
      ? expandPreset(c.preset, { ...fromContext, ...params }, `${where}.preset`)
      : { query: render(c.query!, `${where}.query`), failWhen: c.failWhen! };
    checks.push(
      businessCheck(
        {
          name: c.name ?? c.preset ?? `query-${i}`,
          query: expanded.query,
          failWhen: parseThreshold(c.failWhen ?? expanded.failWhen, `${where}.failWhen`),
          noData: c.noData ?? 'fail',
        },
        client,
      ),
    );
  });

  if (!checks.length && !opts.allowEmpty)
    throw new ConfigurationError(
      `${urlsName}: nothing to probe; give ${urlsName} (one per line) or ${checksName}`,
    );
  const names = checks.map((c) => c.name);
  const dup = names.find((n, i) => names.indexOf(n) !== i);
  if (dup)
    throw new ConfigurationError(`${checksName}: two checks are named "${dup}"; give each a distinct name`);
  return checks;
}
