import { ConfigurationError } from '@upgrade-actions/common';
import { breaches, parseThreshold, parseStatusSet, roundMs } from '@upgrade-actions/probe';

describe('thresholds', () => {
  test.each([
    ['> 0.01', { op: '>', value: 0.01 }],
    ['>1%', { op: '>', value: 0.01 }],
    ['< 99.9%', { op: '<', value: 0.999 }],
    ['> 500ms', { op: '>', value: 0.5 }],
    ['>= 3', { op: '>=', value: 3 }],
    ['<= 1s', { op: '<=', value: 1 }],
    ['== 0', { op: '==', value: 0 }],
    ['!= 1', { op: '!=', value: 1 }],
    ['> 1e3', { op: '>', value: 1000 }],
  ])('"%s" parses to %j', (text, want) => expect(parseThreshold(text)).toEqual(want));

  test.each(['', '0.01', '> ', '=> 1', '> abc', '> 5 minutes'])(
    '"%s" is a configuration error naming the input',
    (text) => {
      expect(() => parseThreshold(text, 'checks[0].failWhen')).toThrow(ConfigurationError);
      expect(() => parseThreshold(text, 'checks[0].failWhen')).toThrow(
        /^checks\[0\]\.failWhen: .* use an operator/,
      );
    },
  );

  test.each([
    [0.02, '> 1%', true],
    [0.01, '> 1%', false],
    [0.01, '>= 1%', true],
    [0.998, '< 99.9%', true],
    [0.999, '< 99.9%', false],
    [NaN, '> 1%', false],
    [NaN, '< 99.9%', false],
    [NaN, '!= 0', false],
    [Infinity, '> 0.5', true],
    [4, '> 3', true],
  ])('%d breaches "%s": %s', (value, text, want) => expect(breaches(value, parseThreshold(text))).toBe(want));
});

describe('expected status sets', () => {
  test.each([
    ['200', 200, true],
    ['200', 201, false],
    ['200,204', 204, true],
    ['200 204', 204, true],
    ['200-299', 250, true],
    ['200-299', 300, false],
    ['2xx', 299, true],
    ['2xx,301', 301, true],
    ['2XX', 404, false],
  ])('"%s" accepts %d: %s', (text, status, want) => expect(parseStatusSet(text).accepts(status)).toBe(want));

  test('a list of numbers is accepted as YAML gives it', () => {
    expect(parseStatusSet([200, '204']).accepts(204)).toBe(true);
  });

  test.each(['', 'ok', '99', '600', '299-200', '6xx'])('"%s" is rejected naming expected-status', (text) => {
    expect(() => parseStatusSet(text)).toThrow(/^expected-status: /);
  });
});

describe('latency precision', () => {
  test.each([
    [12.3456, 12.35],
    [0.004, 0],
    [1000, 1000],
    [5.005, 5.01],
  ])('%d ms is reported as %d', (ms, want) => expect(roundMs(ms)).toBe(want));
});
