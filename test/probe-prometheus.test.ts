import { ConfigurationError } from '@upgrade-actions/common';
import { buildChecks, PrometheusClient, runProbe, type ProbeInputs } from '@upgrade-actions/probe';
import { startPrometheus, type RunningPrometheus } from './prometheus/prometheus';
import { startMetricsApp, type MetricsApp } from './servers/metrics-app';

// One Prometheus for the file: it takes about a second to start and two scrapes to give rate() data.
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

const inputs = (checks: string): ProbeInputs => ({
  urls: [],
  expectedStatus: '200',
  timeout: '5s',
  checks,
  prometheusUrl: prom.url,
});
const once = (checks: string) => runProbe({ checks: buildChecks(inputs(checks)), mode: 'once' });

/** Short windows so a test sees a change within seconds; the presets' real windows are minutes. */
const fast = 'job: web, namespace: shop, rate: 3s';

describe('business-level probes against a real Prometheus', () => {
  test('an instant query returns labelled samples', async () => {
    const samples = await new PrometheusClient(prom.url).query('up{job="web"}');
    expect(samples).toEqual([
      { labels: { __name__: 'up', instance: app.address, job: 'web', namespace: 'shop' }, value: 1 },
    ]);
  });

  test('healthy traffic passes the error-rate, latency and transaction presets', async () => {
    const r = await once(
      [
        `- {preset: error-rate, params: {${fast}, for: 3s}}`,
        `- {preset: latency-average, params: {${fast}}}`,
        `- {preset: latency-p99, params: {${fast}}}`,
        `- {preset: transaction-success-rate, params: {${fast}}}`,
      ].join('\n'),
    );
    expect(r.checks.map((c) => [c.name, c.passing, c.error])).toEqual([
      ['error-rate', true, undefined],
      ['latency-average', true, undefined],
      ['latency-p99', true, undefined],
      ['transaction-success-rate', true, undefined],
    ]);
    expect(r.checks[1].observations.value).toBeCloseTo(0.05, 5);
    expect(r.status).toBe('healthy');
  });

  test('a rising error rate and latency fail every preset once Prometheus has scraped them', async () => {
    app.set({ errorRate: 0.2, latency: 0.9, transactionSuccess: 0.95 });
    try {
      const checks = buildChecks(
        inputs(
          [
            `- {preset: error-rate, params: {${fast}, for: 2s}}`,
            `- {preset: latency-average, params: {${fast}}}`,
            `- {preset: latency-p99, params: {${fast}}}`,
            `- {preset: transaction-success-rate, params: {${fast}}}`,
          ].join('\n'),
        ),
      );
      // Each gate turns as the new scrapes fill its window; poll until all four have (bounded).
      let r = await runProbe({ checks, mode: 'once' });
      for (let i = 0; i < 40 && r.checks.some((c) => c.passing); i++) {
        await new Promise((done) => setTimeout(done, 250));
        r = await runProbe({ checks, mode: 'once' });
      }
      expect(r.checks.map((c) => [c.name, c.error])).toEqual([
        ['error-rate', expect.stringMatching(/^1 of 1 sample\(s\) > 0\.01: 0\.\d+$/)],
        ['latency-average', expect.stringMatching(/^1 of 1 sample\(s\) > 0\.5: 0\.\d+$/)],
        ['latency-p99', expect.stringMatching(/^1 of 1 sample\(s\) > 0\.8: 0\.\d+$/)],
        ['transaction-success-rate', expect.stringMatching(/^1 of 1 sample\(s\) < 0\.999: 0\.9\d*$/)],
      ]);
      expect(r.status).toBe('unhealthy');
    } finally {
      app.set({ errorRate: 0, latency: 0.05, transactionSuccess: 1 });
    }
  });

  test('the error-rate preset has alerting "for" semantics: a short spike passes, a sustained rate fails', async () => {
    const checks = buildChecks(inputs('- {preset: error-rate, params: {job: web, rate: 2s, for: 4s}}'));
    const errorRate = async () => (await runProbe({ checks, mode: 'once' })).checks[0];
    // First a clean window (earlier tests raised the error rate): every point of the last 4 s under 1%.
    const ratio =
      'sum(rate(http_requests_total{code=~"5..",job="web"}[2s])) / sum(rate(http_requests_total{job="web"}[2s]))';
    const prometheus = new PrometheusClient(prom.url);
    for (let i = 0; i < 60; i++) {
      const [worst] = await prometheus.query(`max_over_time((${ratio})[4s:])`);
      if (worst && worst.value < 0.01) break;
      await new Promise((done) => setTimeout(done, 250));
    }
    // A spike of about one scrape: the minimum over the 4 s window still sees the clean seconds before it.
    app.set({ errorRate: 0.5 });
    await new Promise((done) => setTimeout(done, 1200));
    app.set({ errorRate: 0 });
    expect((await errorRate()).passing).toBe(true);
    // Sustained: once every point of the window is above 1%, the gate fails (polled, bounded).
    app.set({ errorRate: 0.5 });
    try {
      let c = await errorRate();
      for (let i = 0; i < 60 && c.passing; i++) {
        await new Promise((done) => setTimeout(done, 250));
        c = await errorRate();
      }
      expect(c.error).toMatch(/^1 of 1 sample\(s\) > 0\.01: 0\.\d+$/);
    } finally {
      app.set({ errorRate: 0 });
    }
  });

  test('a custom query with a threshold and a query without samples', async () => {
    const r = await once(
      [
        '- {name: targets-up, query: \'sum(up{job="web"})\', failWhen: "< 1"}',
        '- {name: ghost, query: \'up{job="ghost"}\', failWhen: "< 1"}',
      ].join('\n'),
    );
    expect(r.checks[0]).toMatchObject({ passing: true, observations: { value: 1 } });
    expect(r.checks[1]).toMatchObject({
      passing: false,
      error: 'query returned no samples; check the job/namespace labels or pass noData: pass',
    });
  });

  test("bad PromQL is a configuration error carrying Prometheus's own message, before any round", async () => {
    const checks = buildChecks(
      inputs("- {name: broken, query: 'sum(rate(http_requests_total[1m]', failWhen: '> 1'}"),
    );
    const run = runProbe({ checks, mode: 'once' });
    await expect(run).rejects.toThrow(ConfigurationError);
    await expect(runProbe({ checks, mode: 'once' })).rejects.toThrow(
      'Prometheus rejected sum(rate(http_requests_total[1m]: invalid parameter "query": 1:33: parse error: unclosed left parenthesis',
    );
  });

  test('an unreachable Prometheus is a configuration error naming the URL', async () => {
    const checks = buildChecks({
      ...inputs('- {preset: pod-restarts}'),
      prometheusUrl: 'http://127.0.0.1:1',
    });
    await expect(runProbe({ checks, mode: 'once' })).rejects.toThrow(
      'prometheus-url: Prometheus at http://127.0.0.1:1 cannot be reached: POST http://127.0.0.1:1/api/v1/query: connection refused (ECONNREFUSED)',
    );
  });

  test('a range selector is refused with advice to wrap it', async () => {
    await expect(new PrometheusClient(prom.url).query('up[1m]')).rejects.toThrow(
      /returns a matrix; .*rate\(\)/,
    );
  });
});
