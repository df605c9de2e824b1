import { runAction } from './harness/run-action';
import { startTestApp, type TestApp } from './servers/test-app';
import { startTlsServer, type TlsServer } from './servers/tls-server';

// The health-probe action from dist/, as the runner runs it, against a real HTTP server.
let app: TestApp;
let tls: TlsServer;

beforeAll(async () => {
  app = await startTestApp();
  tls = await startTlsServer();
});

afterAll(async () => {
  await app?.stop();
  await tls?.stop();
});

beforeEach(() => app.reset());

describe('service level, URLs', () => {
  test('healthy URLs probed once exit 0 with the outputs and a summary table', async () => {
    const r = await runAction('health-probe', {
      inputs: { urls: `${app.url}/healthy\n${app.url}/status/204`, 'expected-status': '200,204' },
    });
    expect(r.failedMessage).toBeUndefined();
    expect(r.code).toBe(0);
    expect(r.outputs).toMatchObject({
      status: 'healthy',
      'should-rollback': 'false',
      'consecutive-failures': '0',
      'rolled-back': '',
    });
    const report = JSON.parse(r.outputs.report);
    expect(report).toMatchObject({ status: 'healthy', mode: 'once', rounds: 1 });
    expect(typeof report.latency).toBe('number');
    expect(new Date(report.timestamp).toISOString()).toBe(report.timestamp);
    expect(report.checks.map((c: { target: string; level: string }) => [c.level, c.target])).toEqual([
      ['service', `${app.url}/healthy`],
      ['service', `${app.url}/status/204`],
    ]);
    expect(r.summary).toContain('Health probe: healthy');
    expect(r.summary).toMatch(/<th>Check<\/th>.*<th>Failures in a row<\/th>/s);
    expect(r.summary).toContain(`${app.url}/status/204`);
  });

  test('a failing service in watch mode is unhealthy after exactly failure-threshold failures in a row', async () => {
    const r = await runAction('health-probe', {
      inputs: {
        urls: `${app.url}/healthy\n${app.url}/failing`,
        mode: 'watch',
        duration: '60s',
        interval: '200ms',
        'failure-threshold': '3',
      },
    });
    expect(r.code).toBe(1);
    expect(r.outputs).toMatchObject({
      status: 'unhealthy',
      'should-rollback': 'true',
      'consecutive-failures': '3',
    });
    // The watch stops as soon as the threshold is reached: three requests, not a minute's worth.
    expect(app.hits.get('/failing')).toBe(3);
    const report = JSON.parse(r.outputs.report);
    expect(report).toMatchObject({ status: 'unhealthy', mode: 'watch', rounds: 3, failureThreshold: 3 });
    expect(report.error).toMatch(/failed 3 times in a row: .*500/);
    expect(r.failedMessage).toMatch(/^unhealthy: .*\/failing failed 3 times in a row/);
    expect(r.failedMessage).not.toContain('\n');
    expect(r.summary).toContain('Health probe: unhealthy');
    expect(r.summary).toContain('3/3');
    // Round failures are log lines; the verdict is the one annotation.
    expect(r.stdout).toMatch(/round 2: .*\/failing failed \(2\/3 in a row\)/);
    expect(r.annotations.filter((a) => a.level !== 'debug').map((a) => a.level)).toEqual(['error']);
  });

  test('with fail: false an unhealthy probe sets its outputs and exits 0', async () => {
    const r = await runAction('health-probe', {
      inputs: { urls: `${app.url}/failing`, fail: 'false' },
    });
    expect(r.code).toBe(0);
    expect(r.outputs).toMatchObject({
      status: 'unhealthy',
      'should-rollback': 'true',
      'consecutive-failures': '1',
    });
    expect(r.annotations.filter((a) => a.level !== 'debug')).toEqual([
      expect.objectContaining({
        level: 'warning',
        message: expect.stringMatching(/^unhealthy: .*\/failing failed once/),
      }),
    ]);
  });

  test('a flapping service that never fails failure-threshold times in a row stays healthy', async () => {
    app.flap(['fail', 'ok']);
    const r = await runAction('health-probe', {
      inputs: {
        urls: `${app.url}/flapping`,
        mode: 'watch',
        duration: '1s',
        interval: '200ms',
        'failure-threshold': '2',
      },
    });
    expect(r.code).toBe(0);
    expect(r.outputs.status).toBe('healthy');
    expect(r.outputs['consecutive-failures']).toBe('1');
    expect(JSON.parse(r.outputs.report).rounds).toBe(5);
  });

  test('header values are masked and appear in no output', async () => {
    const r = await runAction('health-probe', {
      inputs: {
        urls: `${app.url}/echo`,
        headers: 'Authorization: Bearer s3cret-token',
        checks: `- {url: '${app.url}/healthy', headers: {X-Api-Key: k3y-value}, bodyMatch: ok}`,
        'body-match': 's3cret-token',
      },
    });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('::add-mask::Bearer s3cret-token');
    const rest = r.stdout.replace('::add-mask::Bearer s3cret-token', '');
    expect(rest).not.toContain('s3cret');
    expect(r.outputs.report).not.toContain('s3cret');
    expect(r.stdout).toContain('::add-mask::k3y-value');
    expect(rest.replace('::add-mask::k3y-value', '')).not.toContain('k3y-value');
    expect(r.summary).not.toContain('s3cret');
  });
});

