import { formatDuration, parseDuration } from '@upgrade-actions/common';

describe('parseDuration', () => {
  test.each([
    ['30s', 30_000],
    ['5m', 300_000],
    ['1h30m', 5_400_000],
    ['500ms', 500],
    ['1.5s', 1500],
    ['90', 90_000],
    [' 2m ', 120_000],
  ])('%s is %d ms', (text, ms) => expect(parseDuration(text)).toBe(ms));

  test.each(['', 'soon', '5 m', '5x', 'm5', '-1s'])('"%s" is rejected with the accepted forms', (text) => {
    expect(() => parseDuration(text, 'timeout')).toThrow(
      /^timeout: .* is not a duration; use a number of seconds or units ms, s, m, h/,
    );
  });
});

describe('formatDuration prints like Go', () => {
  test.each([
    [0, '0s'],
    [250, '250ms'],
    [5000, '5s'],
    [90_000, '1m30s'],
    [3_600_000, '1h0m0s'],
    [600_000, '10m0s'],
  ])('%d ms is %s', (ms, text) => expect(formatDuration(ms)).toBe(text));
});
