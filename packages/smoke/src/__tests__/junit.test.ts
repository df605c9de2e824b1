import {
  escapeXml,
  flattenVariables,
  interpolate,
  junitXml,
  referencedVariables,
} from '@upgrade-actions/smoke';

describe('the JUnit XML writer', () => {
  test('writes suites, passing, failing and skipped cases in the shape reporters read', () => {
    const xml = junitXml({
      name: 'smoke-test',
      timestamp: '2026-01-01T00:00:00.000Z',
      cases: [
        { name: 'health', classname: 'smoke-test.test', time: 0.0123 },
        {
          name: 'orders',
          classname: 'smoke-test.test',
          time: 0.5,
          failure: { message: 'status: expected 200, got 500', details: 'GET http://app/orders' },
        },
        { name: 'later', classname: 'smoke-test.test', time: 0, skipped: 'setup step login failed' },
      ],
    });
    expect(xml).toBe(
      [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<testsuites name="smoke-test" tests="3" failures="1" errors="0" time="0.512">',
        '  <testsuite name="smoke-test" tests="3" failures="1" errors="0" skipped="1" time="0.512" timestamp="2026-01-01T00:00:00.000Z">',
        '    <testcase name="health" classname="smoke-test.test" time="0.012"/>',
        '    <testcase name="orders" classname="smoke-test.test" time="0.500">',
        '      <failure message="status: expected 200, got 500" type="AssertionError">GET http://app/orders</failure>',
        '    </testcase>',
        '    <testcase name="later" classname="smoke-test.test" time="0.000">',
        '      <skipped message="setup step login failed"/>',
        '    </testcase>',
        '  </testsuite>',
        '</testsuites>',
        '',
      ].join('\n'),
    );
  });

  test.each([
    ['<a href="x">&\'</a>', '&lt;a href=&quot;x&quot;&gt;&amp;&apos;&lt;/a&gt;'],
    ['bell\u0007 and nul\u0000 dropped', 'bell and nul dropped'],
    ['tab\tand newline\nkept', 'tab\tand newline\nkept'],
  ])('escapes %j', (text, want) => expect(escapeXml(text)).toBe(want));
});

describe('variables', () => {
  test.each([
    ['/items/${id}', { id: '7' }, '/items/7'],
    ['${base-url}/x', { 'base-url': 'http://a' }, 'http://a/x'],
    ['${release.namespace}', { 'release.namespace': 'shop' }, 'shop'],
    ['$${literal} stays', {}, '${literal} stays'],
    ['no refs', {}, 'no refs'],
  ])('%s with %j is %s', (text, vars, want) => expect(interpolate(text, vars)).toBe(want));

  test('references are found in nested values but not escaped ones', () => {
    expect([...referencedVariables({ a: ['${x}', { b: '${y} $${z}' }], c: 1 })]).toEqual(['x', 'y']);
  });

  test('a release descriptor flattens into dotted variables', () => {
    expect(
      flattenVariables('release', {
        namespace: 'shop',
        cluster: { context: 'kind' },
        workloads: [{ name: 'web' }],
      }),
    ).toEqual({
      'release.namespace': 'shop',
      'release.cluster.context': 'kind',
      'release.workloads.0.name': 'web',
    });
  });
});