describe('TLS options', () => {
  test('a self-signed certificate fails, and passes with its CA from the workspace or with skip-verify', async () => {
    const refused = await runAction('health-probe', { inputs: { urls: tls.url, fail: 'false' } });
    expect(refused.outputs.status).toBe('unhealthy');
    expect(JSON.parse(refused.outputs.report).checks[0].observations.failure).toBe('tls');

    const trusted = await runAction('health-probe', {
      workspace: tls.cert.dir,
      inputs: { urls: tls.url, 'ca-file': 'cert.pem' },
    });
    expect(trusted.failedMessage).toBeUndefined();
    expect(trusted.outputs.status).toBe('healthy');

    const skipped = await runAction('health-probe', {
      inputs: { urls: tls.url, 'insecure-skip-tls-verify': 'true' },
    });
    expect(skipped.outputs.status).toBe('healthy');
  });

  test('a CA file that cannot be read is refused naming the input', async () => {
    const r = await runAction('health-probe', { inputs: { urls: tls.url, 'ca-file': 'missing.pem' } });
    expect(r.code).toBe(1);
    expect(r.failedMessage).toMatch(/^ca-file: cannot read CA file .*missing\.pem \(ENOENT\)$/);
  });
});

describe('bad input ends with one clear line before any request', () => {
  test.each([
    ['a target that is not a URL', { urls: 'not a url' }, /^urls: "not a url" is neither a URL/],
    ['an unknown mode', { mode: 'sometimes' }, /^Input 'mode' must be one of once, watch, got "sometimes"$/],
    ['a bad expected status', { 'expected-status': '2xx,abc' }, /^expected-status: /],
    [
      'a failure threshold of 0',
      { 'failure-threshold': '0' },
      /^Input 'failure-threshold' must be a whole number of at least 1/,
    ],
    [
      'an interval that is not a duration',
      { mode: 'watch', interval: 'often' },
      /^interval: "often" is not a duration/,
    ],
    ['a header without a name', { headers: 'no colon here' }, /^headers: "no colon here" is not a header/],
    ['a body pattern that is not a regular expression', { 'body-match': '(' }, /^body-match: /],
    [
      'a malformed release',
      { release: '{"version": "v1",' },
      /^input 'release' is not valid JSON \(.*\); pass the 'release' output of the deploy step$/,
    ],
    [
      'rollback-on-failure without a release',
      { 'rollback-on-failure': 'true' },
      /^rollback-on-failure: needs the deploy step's release output in release$/,
    ],
    [
      'a business check with no Prometheus',
      { checks: '- query: up\n  failWhen: "< 1"' },
      /^checks\[0\]: a business-level check needs the prometheus-url input$/,
    ],
    [
      'an unreachable Prometheus',
      { checks: '- query: up\n  failWhen: "< 1"', 'prometheus-url': 'http://127.0.0.1:1' },
      /^prometheus-url: /,
    ],
  ])('%s', async (_name, inputs, message) => {
    const r = await runAction('health-probe', { inputs: { urls: `${app.url}/healthy`, ...inputs } });
    expect(r.code).toBe(1);
    expect(r.failedMessage).toMatch(message);
    expect(r.failedMessage).not.toContain('\n');
    expect(r.stdout).not.toMatch(/^\s+at /m);
    expect(app.hits.get('/healthy') ?? 0).toBe(0);
    expect(r.outputs.status).toBeUndefined();
  });
});
