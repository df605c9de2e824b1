import { memoryLogger } from '@upgrade-actions/common';
import { loadSmokeFile, reportJUnit, reportTable, runSmoke } from '@upgrade-actions/smoke';
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

const noWait = async () => {};
const run = (text: string, variables: Record<string, string> = {}) =>
  runSmoke(
    loadSmokeFile(text, { fileName: 'smoke.yaml', variables: { 'base-url': app.url, ...variables } }),
    { sleep: noWait },
  );

describe('smoke tests against a real HTTP server', () => {
  test('passing tests report their latency and count as passed', async () => {
    const r = await run(
      [
        'tests:',
        '  - name: health',
        '    request: {path: /healthy}',
        '    expect:',
        '      status: 200',
        '      headers: {content-type: ^application/json}',
        '      json: [{path: $.status, equals: ok}]',
        '      maxLatency: 2s',
        '  - name: echo a JSON body',
        '    request: {method: POST, path: /echo, json: {order: 42}, headers: {X-Release: "${version}"}}',
        '    expect:',
        '      json:',
        '        - {path: $.method, equals: POST}',
        '        - {path: $.body.order, equals: 42}',
        '        - {path: "$.headers[\'content-type\']", equals: application/json}',
        '        - {path: "$.headers[\'x-release\']", equals: 1.2.3}',
      ].join('\n'),
      { version: '1.2.3' },
    );
    expect(r).toMatchObject({ passed: 2, failed: 0, total: 2 });
    expect(r.steps[0]).toMatchObject({
      name: 'health',
      status: 'passed',
      attempts: 1,
      request: `GET ${app.url}/healthy`,
    });
    expect(r.steps[0].latency).toBe(Math.round(r.steps[0].latency! * 100) / 100);
  });

  test('a failing test reports each assertion with expected and actual', async () => {
    const r = await run(
      'tests:\n  - name: orders\n    request: {path: /failing}\n    expect: {status: 200, json: [{path: $.error, equals: none}]}\n',
    );
    expect(r).toMatchObject({ passed: 0, failed: 1 });
    expect(r.steps[0].failures).toEqual([
      { assertion: 'status', expected: '200', actual: '500' },
      { assertion: 'json $.error', expected: '"none"', actual: '"internal error"' },
    ]);
    expect(reportTable(r).rows).toEqual([
      ['test', 'orders', 'failed', '1', expect.stringMatching(/ ms$/), 'status', '200', '500'],
      [
        'test',
        'orders',
        'failed',
        '1',
        expect.stringMatching(/ ms$/),
        'json $.error',
        '"none"',
        '"internal error"',
      ],
    ]);
    const xml = reportJUnit(r);
    expect(xml).toContain(
      '<failure message="status: expected 200, got 500; json $.error: expected &quot;none&quot;, got &quot;internal error&quot;"',
    );
    expect(xml).toContain(`GET ${app.url}/failing (1 attempt(s))`);
  });

  test('retries with backoff wait out a warming-up service', async () => {
    const waits: number[] = [];
    const loaded = loadSmokeFile(
      'tests:\n  - name: warm\n    request: {path: "/warm?after=3"}\n    retries: {attempts: 6, backoff: 100ms, maxBackoff: 300ms}\n',
      { variables: { 'base-url': app.url } },
    );
    const r = await runSmoke(loaded, { sleep: async (ms) => void waits.push(ms) });
    expect(r.steps[0]).toMatchObject({ status: 'passed', attempts: 4 });
    expect(waits).toEqual([100, 200, 300]);
  });

  test('retries give up after the last attempt and report it', async () => {
    const r = await run(
      'defaults: {retries: {attempts: 3, backoff: 1ms}}\ntests:\n  - {name: down, request: {path: /failing}}\n',
    );
    expect(r.steps[0]).toMatchObject({ status: 'failed', attempts: 3 });
    expect(app.hits.get('/failing')).toBe(3);
  });

  test('setup captures a value for the tests; teardown runs after them', async () => {
    const r = await run(
      [
        'setup:',
        '  - {name: count, request: {path: /counter}, capture: {n: $.count}}',
        'tests:',
        '  - {name: use it, request: {path: "/echo?n=${n}"}, expect: {json: [{path: $.query.n, equals: "1"}]}}',
        'teardown:',
        '  - {name: cleanup, request: {method: DELETE, path: /echo}}',
      ].join('\n'),
    );
    expect(r.steps.map((s) => [s.phase, s.name, s.status])).toEqual([
      ['setup', 'count', 'passed'],
      ['test', 'use it', 'passed'],
      ['teardown', 'cleanup', 'passed'],
    ]);
  });

  test('a failed setup skips the tests, still runs teardown, and counts the skipped tests as failed', async () => {
    const r = await run(
      [
        'setup:',
        '  - {name: login, request: {path: /failing}}',
        'tests:',
        '  - {name: a, request: {path: /healthy}}',
        '  - {name: b, request: {path: /healthy}}',
        'teardown:',
        '  - {name: cleanup, request: {path: /counter}}',
      ].join('\n'),
    );
    expect(r.steps.map((s) => [s.name, s.status])).toEqual([
      ['login', 'failed'],
      ['a', 'skipped'],
      ['b', 'skipped'],
      ['cleanup', 'passed'],
    ]);
    expect(r).toMatchObject({ passed: 0, failed: 3, total: 2 });
    expect(app.hits.get('/healthy')).toBeUndefined();
    expect(reportJUnit(r)).toContain('<skipped message="setup step login failed"/>');
  });

  test('tests run in parallel up to the limit, reported in file order', async () => {
    const tests = Array.from({ length: 6 }, (_, i) => `  - {name: t${i}, request: {path: "/slow?ms=100"}}`);
    const r = await run(['parallelism: 3', 'tests:', ...tests].join('\n'));
    expect(r.steps.map((s) => s.name)).toEqual(['t0', 't1', 't2', 't3', 't4', 't5']);
    expect(r.passed).toBe(6);
    expect(app.maxInFlight()).toBe(3);
  });

  test('a timeout and a refused connection are reported as request errors', async () => {
    const r = await run(
      [
        'tests:',
        '  - {name: slow, request: {path: "/slow?ms=2000", timeout: 100ms}}',
        '  - {name: closed, request: {url: "http://127.0.0.1:1/x"}}',
      ].join('\n'),
    );
    expect(r.steps.map((s) => s.error)).toEqual([
      `GET ${app.url}/slow: no response within 100ms`,
      'GET http://127.0.0.1:1/x: connection refused (ECONNREFUSED)',
    ]);
    expect(reportTable(r).rows.map((row) => row.slice(5))).toEqual([
      ['request', '', `GET ${app.url}/slow: no response within 100ms`],
      ['request', '', 'GET http://127.0.0.1:1/x: connection refused (ECONNREFUSED)'],
    ]);
  });

  test('a self-signed server is reached when its CA is trusted', async () => {
    const loaded = loadSmokeFile(
      'tests:\n  - {name: tls, request: {path: /}, expect: {json: [{path: $.tls, equals: true}]}}\n',
      {
        variables: { 'base-url': tls.url },
      },
    );
    const refused = await runSmoke(loaded);
    expect(refused.steps[0].error).toMatch(/TLS: self[- ]signed certificate/);
    const trusted = await runSmoke(loaded, { tls: { ca: tls.cert.cert } });
    expect(trusted.passed).toBe(1);
  });

  test('each step is logged with its result', async () => {
    const logger = memoryLogger();
    await runSmoke(
      loadSmokeFile('tests:\n  - {name: health, request: {path: /healthy}}\n', {
        variables: { 'base-url': app.url },
      }),
      { logger },
    );
    expect(logger.lines).toEqual([
      expect.stringMatching(/^test health: passed after 1 attempt\(s\), \d+\.\d\d ms$/),
    ]);
  });
});
