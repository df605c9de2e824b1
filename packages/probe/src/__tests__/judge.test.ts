import {
  judgeResponse,
  judgeSamples,
  parseStatusSet,
  parseTarget,
  parseThreshold,
  samplesFromResponse,
  parseSampleValue,
  type HttpCheckSpec,
} from '@upgrade-actions/probe';

const spec = (over: Partial<HttpCheckSpec> = {}): HttpCheckSpec => ({
  name: 'api',
  target: parseTarget('http://127.0.0.1/health'),
  method: 'GET',
  headers: {},
  expectedStatus: parseStatusSet('200'),
  timeoutMs: 5000,
  tls: {},
  ...over,
});
const response = (status: number, body: string, latency: number) => ({
  status,
  headers: {},
  body: Buffer.from(body),
  latency,
});

describe('judging an HTTP response', () => {
  test.each([
    ['an expected status', spec(), response(200, '', 3.21), true, undefined],
    ['an unexpected status', spec(), response(503, '', 3.21), false, 'status 503, expected 200'],
    [
      'a status in a list',
      spec({ expectedStatus: parseStatusSet('200,204') }),
      response(204, '', 1),
      true,
      undefined,
    ],
    [
      'a matching body',
      spec({ bodyMatch: /"status":"ok"/ }),
      response(200, '{"status":"ok"}', 1),
      true,
      undefined,
    ],
    [
      'a body that does not match',
      spec({ bodyMatch: /ok/ }),
      response(200, 'down', 1),
      false,
      'body does not match /ok/',
    ],
    [
      'an answer within the latency bound',
      spec({ maxLatencyMs: 500 }),
      response(200, '', 499.99),
      true,
      undefined,
    ],
    [
      'a slow answer',
      spec({ maxLatencyMs: 500 }),
      response(200, '', 612.5),
      false,
      'latency 612.50 ms over 500 ms',
    ],
    [
      'several problems at once',
      spec({ bodyMatch: /ok/, maxLatencyMs: 10 }),
      response(500, 'x', 20),
      false,
      'status 500, expected 200; body does not match /ok/; latency 20.00 ms over 10 ms',
    ],
  ])('%s', (_name, s, res, ok, error) => {
    const r = judgeResponse(s, res);
    expect(r.ok).toBe(ok);
    expect(r.error).toBe(error);
    expect(r.latency).toBe(res.latency);
    expect(r.observations.status).toBe(res.status);
  });
});

describe('judging Prometheus samples', () => {
  const biz = (failWhen: string, noData: 'fail' | 'pass' = 'fail') => ({
    name: 'q',
    query: 'q',
    failWhen: parseThreshold(failWhen),
    noData,
  });
  const s = (value: number, labels: Record<string, string> = {}) => ({ labels, value });

  test.each([
    ['a value under an upper bound', '> 0.01', [s(0.005)], true, undefined],
    ['a value over an upper bound', '> 0.01', [s(0.02)], false, '1 of 1 sample(s) > 0.01: 0.02'],
    ['a value under a lower bound', '< 0.999', [s(0.99)], false, '1 of 1 sample(s) < 0.999: 0.99'],
    ['NaN from no traffic', '> 0.01', [s(NaN)], true, undefined],
    [
      'the worst of several labelled samples',
      '> 3',
      [s(1, { pod: 'a' }), s(7, { pod: 'b' }), s(5, { pod: 'c' })],
      false,
      '2 of 3 sample(s) > 3: 7 {pod="b"}',
    ],
    [
      'no samples, failing by default',
      '> 1',
      [],
      false,
      'query returned no samples; check the job/namespace labels or pass noData: pass',
    ],
  ])('%s', (_name, failWhen, samples, ok, error) => {
    const r = judgeSamples(biz(failWhen), samples);
    expect(r.ok).toBe(ok);
    expect(r.error).toBe(error);
  });

  test('no samples pass when noData is pass', () => {
    expect(judgeSamples(biz('> 1', 'pass'), []).ok).toBe(true);
  });

  test.each([
    ['1.5', 1.5],
    ['+Inf', Infinity],
    ['-Inf', -Infinity],
  ])('Prometheus value %s reads as %d', (text, want) => expect(parseSampleValue(text)).toBe(want));

  test('a scalar result is one sample without labels', () => {
    expect(
      samplesFromResponse({ status: 'success', data: { resultType: 'scalar', result: [1, '2'] } }, 'q'),
    ).toEqual([{ labels: {}, value: 2 }]);
  });

  test('a range vector result is a configuration error telling to wrap it', () => {
    expect(() =>
      samplesFromResponse({ status: 'success', data: { resultType: 'matrix', result: [] } }, 'up[5m]'),
    ).toThrow(/query up\[5m\] returns a matrix; .*wrap a range selector in rate\(\)/);
  });
});
