import { ConfigurationError } from '@upgrade-actions/common';
import { loadSmokeFile } from '@upgrade-actions/smoke';

const load = (text: string, variables: Record<string, string> = { 'base-url': 'http://app' }) =>
  loadSmokeFile(text, { fileName: 'smoke.yaml', variables });

describe('loading a smoke test file', () => {
  test('a valid file loads with its variables merged over the inputs', () => {
    const loaded = load(
      [
        'variables:',
        '  version: 1.2.3',
        'tests:',
        '  - name: health',
        '    request: {path: /health}',
        '    expect:',
        '      status: [200, 204]',
        '      json:',
        '        - {path: $.version, equals: "${version}"}',
      ].join('\n'),
    );
    expect(loaded.variables).toEqual({ 'base-url': 'http://app', version: '1.2.3' });
    expect(loaded.file.tests[0].expect?.status).toEqual([200, 204]);
  });

  test.each([
    [
      'YAML syntax',
      'tests:\n  - name: a\n    request: {path: /x\n',
      /^smoke\.yaml:\d+:\d+: not valid YAML: /,
    ],
    ['no tests', 'tests: []\n', /^smoke\.yaml:1:8: tests: a smoke test file needs at least one test$/],
    [
      'an unknown key, pointed at the key',
      'tests:\n  - name: a\n    request: {path: /x}\n    expcet: {status: 200}\n',
      /^smoke\.yaml:4:5: tests\[0\]: Unrecognized key: "expcet"$/,
    ],
    [
      'a wrong type, pointed at the value',
      'tests:\n  - name: a\n    request: {path: /x}\n    retries: {attempts: many}\n',
      /^smoke\.yaml:4:25: tests\[0\]\.retries\.attempts: Invalid input: expected number, received string$/,
    ],
    [
      'a missing request',
      'tests:\n  - name: a\n',
      /^smoke\.yaml:2:5: tests\[0\]\.request: Invalid input: expected object, received undefined$/,
    ],
    [
      'both path and url',
      'tests:\n  - name: a\n    request: {path: /x, url: "http://y"}\n',
      /^smoke\.yaml:3:14: tests\[0\]\.request: give either path \(joined to baseUrl\) or url$/,
    ],
    [
      'a bad regular expression',
      'tests:\n  - name: a\n    request: {path: /x}\n    expect:\n      body: "(unclosed"\n',
      /^smoke\.yaml:5:13: tests\[0\]\.expect\.body: Invalid regular expression/,
    ],
    [
      'a bad status',
      'tests:\n  - name: a\n    request: {path: /x}\n    expect: {status: "ok"}\n',
      /^smoke\.yaml:4:22: tests\[0\]\.expect\.status: status: "ok" is not a status code/,
    ],
    [
      'a JSONPath without $',
      'tests:\n  - name: a\n    request: {path: /x}\n    expect:\n      json: [{path: status, equals: ok}]\n',
      /^smoke\.yaml:5:21: tests\[0\]\.expect\.json\[0\]\.path: a JSONPath starts with \$/,
    ],
    [
      'two matchers in one JSON assertion',
      'tests:\n  - name: a\n    request: {path: /x}\n    expect:\n      json: [{path: $.a, equals: 1, exists: true}]\n',
      /tests\[0\]\.expect\.json\[0\]: give exactly one of equals, matches or exists/,
    ],
    [
      'an undefined variable',
      'tests:\n  - name: a\n    request: {path: "/x/${token}"}\n',
      /^smoke\.yaml:2:5: tests\[0\]: variable \$\{token\} is not defined; define it under variables, pass it as an input, or capture it in setup$/,
    ],
    [
      'a capture outside setup',
      'tests:\n  - name: a\n    request: {path: /x}\n    capture: {id: $.id}\n',
      /tests\[0\]\.capture: only setup steps capture variables/,
    ],
    [
      'a bad duration',
      'defaults: {timeout: soon}\ntests:\n  - {name: a, request: {path: /x}}\n',
      /^smoke\.yaml:1:21: defaults\.timeout: expected a duration/,
    ],
    [
      'a duplicate key',
      'tests: []\ntests: []\n',
      /^smoke\.yaml:2:1: not valid YAML: Map keys must be unique/,
    ],
  ])('%s is a configuration error with its line', (_name, text, message) => {
    expect(() => load(text)).toThrow(ConfigurationError);
    expect(() => load(text)).toThrow(message);
  });

  test('a path without any base URL is refused, pointing at the path', () => {
    expect(() => load('tests:\n  - name: a\n    request:\n      path: /x\n', {})).toThrow(
      /^smoke\.yaml:4:13: tests\[0\]\.request\.path: a path needs baseUrl in the file or the base-url input$/,
    );
  });

  test('the path error names the base URL input as the caller calls it', () => {
    expect(() =>
      loadSmokeFile('tests:\n  - name: a\n    request:\n      path: /x\n', {
        fileName: 'smoke.yaml',
        baseUrlName: 'smoke-base-url',
      }),
    ).toThrow(/a path needs baseUrl in the file or the smoke-base-url input$/);
  });

  test('a variable in baseUrl that nothing defines is refused at load, pointing at baseUrl', () => {
    expect(() => load('baseUrl: "http://${host}"\ntests:\n  - {name: a, request: {path: /x}}\n')).toThrow(
      /^smoke\.yaml:1:10: baseUrl: variable \$\{host\} is not defined/,
    );
  });

  test('a variable captured in setup is known to the tests after it', () => {
    const text = [
      'setup:',
      '  - {name: login, request: {path: /login}, capture: {token: $.token}}',
      'tests:',
      '  - {name: me, request: {path: /me, headers: {Authorization: "Bearer ${token}"}}}',
    ].join('\n');
    expect(() => load(text)).not.toThrow();
  });

  test('several problems are reported together', () => {
    const text = 'tests:\n  - {name: a, request: {path: "/${x}"}}\n  - {name: b, request: {path: "/${y}"}}\n';
    expect(() => load(text)).toThrow(/\$\{x\}[^]*\n.*\$\{y\}/);
  });
});
