import { ConfigurationError } from '@upgrade-actions/common';

/**
 * Ready business-level gates for the seed's rollback rules, as PromQL templates. `$labels` expands to
 * the label matchers built from `job`, `namespace` and `labels`; `$rate`, `$for`, `$window`, `$metric`
 * to the preset's parameters. Metric names follow the Prometheus client libraries' conventions
 * (`http_requests_total{code}`, `http_request_duration_seconds` histogram) and kube-state-metrics.
 */
export interface Preset {
  name: string;
  /** The seed's rule this preset implements. */
  rule: string;
  query: string;
  /** The unhealthy condition. */
  failWhen: string;
  defaults: Record<string, string>;
}

const ratio = (num: string, den: string) => `sum(${num}) / sum(${den})`;

export const PRESETS: Record<string, Preset> = {
  'error-rate': {
    name: 'error-rate',
    rule: 'error rate > 1% for 2 minutes (circuit breaker, roll back immediately)',
    // min_over_time over a subquery: the rate stayed above the bound for the whole `for` window,
    // which is what an alerting rule's `for: 2m` means.
    query: `min_over_time((${ratio(
      'rate(http_requests_total{code=~"5..",$labels}[$rate])',
      'rate(http_requests_total{$labels}[$rate])',
    )})[$for:])`,
    failWhen: '> 1%',
    defaults: { rate: '1m', for: '2m' },
  },
  'error-rate-5m': {
    name: 'error-rate-5m',
    rule: 'error rate > 5% over 5 minutes (automatic rollback of a rolling update)',
    query: ratio(
      'rate(http_requests_total{code=~"5..",$labels}[$window])',
      'rate(http_requests_total{$labels}[$window])',
    ),
    failWhen: '> 5%',
    defaults: { window: '5m' },
  },
  'latency-average': {
    name: 'latency-average',
    rule: 'average latency > 500 ms',
    query: ratio(
      'rate(http_request_duration_seconds_sum{$labels}[$rate])',
      'rate(http_request_duration_seconds_count{$labels}[$rate])',
    ),
    failWhen: '> 500ms',
    defaults: { rate: '1m' },
  },
  'latency-p99': {
    name: 'latency-p99',
    rule: 'P99 latency > 800 ms (golden signal; use fail-when "> 1s" for the rolling-update rule of P99 > 1 s)',
    query:
      'histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket{$labels}[$rate])))',
    failWhen: '> 800ms',
    defaults: { rate: '5m' },
  },
  'transaction-success-rate': {
    name: 'transaction-success-rate',
    rule: 'key transaction success rate < 99.9%',
    query: ratio('rate($metric{outcome="success",$labels}[$rate])', 'rate($metric{$labels}[$rate])'),
    failWhen: '< 99.9%',
    defaults: { rate: '5m', metric: 'business_transactions_total' },
  },
  'business-metric-drop': {
    name: 'business-metric-drop',
    rule: 'a core business metric drops by more than 30% against its value before the deploy',
    // The rate now against the same rate `baseline` ago: with a release, baseline defaults to the time
    // since the release was created, so the comparison window ends before the deploy began.
    query: 'sum(rate($metric{$labels}[$rate])) / sum(rate($metric{$labels}[$rate] offset $baseline))',
    failWhen: '< 70%',
    // The seed's core business metric is the successful transactions: total traffic can hold steady while
    // successes fall (failures take their place), so the default selects `outcome="success"`.
    defaults: { rate: '5m', baseline: '1h', metric: 'business_transactions_total{outcome="success"}' },
  },
  'cpu-saturation': {
    name: 'cpu-saturation',
    rule: "a key component's CPU at 100% of its limit for more than 3 minutes",
    // cAdvisor's usage over kube-state-metrics' limit, per container; the minimum over the `for` window,
    // so it fails only when the container stayed at its limit the whole time; the worst container decides.
    // "At its limit" is 95% and up: a throttled container measures just under 1.0 (scrape and rate jitter).
    query:
      'max(min_over_time((max by (pod, container) (rate(container_cpu_usage_seconds_total{container!="",$labels}[$rate])) / on (pod, container) max by (pod, container) (kube_pod_container_resource_limits{resource="cpu",$labels}))[$for:]))',
    failWhen: '>= 95%',
    defaults: { rate: '1m', for: '3m' },
  },
  'pod-restarts': {
    name: 'pod-restarts',
    rule: 'restarts > 3 in 5 minutes (kube-state-metrics)',
    query: 'max(increase(kube_pod_container_status_restarts_total{$labels}[$window]))',
    failWhen: '> 3',
    defaults: { window: '5m' },
  },
};

