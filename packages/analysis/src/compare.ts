import { ConfigurationError } from '@upgrade-actions/common';
import {
  expandPreset,
  PrometheusError,
  type Check,
  type PrometheusClient,
  type Sample,
} from '@upgrade-actions/probe';
import { z } from 'zod';
import { deploymentPodMatcher, renderTemplate, type AnalysisVars } from './templates';

/**
 * A comparison gate: the same query run for the new version (`{{ target }}` = the canary or green) and for
 * the version serving today (`{{ target }}` = the stable workload), judged against each other instead of a
 * number picked months ago. One limit per gate:
 *   maxIncrease: new ≤ stable + x   (x a number, or a percentage: `0.5%` = 0.005)
 *   maxDecrease: new ≥ stable − x
 *   maxRatio:    new ≤ stable × r   (e.g. 1.2 for p99 latency)
 *   minRatio:    new ≥ stable × r   (e.g. 0.99 for a success rate)
 */
export type Limit =
  | { kind: 'maxIncrease'; by: number }
  | { kind: 'maxDecrease'; by: number }
  | { kind: 'maxRatio'; by: number }
  | { kind: 'minRatio'; by: number };

const amount = z.union([z.number(), z.string()]);
const compareItem = z
  .object({
    name: z.string().min(1).optional(),
    query: z.string().min(1).optional(),
    preset: z.string().min(1).optional(),
    params: z.record(z.string(), z.string()).optional(),
    compare: z
      .object({
        maxIncrease: amount.optional(),
        maxDecrease: amount.optional(),
        maxRatio: z.number().positive().optional(),
        minRatio: z.number().positive().optional(),
      })
      .strict(),
    noData: z.enum(['fail', 'pass']).optional(),
  })
  .strict()
  .refine((m) => (m.preset === undefined) !== (m.query === undefined), {
    message: 'give either preset or query',
  });

function parseAmount(value: number | string, where: string): number {
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return value;
  const m = /^\s*(\d+(?:\.\d+)?)\s*(%)?\s*$/.exec(String(value));
  if (!m)
    throw new ConfigurationError(
      `${where}: "${value}" is not an amount; write a number (0.005) or a percentage (0.5%)`,
    );
  return m[2] ? Number(m[1]) / 100 : Number(m[1]);
}

export function parseLimit(compare: Record<string, unknown>, where: string): Limit {
  const given = Object.entries(compare).filter(([, v]) => v !== undefined);
  if (given.length !== 1) {
    throw new ConfigurationError(
      `${where}: give exactly one of maxIncrease, maxDecrease, maxRatio, minRatio (e.g. compare: {maxIncrease: 0.5%})`,
    );
  }
  const [kind, value] = given[0] as [Limit['kind'], number | string];
  const by =
    kind === 'maxRatio' || kind === 'minRatio' ? (value as number) : parseAmount(value, `${where}.${kind}`);
  return { kind, by };
}

/** The bound the new version must stay within, given the stable version's value. */
export function bound(limit: Limit, stable: number): number {
  switch (limit.kind) {
    case 'maxIncrease':
      return stable + limit.by;
    case 'maxDecrease':
      return stable - limit.by;
    case 'maxRatio':
    case 'minRatio':
      return stable * limit.by;
  }
}

const upper = (l: Limit) => l.kind === 'maxIncrease' || l.kind === 'maxRatio';
const round4 = (n: number) => String(Math.round(n * 10_000) / 10_000);

export function describeLimit(l: Limit): string {
  switch (l.kind) {
    case 'maxIncrease':
      return `≤ stable + ${round4(l.by)}`;
    case 'maxDecrease':
      return `≥ stable − ${round4(l.by)}`;
    case 'maxRatio':
      return `≤ stable × ${l.by}`;
    case 'minRatio':
      return `≥ stable × ${l.by}`;
  }
}

