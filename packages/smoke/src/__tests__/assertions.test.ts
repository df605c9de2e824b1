import { evaluate, type Expectation, type Observed } from '@upgrade-actions/smoke';

const res: Observed = {
  status: 200,
  headers: { 'content-type': 'application/json; charset=utf-8', 'x-version': '1.2.3' },
  body: JSON.stringify({
    status: 'ok',
    version: '1.2.3',
    items: [{ id: 1 }, { id: 2 }],
    nested: { on: true },
  }),
  latency: 42.5,
};

describe('evaluating assertions', () => {
  test.each<[string, Expectation | undefined, Observed, Array<[string, string, string]>]>([
    ['no expectation passes a 2xx', undefined, res, []],
    ['no expectation fails a 500', undefined, { ...res, status: 500 }, [['status', '2xx', '500']]],
    ['a listed status', { status: [200, 204] }, res, []],
    ['an unlisted status', { status: 201 }, res, [['status', '201', '200']]],
    [
      'a header matching a pattern, by any case of its name',
      { headers: { 'Content-Type': '^application/json' } },
      res,
      [],
    ],
    [
      'a header that does not match',
      { headers: { 'x-version': '^2\\.' } },
      res,
      [['header x-version', 'matches /^2\\./', '1.2.3']],
    ],
    ['a missing header', { headers: { etag: '.' } }, res, [['header etag', 'matches /./', '(absent)']]],
    ['a JSON value equal', { json: [{ path: '$.status', equals: 'ok' }] }, res, []],
    ['a JSON object deeply equal', { json: [{ path: '$.nested', equals: { on: true } }] }, res, []],
    [
      'a JSON value different',
      { json: [{ path: '$.status', equals: 'degraded' }] },
      res,
      [['json $.status', '"degraded"', '"ok"']],
    ],
    [
      'a number is not its string',
      { json: [{ path: '$.items.length', equals: '2' }] },
      res,
      [['json $.items.length', '"2"', '2']],
    ],
    ['an array length', { json: [{ path: '$.items.length', equals: 2 }] }, res, []],
    ['several matches compare as a list', { json: [{ path: '$.items[*].id', equals: [1, 2] }] }, res, []],
    ['a filter expression', { json: [{ path: '$.items[?(@.id > 1)].id', equals: 2 }] }, res, []],
    ['a value matching a pattern', { json: [{ path: '$.version', matches: '^1\\.2\\.' }] }, res, []],
    ['a path that exists', { json: [{ path: '$.nested.on', exists: true }] }, res, []],
    ['a path that should not exist', { json: [{ path: '$.error', exists: false }] }, res, []],
    [
      'a path that does not exist',
      { json: [{ path: '$.missing', exists: true }] },
      res,
      [['json $.missing', 'exists', '(absent)']],
    ],
    [
      'a JSON assertion on a text body',
      { json: [{ path: '$.a', equals: 1 }] },
      { ...res, body: 'hello' },
      [['json $.a', 'a JSON body', 'hello']],
    ],
    ['a body pattern', { body: '"status":"ok"' }, res, []],
    [
      'a body pattern that fails',
      { body: 'down' },
      { ...res, body: 'up' },
      [['body', 'matches /down/', 'up']],
    ],
    ['latency within bound', { maxLatency: '50ms' }, res, []],
    ['latency over bound', { maxLatency: '40ms' }, res, [['latency', '<= 40 ms', '42.50 ms']]],
    [
      'every failure at once',
      { status: 200, body: 'x', maxLatency: '1ms' },
      { ...res, status: 503, body: 'y' },
      [
        ['status', '200', '503'],
        ['body', 'matches /x/', 'y'],
        ['latency', '<= 1 ms', '42.50 ms'],
      ],
    ],
  ])('%s', (_name, expectation, observed, want) => {
    expect(evaluate(expectation, observed).map((f) => [f.assertion, f.expected, f.actual])).toEqual(want);
  });

  test('a long actual value is shortened', () => {
    const [f] = evaluate({ body: 'nope' }, { ...res, body: 'x'.repeat(1000) });
    expect(f.actual).toHaveLength(201);
  });
});
