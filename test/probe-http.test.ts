import { ConfigurationError } from '@upgrade-actions/common';
import { buildChecks, runProbe, secretValues, type ProbeInputs } from '@upgrade-actions/probe';
import { startTestApp, type TestApp } from './servers/test-app';
import { startTlsServer, type TlsServer } from './servers/tls-server';

let app: TestApp;
let tls: TlsServer;

beforeAll(async () => {
  [app, tls] = await Promise.all([startTestApp(), startTlsServer()]);
});
afterAll(async () => {
  await Promise.all([app.stop(), tls.stop()]);
});
beforeEach(() => app.reset());

const inputs = (over: Partial<ProbeInputs>): ProbeInputs => ({
  urls: [],
  expectedStatus: '200',
  timeout: '5s',
  ...over,
});
const once = (over: Partial<ProbeInputs>) => runProbe({ checks: buildChecks(inputs(over)), mode: 'once' });

describe('service-level probes against real HTTP servers', () => {
  test('a healthy endpoint is healthy, with latency in ms to two decimals', async () => {
    const r = await once({ urls: [`${app.url}/healthy`] });
    expect(r.status).toBe('healthy');
    expect(r.shouldRollback).toBe(false);
    expect(r.checks[0]).toMatchObject({ level: 'service', target: `${app.url}/healthy`, passing: true });
    expect(r.latency).toBe(Math.round(r.latency! * 100) / 100);
    expect(r.latency).toBeGreaterThan(0);
    expect(Date.parse(r.timestamp)).not.toBeNaN();
  });

  test('a failing endpoint is unhealthy in once mode and says what it got', async () => {
    const r = await once({ urls: [`${app.url}/failing`] });
    expect(r).toMatchObject({ status: 'unhealthy', shouldRollback: true, consecutiveFailures: 1 });
    expect(r.error).toBe(`${app.url}/failing failed once: status 500, expected 200`);
  });

  test('a slow endpoint fails when it does not answer within the timeout', async () => {
    const r = await once({ urls: [`${app.url}/slow?ms=3000`], timeout: '300ms' });
    expect(r.status).toBe('unhealthy');
    expect(r.checks[0].error).toBe(`GET ${app.url}/slow: no response within 300ms`);
    expect(r.checks[0].observations).toEqual({ failure: 'timeout' });
  });

  test('a slow endpoint fails the latency bound while answering 200', async () => {
    const r = await once({ urls: [`${app.url}/slow?ms=150`], maxLatency: '50ms' });
    expect(r.status).toBe('unhealthy');
    expect(r.checks[0].observations.status).toBe(200);
    expect(r.checks[0].error).toMatch(/^latency \d+\.\d\d ms over 50 ms$/);
  });

  test('a closed port is a connection refused failure', async () => {
    const closed = await startTestApp();
    const url = `${closed.url}/healthy`;
    await closed.stop();
    const r = await once({ urls: [url] });
    expect(r.checks[0].error).toBe(`GET ${closed.url}/healthy: connection refused (ECONNREFUSED)`);
  });

  test('expected statuses may be a list, and the body may be matched', async () => {
    const r = await once({
      urls: [`${app.url}/status/204`, `${app.url}/healthy`],
      expectedStatus: '200\n204',
      bodyMatch: '^$|"ok"',
    });
    expect(r.status).toBe('healthy');
    const bad = await once({ urls: [`${app.url}/healthy`], bodyMatch: '"degraded"' });
    expect(bad.checks[0].error).toBe('body does not match /"degraded"/');
  });

  test('method and headers are sent as given, and header values are reported as secrets to mask', async () => {
    const i = inputs({
      checks: `- name: echo\n  url: ${app.url}/echo\n  method: POST\n  body: '{"a":1}'\n  headers: {Authorization: Bearer s3cret}\n  bodyMatch: '"authorization":"Bearer s3cret"'`,
    });
    expect(secretValues(i)).toEqual(['Bearer s3cret']);
    const r = await runProbe({ checks: buildChecks(i), mode: 'once' });
    expect(r.status).toBe('healthy');
    expect(JSON.stringify(r)).not.toContain('s3cret');
  });

  test('a self-signed certificate is refused by default with a hint', async () => {
    const r = await once({ urls: [tls.url] });
    expect(r.status).toBe('unhealthy');
    expect(r.checks[0].error).toMatch(
      /^GET https:\/\/127\.0\.0\.1:\d+\/: TLS: self[- ]signed certificate \(DEPTH_ZERO_SELF_SIGNED_CERT\); trust the server with a CA file/,
    );
  });

  test('a self-signed certificate is trusted through a CA file', async () => {
    expect((await once({ urls: [tls.url], caFile: tls.cert.certFile })).status).toBe('healthy');
  });

  test('a self-signed certificate is accepted when verification is skipped', async () => {
    expect((await once({ urls: [tls.url], insecureSkipTlsVerify: true })).status).toBe('healthy');
  });

  test('a missing CA file is a configuration error before any request', () => {
    expect(() => buildChecks(inputs({ urls: [tls.url], caFile: '/nonexistent/ca.pem' }))).toThrow(
      /^ca-file: cannot read CA file \/nonexistent\/ca\.pem \(ENOENT\)$/,
    );
  });
});