/** Several samples: the worst for the direction of the limit; NaN (0/0: no traffic) counts as no data. */
function worst(samples: Sample[], l: Limit): number | undefined {
  const values = samples.map((s) => s.value).filter((v) => !Number.isNaN(v));
  if (!values.length) return undefined;
  return upper(l) ? Math.max(...values) : Math.min(...values);
}

/** Judges one pair of observations. Pure. */
export function judgeComparison(
  limit: Limit,
  canary: number | undefined,
  stable: number | undefined,
  noData: 'fail' | 'pass',
): { ok: boolean; value: string; threshold: string; message?: string } {
  const threshold = describeLimit(limit);
  if (canary === undefined || stable === undefined) {
    const who = canary === undefined ? 'the new version' : 'the stable version';
    return {
      ok: noData === 'pass',
      value: `${canary === undefined ? 'no data' : round4(canary)} vs stable ${stable === undefined ? 'no data' : round4(stable)}`,
      threshold,
      ...(noData === 'pass'
        ? {}
        : { message: `no samples for ${who}; check the query's labels or set noData: pass` }),
    };
  }
  const limitValue = bound(limit, stable);
  const ok = upper(limit) ? canary <= limitValue : canary >= limitValue;
  const value = `${round4(canary)} vs stable ${round4(stable)}`;
  return {
    ok,
    value,
    threshold,
    ...(ok
      ? {}
      : {
          message: `${round4(canary)} is ${upper(limit) ? 'above' : 'below'} ${round4(limitValue)} (${threshold})`,
        }),
  };
}

/** Builds a comparison gate from an `analysis-checks` / `prometheus-queries` item that has `compare`. */
export function comparisonCheck(
  raw: Record<string, unknown>,
  where: string,
  prometheus: PrometheusClient,
  vars: AnalysisVars,
): Check {
  const parsed = compareItem.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue.path.length ? '.' + issue.path.join('.') : '';
    throw new ConfigurationError(
      `${where}${path}: ${issue.message}; a comparison gate has query (or preset) and compare: {maxIncrease | maxDecrease | maxRatio | minRatio}`,
    );
  }
  const c = parsed.data;
  const limit = parseLimit(c.compare, `${where}.compare`);
  const queryFor = (target: string) => {
    const v = { ...vars, target };
    if (c.query) return renderTemplate(c.query, v, `${where}.query`);
    const params = Object.fromEntries(
      Object.entries(c.params ?? {}).map(([k, val]) => [k, renderTemplate(val, v, `${where}.params.${k}`)]),
    );
    return expandPreset(
      c.preset!,
      { namespace: vars.namespace, labels: deploymentPodMatcher(target), ...params },
      `${where}.preset`,
    ).query;
  };
  const queries = { target: queryFor(vars.target), stable: queryFor(vars.stable) };
  if (queries.target === queries.stable) {
    throw new ConfigurationError(
      `${where}.query: it does not use {{ target }}, so the new and the stable version would be measured alike`,
    );
  }
  const name = c.name ?? `${c.preset ?? 'query'}-vs-stable`;
  return {
    name,
    level: 'business',
    target: `${prometheus.baseUrl} ${queries.target}`,
    async preflight(signal) {
      try {
        await prometheus.query(queries.target, { signal });
      } catch (e) {
        if (e instanceof PrometheusError && e.kind === 'unreachable')
          throw new ConfigurationError(`prometheus-url: ${e.message}`);
        throw e;
      }
    },
    async run(signal) {
      try {
        const [target, stable] = await Promise.all([
          prometheus.query(queries.target, { signal }),
          prometheus.query(queries.stable, { signal }),
        ]);
        const j = judgeComparison(limit, worst(target, limit), worst(stable, limit), c.noData ?? 'fail');
        return {
          ok: j.ok,
          latency: null,
          observations: {
            query: queries.target,
            stableQuery: queries.stable,
            value: j.value,
            threshold: j.threshold,
          },
          ...(j.message ? { error: j.message } : {}),
        };
      } catch (e) {
        if (e instanceof PrometheusError)
          return { ok: false, latency: null, observations: { query: queries.target }, error: e.message };
        throw e;
      }
    },
  };
}
