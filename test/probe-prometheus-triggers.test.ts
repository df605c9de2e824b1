import { buildChecks, releaseBaseline, runProbe } from '@upgrade-actions/probe';
import { startPrometheus, type RunningPrometheus } from './prometheus/prometheus';
import { startMetricsApp, type MetricsApp } from './servers/metrics-app';

// The seed's last two rollback triggers (SEEDS.md §1) against a real Prometheus: a core business metric
// down more than 30% against its value before the deploy, and a container at 100% of its CPU limit for
// more than 3 minutes. Windows are seconds here; the presets' real ones are minutes.

let prom: RunningPrometheus;
let app: MetricsApp;

beforeAll(async () => {
  app = await startMetricsApp({ rps: 200, cpu: 0.1, cpuLimit: 0.5 });
  prom = await startPrometheus([{ job: 'web', address: app.address, labels: { namespace: 'shop' } }]);
  await prom.waitForSamples('web', 3);
}, 60_000);
afterAll(async () => {
  await prom?.stop();
  await app?.stop();
});

const probe = (checks: string, presetDefaults: Record<string, string> = {}) =>
  runProbe({
    checks: buildChecks(
      { urls: [], expectedStatus: '200', timeout: '5s', checks, prometheusUrl: prom.url },
      {},
      { presetDefaults },
    ),
    mode: 'once',
  });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('business-metric-drop: steady traffic passes; a 50% drop against the rate before the deploy fails', async () => {
  await sleep(12_000); // a baseline: 12 s of steady traffic
  // Windows of several scrapes: a loaded CI machine scrapes late, and rate() needs two samples in a window.
  const drop = `- {preset: business-metric-drop, params: {job: web, rate: 5s, baseline: 6s}}`;
  const steady = await probe(drop);
  expect(steady.checks[0].passing).toBe(true);
  expect(steady.checks[0].observations.value).toBeGreaterThan(0.8);
  app.set({ rps: 100 });
  await sleep(7000);
  const after = await probe(drop);
  expect(after.checks[0].passing).toBe(false);
  expect(after.checks[0].observations.value).toBeLessThan(0.7);
  expect(after.checks[0].error).toMatch(/^1 of 1 sample\(s\) < 0\.7: 0\.[45]/);
  app.set({ rps: 200 });
}, 60_000);

test('business-metric-drop watches successful transactions by default: failures taking their place still fail it', async () => {
  await sleep(7000); // a baseline of steady, all-successful traffic
  const drop = (params: string) =>
    `- {preset: business-metric-drop, params: {job: web, rate: 5s, baseline: 6s${params}}}`;
  app.set({ transactionSuccess: 0.5 }); // same traffic, half of it failing
  await sleep(7000);
  const success = await probe(drop(''));
  expect(success.checks[0].target).toContain('business_transactions_total{outcome="success",job="web"}');
  expect(success.checks[0].passing).toBe(false);
  expect(success.checks[0].observations.value).toBeLessThan(0.7);
  // All transactions counted, the drop is invisible: why the default selects the successful ones.
  const all = await probe(drop(', metric: business_transactions_total'));
  expect(all.checks[0].passing).toBe(true);
  expect(all.checks[0].observations.value).toBeGreaterThan(0.8);
  app.set({ transactionSuccess: 1 });
  expect(() => probe(drop(', metric: "rate(x[5m])"'))).toThrow(
    /metric "rate\(x\[5m\]\)" is not a metric name or selector/,
  );
}, 60_000);

test("business-metric-drop's baseline defaults to the time since the release was created", () => {
  const now = Date.parse('2026-12-05T12:10:00Z');
  expect(releaseBaseline({ createdAt: '2026-12-05T12:00:00Z' } as never, () => now)).toEqual({
    baseline: '600s',
  });
  expect(releaseBaseline({ createdAt: '2026-12-05T12:09:50Z' } as never, () => now)).toEqual({
    baseline: '60s',
  });
  expect(releaseBaseline(undefined)).toEqual({});
  const [check] = buildChecks(
    {
      urls: [],
      expectedStatus: '200',
      timeout: '5s',
      checks: '- {preset: business-metric-drop}',
      prometheusUrl: prom.url,
    },
    {},
    { presetDefaults: { baseline: '600s' } },
  );
  expect(check.target).toContain('offset 600s');
  // A preset that takes no baseline is not given one.
  expect(() =>
    buildChecks(
      {
        urls: [],
        expectedStatus: '200',
        timeout: '5s',
        checks: '- {preset: error-rate}',
        prometheusUrl: prom.url,
      },
      {},
      { presetDefaults: { baseline: '600s' } },
    ),
  ).not.toThrow();
});

test('cpu-saturation: below the limit passes; at the limit for the whole window fails', async () => {
  const sat = `- {preset: cpu-saturation, params: {job: web, rate: 4s, for: 3s}}`;
  const ok = await probe(sat);
  expect(ok.checks[0].passing).toBe(true);
  expect(ok.checks[0].observations.value).toBeLessThan(0.5); // 0.1 of a 0.5 limit: about 0.2
  app.set({ cpu: 0.5 });
  await sleep(9000);
  const hot = await probe(sat);
  expect(hot.checks[0].passing).toBe(false);
  expect(hot.checks[0].observations.value).toBeGreaterThanOrEqual(0.95);
  app.set({ cpu: 0.1 });
}, 60_000);