describe('watch mode against real HTTP servers', () => {
  test('a flapping endpoint never reaches the threshold and stays healthy for the whole duration', async () => {
    app.flap(['fail', 'ok']);
    const r = await runProbe({
      checks: buildChecks(inputs({ urls: [`${app.url}/flapping`] })),
      mode: 'watch',
      durationMs: 600,
      intervalMs: 100,
      failureThreshold: 2,
    });
    expect(r.status).toBe('healthy');
    expect(r.rounds).toBe(6);
    expect(r.checks[0]).toMatchObject({ failures: 3, maxConsecutiveFailures: 1 });
  });

  test('an endpoint that starts failing trips after the threshold and stops the watch early', async () => {
    let rounds = 0;
    const r = await runProbe({
      checks: buildChecks(inputs({ urls: [`${app.url}/switch`] })),
      mode: 'watch',
      durationMs: 60_000,
      intervalMs: 50,
      failureThreshold: 3,
      onRound: (n) => {
        rounds = n;
        if (n === 2) app.failFrom();
      },
    });
    expect(r).toMatchObject({ status: 'unhealthy', shouldRollback: true, consecutiveFailures: 3, rounds: 5 });
    expect(rounds).toBe(5);
    expect(r.error).toBe(`${app.url}/switch failed 3 times in a row: status 503, expected 200`);
  });

  test('an abort signal ends the watch with the report so far', async () => {
    const ctl = new AbortController();
    const r = await runProbe({
      checks: buildChecks(inputs({ urls: [`${app.url}/healthy`] })),
      mode: 'watch',
      durationMs: 60_000,
      intervalMs: 50,
      signal: ctl.signal,
      onRound: (n) => n === 3 && ctl.abort(),
    });
    expect(r).toMatchObject({ status: 'healthy', rounds: 3 });
  });

  test('one hundred endpoints are probed concurrently in one round', async () => {
    const urls = Array.from({ length: 100 }, (_, i) => `${app.url}/healthy?i=${i}`);
    const r = await once({ urls });
    expect(r.checks).toHaveLength(100);
    expect(r.status).toBe('healthy');
    expect(app.hits.get('/healthy')).toBe(100);
  });
});

describe('probe inputs', () => {
  test.each([
    [{ urls: ['not a url'] }, /^urls: "not a url" is neither a URL/],
    [{ urls: [] }, /^urls: nothing to probe/],
    [{ urls: ['http://a'], timeout: 'soon' }, /^timeout: "soon" is not a duration/],
    [{ urls: ['http://a'], expectedStatus: 'ok' }, /^expected-status: "ok" is not a status code/],
    [{ urls: ['http://a'], bodyMatch: '(' }, /^body-match: "\(" is not a regular expression/],
    [{ urls: ['http://a'], headers: ['no colon'] }, /^headers: "no colon" is not a header/],
    [{ urls: ['http://a', 'http://a'] }, /^checks: two checks are named "http:\/\/a\/"/],
    [{ checks: 'a: [' }, /^checks: not valid YAML/],
    [{ checks: 'a: 1' }, /^checks: must be a YAML list/],
    [{ checks: '- url: http://a\n  color: red' }, /^checks\[0\]: Unrecognized key: "color"/],
    [
      { checks: '- preset: error-rate' },
      /^checks\[0\]: a business-level check needs the prometheus-url input/,
    ],
    [{ checks: '- query: up', prometheusUrl: 'http://p' }, /^checks\[0\]: a query needs failWhen/],
    [
      { checks: '- preset: error-rate\n  query: up', prometheusUrl: 'http://p' },
      /^checks\[0\]: give either preset or query/,
    ],
    [{ checks: '- preset: nope', prometheusUrl: 'http://p' }, /^checks\[0\]\.preset: unknown preset "nope"/],
    [
      { checks: '- query: up\n  failWhen: big', prometheusUrl: 'http://p' },
      /^checks\[0\]\.failWhen: "big" is not a threshold/,
    ],
    [
      { checks: '- preset: error-rate', prometheusUrl: 'prom:9090' },
      /^prometheus-url: "prom:9090" must be an http/,
    ],
    [{ urls: ['web:8080/healthz'] }, /target web:8080\/healthz is a service; it needs a cluster/],
  ])('%j is a configuration error', (over, message) => {
    expect(() => buildChecks(inputs(over as Partial<ProbeInputs>))).toThrow(ConfigurationError);
    expect(() => buildChecks(inputs(over as Partial<ProbeInputs>))).toThrow(message);
  });
});
