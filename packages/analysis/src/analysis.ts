import { ConfigurationError } from '@upgrade-actions/common';
import {
  buildChecks,
  businessCheck,
  expandPreset,
  parseThreshold,
  PrometheusClient,
  PRESETS,
  type ApiServerAccess,
  type Check,
  type CheckResult,
} from '@upgrade-actions/probe';
import { comparisonCheck } from './compare';
import type { CheckOutcome, RoundRecord } from './round';
import { deploymentPodMatcher, renderTemplate, type AnalysisVars } from './templates';

/** The analysis inputs as canary and promote take them (raw strings, validated here). */
export interface AnalysisSpec {
  /** `analysis-urls`: health-probe's targets (URLs or `svc[.ns]:port/path` through the API server's proxy). */
  urls: string[];
  /** `analysis-checks`: health-probe's structured checks, plus comparison gates (items with `compare`). */
  checks?: string;
  prometheusUrl?: string;
  /** `prometheus-presets`: the seed's rules by name, applied to the new version's pods. */
  prometheusPresets?: string[];
  /** `prometheus-queries`: a YAML list of `{name, query, failWhen}` or `{name, query, compare}`. */
  prometheusQueries?: string;
  expectedStatus?: string;
  timeout?: string;
}

export interface Analysis {
  names: string[];
  checks: Check[];
  /** Once before the first round: a query Prometheus rejects or an unreachable Prometheus is the user's to fix. */
  preflight(signal?: AbortSignal): Promise<void>;
  round(signal?: AbortSignal, now?: () => number): Promise<RoundRecord>;
}

/** Every input name the analysis reads, for error messages and docs. */
export const ANALYSIS_INPUTS = [
  'analysis-urls',
  'analysis-checks',
  'prometheus-url',
  'prometheus-presets',
  'prometheus-queries',
] as const;

/**
 * Validates every analysis input and builds its checks, before anything is written to the cluster.
 * Throws a ConfigurationError naming the input (`analysis-checks[1].compare`, `prometheus-presets`, …).
 */
export function buildAnalysis(
  spec: AnalysisSpec,
  deps: { vars: AnalysisVars; api?: ApiServerAccess },
): Analysis {
  const { vars } = deps;
  const render = (text: string, where: string) => renderTemplate(text, vars, where);
  const probeInputs = {
    urls: spec.urls,
    expectedStatus: spec.expectedStatus ?? '200',
    timeout: spec.timeout ?? '5s',
    prometheusUrl: spec.prometheusUrl || undefined,
  };
  const custom = {
    key: 'compare',
    build: (item: Record<string, unknown>, where: string, prometheus: () => PrometheusClient) =>
      comparisonCheck(item, where, prometheus(), vars),
  };
  const checks: Check[] = [
    ...buildChecks(
      { ...probeInputs, checks: spec.checks },
      { api: deps.api },
      { names: { urls: 'analysis-urls', checks: 'analysis-checks' }, render, custom, allowEmpty: true },
    ),
    ...buildChecks(
      { ...probeInputs, urls: [], checks: spec.prometheusQueries },
      {},
      {
        names: { urls: 'prometheus-queries', checks: 'prometheus-queries' },
        render,
        custom,
        allowEmpty: true,
      },
    ),
  ];
  const presets = (spec.prometheusPresets ?? []).map((s) => s.trim()).filter(Boolean);
  if (presets.length) {
    if (!spec.prometheusUrl)
      throw new ConfigurationError('prometheus-presets: the presets query Prometheus; give prometheus-url');
    const prometheus = new PrometheusClient(spec.prometheusUrl);
    for (const name of presets) {
      if (!PRESETS[name])
        throw new ConfigurationError(
          `prometheus-presets: unknown preset "${name}"; use one of ${Object.keys(PRESETS).join(', ')}`,
        );
      const expanded = expandPreset(
        name,
        { namespace: vars.namespace, labels: deploymentPodMatcher(vars.target) },
        'prometheus-presets',
      );
      checks.push(
        businessCheck(
          {
            name,
            query: expanded.query,
            failWhen: parseThreshold(expanded.failWhen, 'prometheus-presets'),
            noData: 'fail',
          },
          prometheus,
        ),
      );
    }
  }
  if (!checks.length) {
    throw new ConfigurationError(
      'analysis-urls: nothing to analyse; give analysis-urls, analysis-checks, prometheus-presets or prometheus-queries',
    );
  }
  const names = checks.map((c) => c.name);
  const dup = names.find((n, i) => names.indexOf(n) !== i);
  if (dup)
    throw new ConfigurationError(
      `analysis-checks: two checks are named "${dup}"; give each a distinct name (presets are named after themselves)`,
    );
  return {
    names,
    checks,
    async preflight(signal) {
      for (const c of checks) await c.preflight?.(signal);
    },
    async round(signal, now = Date.now) {
      const results = await Promise.all(
        checks.map(async (c): Promise<CheckResult> => {
          try {
            return await c.run(signal);
          } catch (e) {
            return { ok: false, latency: null, observations: {}, error: (e as Error).message ?? String(e) };
          }
        }),
      );
      return {
        at: new Date(now()).toISOString(),
        checks: Object.fromEntries(checks.map((c, i) => [c.name, outcome(results[i])])),
      };
    },
  };
}

const fmt = (v: unknown) =>
  typeof v === 'number'
    ? String(Math.round(v * 10_000) / 10_000)
    : v === null || v === undefined
      ? ''
      : String(v);

/** A check's result, short enough for an annotation and a summary cell. */
export function outcome(r: CheckResult): CheckOutcome {
  const o = r.observations;
  let value: string | undefined;
  if (o.status !== undefined)
    value = `status ${o.status}${r.latency !== null ? `, ${Math.round(r.latency)} ms` : ''}`;
  else if (o.value !== undefined) value = o.value === null ? 'no data' : fmt(o.value);
  else if (o.pods !== undefined) value = `${fmt(o.ready)}/${fmt(o.pods)} ready`;
  else if (o.failure !== undefined) value = String(o.failure);
  const threshold =
    typeof o.threshold === 'string'
      ? o.threshold
      : typeof o.failWhen === 'string'
        ? `fails when ${o.failWhen}`
        : undefined;
  return {
    ok: r.ok,
    ...(value !== undefined ? { value } : {}),
    ...(threshold !== undefined ? { threshold } : {}),
    ...(r.error ? { message: r.error.slice(0, 300) } : {}),
    ...(r.unreachable ? { unreachable: true } : {}),
  };
}