export interface PresetParams {
  job?: string;
  namespace?: string;
  /** Extra matchers in PromQL syntax, e.g. `service="web",pod=~"web-.*"`. */
  labels?: string;
  rate?: string;
  for?: string;
  window?: string;
  metric?: string;
  baseline?: string;
}

const PROM_DURATION = /^(\d+(ms|s|m|h|d|w|y))+$/;
/** A metric name, optionally with its own matchers: `name` or `name{outcome="success"}`. */
const METRIC_SELECTOR = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{([^{}\n]*)\})?$/;

/** A PromQL string literal: backslashes and quotes escaped so a label value cannot change the query. */
function quote(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}

/** Expands a preset into its PromQL query. `what` names the input in errors. */
export function expandPreset(
  name: string,
  params: PresetParams = {},
  what = 'preset',
): { query: string; failWhen: string } {
  const preset = PRESETS[name];
  if (!preset) {
    throw new ConfigurationError(
      `${what}: unknown preset "${name}"; use one of ${Object.keys(PRESETS).join(', ')}`,
    );
  }
  const accepted = ['job', 'namespace', 'labels', ...Object.keys(preset.defaults)];
  for (const key of Object.keys(params)) {
    if (!accepted.includes(key)) {
      throw new ConfigurationError(
        `${what}: preset ${name} takes no parameter "${key}"; it takes ${accepted.join(', ')}`,
      );
    }
  }
  const values: Record<string, string> = { ...preset.defaults };
  for (const [k, v] of Object.entries(params))
    if (v !== undefined && k in preset.defaults) values[k] = String(v);
  for (const k of ['rate', 'for', 'window', 'baseline']) {
    if (values[k] !== undefined && !PROM_DURATION.test(values[k])) {
      throw new ConfigurationError(
        `${what}: ${k} "${values[k]}" is not a PromQL duration (e.g. 30s, 1m, 5m)`,
      );
    }
  }
  // A selector's matchers join the preset's `$labels`, which only ever follow `$metric` in those presets.
  let metricMatchers = '';
  if (values.metric !== undefined) {
    const m = METRIC_SELECTOR.exec(values.metric);
    if (!m) {
      throw new ConfigurationError(
        `${what}: metric "${values.metric}" is not a metric name or selector (e.g. business_transactions_total or business_transactions_total{outcome="success"})`,
      );
    }
    values.metric = m[1];
    metricMatchers = m[2]?.trim().replace(/,$/, '') ?? '';
  }
  const matchers = [
    metricMatchers,
    params.job ? `job=${quote(params.job)}` : '',
    params.namespace ? `namespace=${quote(params.namespace)}` : '',
    params.labels?.trim() ?? '',
  ].filter(Boolean);
  values.labels = matchers.join(',');
  let query = preset.query.replace(
    /\$(labels|rate|for|window|metric|baseline)\b/g,
    (_, k: string) => values[k] ?? '',
  );
  // An empty `$labels` after a fixed matcher leaves `{code=~"5..",}`; PromQL accepts it, but tidy it.
  query = query.replace(/,\}/g, '}');
  return { query, failWhen: preset.failWhen };
}
