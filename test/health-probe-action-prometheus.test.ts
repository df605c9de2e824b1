import { runAction } from './harness/run-action';
import { startPrometheus, type RunningPrometheus } from './prometheus/prometheus';
import { startMetricsApp, type MetricsApp } from './servers/metrics-app';

// The business level of the health-probe action from dist/, against a real Prometheus scraping a
// real metrics endpoint every second.
let prom: RunningPrometheus;
let app: MetricsApp;

beforeAll(async () => {
  app = await startMetricsApp({ rps: 100, errorRate: 0, latency: 0.05 });
  prom = await startPrometheus([{ job: 'web', address: app.address, labels: { namespace: 'shop' } }]);
  await prom.waitForSamples('web', 3);
});

afterAll(async () => {
  await prom?.stop();
  await app?.stop();
});

/** Short windows so a change shows within seconds; the presets' real windows are minutes. */
const fast = 'job: web, namespace: shop, rate: 3s';

test('presets and a PromQL query pass on healthy traffic', async () => {
  const r = await runAction('health-probe', {
    inputs: {
      'prometheus-url': prom.url,
      checks: [
        `- {preset: latency-average, params: {${fast}}}`,
        `- {name: scraped, query: 'up{job="web"}', failWhen: '< 1'}`,
      ].join('\n'),
    },
  });
  expect(r.failedMessage).toBeUndefined();
  expect(r.code).toBe(0);
  const report = JSON.parse(r.outputs.report);
  expect(
    report.checks.map((c: { name: string; level: string; passing: boolean }) => [c.name, c.level, c.passing]),
  ).toEqual([
    ['latency-average', 'business', true],
    ['scraped', 'business', true],
  ]);
  expect(report.checks[0].observations.value).toBeCloseTo(0.05, 5);
});

test('a latency above the threshold makes the probe unhealthy in watch mode', async () => {
  app.set({ latency: 0.9 });
  try {
    const r = await runAction('health-probe', {
      inputs: {
        'prometheus-url': prom.url,
        checks: `- {preset: latency-average, params: {${fast}}}`,
        mode: 'watch',
        duration: '30s',
        interval: '1s',
        'failure-threshold': '2',
      },
      timeoutMs: 45_000,
    });
    expect(r.code).toBe(1);
    expect(r.outputs).toMatchObject({
      status: 'unhealthy',
      'should-rollback': 'true',
      'consecutive-failures': '2',
    });
    expect(r.failedMessage).toMatch(/^unhealthy: latency-average failed 2 times in a row/);
  } finally {
    app.set({ latency: 0.05 });
  }
}, 60_000);

test.each([
  [
    'bad PromQL',
    { 'prometheus-url': 'PROM', checks: `- {query: 'sum(rate(http_requests_total[1m])', failWhen: '> 1'}` },
    /Prometheus rejected sum\(rate\(http_requests_total\[1m\]\): invalid parameter "query": .*parse error: unclosed left parenthesis/,
  ],
  [
    'an unreachable Prometheus',
    { 'prometheus-url': 'http://127.0.0.1:1', checks: `- {query: 'up', failWhen: '< 1'}` },
    /^prometheus-url: Prometheus at http:\/\/127\.0\.0\.1:1 cannot be reached: .*ECONNREFUSED/,
  ],
  [
    'a Prometheus address that is not a URL',
    { 'prometheus-url': 'prometheus:9090', checks: `- {query: 'up', failWhen: '< 1'}` },
    /^prometheus-url: "prometheus:9090" must be an http:\/\/ or https:\/\/ address$/,
  ],
  [
    'an unknown preset',
    { 'prometheus-url': 'PROM', checks: `- {preset: nonsense}` },
    /^checks\[0\]\.preset: /,
  ],
  [
    'a threshold that is not one',
    { 'prometheus-url': 'PROM', checks: `- {query: 'up', failWhen: 'sometimes'}` },
    /^checks\[0\]\.failWhen: /,
  ],
])('%s ends with one clear line and no round', async (_name, inputs, message) => {
  const r = await runAction('health-probe', {
    inputs: { ...inputs, 'prometheus-url': inputs['prometheus-url'].replace('PROM', prom.url) },
  });
  expect(r.code).toBe(1);
  expect(r.failedMessage).toMatch(message);
  expect(r.failedMessage).not.toContain('\n');
  expect(r.outputs.status).toBeUndefined();
});
