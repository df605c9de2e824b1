import { ConfigurationError } from '@upgrade-actions/common';
import { expandPreset, PRESETS } from '@upgrade-actions/probe';

describe('business presets', () => {
  test.each([
    [
      'error-rate',
      { job: 'web', namespace: 'shop' },
      'min_over_time((sum(rate(http_requests_total{code=~"5..",job="web",namespace="shop"}[1m])) / sum(rate(http_requests_total{job="web",namespace="shop"}[1m])))[2m:])',
      '> 1%',
    ],
    [
      'error-rate-5m',
      {},
      'sum(rate(http_requests_total{code=~"5.."}[5m])) / sum(rate(http_requests_total{}[5m]))',
      '> 5%',
    ],
    [
      'latency-average',
      { job: 'web' },
      'sum(rate(http_request_duration_seconds_sum{job="web"}[1m])) / sum(rate(http_request_duration_seconds_count{job="web"}[1m]))',
      '> 500ms',
    ],
    [
      'latency-p99',
      { namespace: 'shop', rate: '30s' },
      'histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket{namespace="shop"}[30s])))',
      '> 800ms',
    ],
    [
      'transaction-success-rate',
      { metric: 'payments_total', labels: 'region="eu"' },
      'sum(rate(payments_total{outcome="success",region="eu"}[5m])) / sum(rate(payments_total{region="eu"}[5m]))',
      '< 99.9%',
    ],
    [
      'pod-restarts',
      { namespace: 'shop' },
      'max(increase(kube_pod_container_status_restarts_total{namespace="shop"}[5m]))',
      '> 3',
    ],
  ])('%s with %j expands to its PromQL', (name, params, query, failWhen) => {
    expect(expandPreset(name, params)).toEqual({ query, failWhen });
  });

  test('label values are quoted so they cannot change the query', () => {
    const { query } = expandPreset('latency-average', { job: 'a"} or vector(1) #' });
    expect(query).toContain('job="a\\"} or vector(1) #"');
  });

  test.each([
    ['nope', {}, /unknown preset "nope"; use one of error-rate, /],
    [
      'error-rate',
      { window: '5m' },
      /preset error-rate takes no parameter "window"; it takes job, namespace, labels, rate, for/,
    ],
    ['error-rate', { rate: 'soon' }, /rate "soon" is not a PromQL duration/],
    ['transaction-success-rate', { metric: 'bad metric' }, /metric "bad metric" is not a metric name/],
  ])('preset %s with %j is a configuration error', (name, params, message) => {
    expect(() => expandPreset(name, params as never, 'checks[1].preset')).toThrow(ConfigurationError);
    expect(() => expandPreset(name, params as never, 'checks[1].preset')).toThrow(message);
  });

  test('every preset names the seed rule it implements', () => {
    for (const p of Object.values(PRESETS)) expect(p.rule.length).toBeGreaterThan(10);
  });
});
