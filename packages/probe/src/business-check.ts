import { ConfigurationError } from '@upgrade-actions/common';
import { PrometheusClient, PrometheusError, type Sample } from './prometheus';
import { breaches, formatThreshold, type Threshold } from './threshold';
import type { Check, CheckResult } from './types';

export interface BusinessCheckSpec {
  name: string;
  query: string;
  /** The unhealthy condition, e.g. `> 0.01`. */
  failWhen: Threshold;
  /**
   * An empty result usually means the labels match nothing (a wrong job or namespace), so by default
   * it fails, as Argo Rollouts' analysis errors on an empty result; `pass` accepts it.
   */
  noData: 'fail' | 'pass';
}

const SHOWN_SAMPLES = 10;

/** Judges a query's samples. Pure. The worst sample (the one furthest into the bad side) is `value`. */
export function judgeSamples(spec: BusinessCheckSpec, samples: Sample[]): CheckResult {
  const threshold = formatThreshold(spec.failWhen);
  if (!samples.length) {
    const ok = spec.noData === 'pass';
    return {
      ok,
      latency: null,
      observations: { query: spec.query, failWhen: threshold, value: null, samples: [] },
      ...(ok
        ? {}
        : { error: 'query returned no samples; check the job/namespace labels or pass noData: pass' }),
    };
  }
  const lowIsBad = spec.failWhen.op === '<' || spec.failWhen.op === '<=';
  const ordered = [...samples].sort((a, b) => (lowIsBad ? a.value - b.value : b.value - a.value));
  const bad = ordered.filter((s) => breaches(s.value, spec.failWhen));
  const worst = bad[0] ?? ordered[0];
  const labels = Object.entries(worst.labels)
    .map(([k, v]) => `${k}="${v}"`)
    .join(',');
  return {
    ok: bad.length === 0,
    latency: null,
    observations: {
      query: spec.query,
      failWhen: threshold,
      value: Number.isFinite(worst.value) ? worst.value : String(worst.value),
      samples: ordered
        .slice(0, SHOWN_SAMPLES)
        .map((s) => ({ labels: s.labels, value: Number.isFinite(s.value) ? s.value : String(s.value) })),
    },
    ...(bad.length
      ? {
          error: `${bad.length} of ${samples.length} sample(s) ${threshold}: ${worst.value}${labels ? ` {${labels}}` : ''}`,
        }
      : {}),
  };
}

/** A business-level check against a Prometheus server. */
export function businessCheck(spec: BusinessCheckSpec, prometheus: PrometheusClient): Check {
  return {
    name: spec.name,
    level: 'business',
    target: `${prometheus.baseUrl} ${spec.query}`,
    async preflight(signal) {
      // Throws ConfigurationError for a query Prometheus rejects; an unreachable server is the user's to fix too.
      try {
        await prometheus.query(spec.query, { signal });
      } catch (e) {
        if (e instanceof PrometheusError && e.kind === 'unreachable') {
          throw new ConfigurationError(`prometheus-url: ${e.message}`);
        }
        throw e;
      }
    },
    async run(signal) {
      try {
        return judgeSamples(spec, await prometheus.query(spec.query, { signal }));
      } catch (e) {
        // During a watch, a Prometheus that stops answering is a failed observation, not a crash.
        if (e instanceof PrometheusError)
          return { ok: false, latency: null, observations: { query: spec.query }, error: e.message };
        throw e;
      }
    },
  };
}
