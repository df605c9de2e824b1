import { type IntOrString, resolveFenceposts } from '@upgrade-actions/kube';

type Row = [IntOrString | undefined, IntOrString | undefined, number, number, number, string];

describe('resolveFenceposts resolves maxSurge and maxUnavailable as the Deployment controller does', () => {
  test.each([
    // [maxSurge, maxUnavailable, desired, surge, unavailable, why]
    ['25%', '25%', 5, 2, 1, 'surge rounds up and unavailable rounds down (5 replicas, 25%)'],
    ['25%', '25%', 10, 3, 2, 'the default 25%/25% on 10 replicas'],
    ['25%', '25%', 4, 1, 1, 'exact percentages need no rounding'],
    [1, 0, 5, 1, 0, 'absolute counts pass through'],
    [0, 1, 5, 0, 1, 'absolute unavailable only'],
    ['0%', '1%', 2, 0, 1, 'both resolving to 0 makes unavailable 1'],
    ['0%', '0%', 10, 0, 1, 'two zero percentages still make unavailable 1'],
    [0, 0, 3, 0, 1, 'two zero counts make unavailable 1'],
    ['1%', '25%', 2, 1, 0, 'a tiny surge rounds up to one pod'],
    ['100%', '0%', 3, 3, 0, 'a full surge'],
    ['50%', '50%', 1, 1, 0, 'one replica: surge rounds up, unavailable rounds down'],
    ['10%', '10%', 0, 0, 1, 'zero desired replicas'],
    [undefined, undefined, 5, 0, 1, 'unset values count as 0'],
    [undefined, '30%', 10, 0, 3, 'unset surge with a percentage unavailable'],
    ['+20%', '-10%', 10, 2, -1, 'Go accepts a sign before the digits'],
    [5, '200%', 3, 5, 6, 'percentages above 100 scale past the total'],
  ] as Row[])(
    'maxSurge %p, maxUnavailable %p, %p desired → surge %p, unavailable %p (%s)',
    (s, u, d, surge, unavailable) => {
      expect(resolveFenceposts(s, u, d)).toEqual({ surge, unavailable });
    },
  );

  test.each([
    ['5', 1, 'invalid value for IntOrString: invalid type: string is not a percentage'],
    [
      'abc%',
      1,
      'invalid value for IntOrString: invalid value "abc%": strconv.Atoi: parsing "abc": invalid syntax',
    ],
    ['%', 1, 'invalid value for IntOrString: invalid value "%": strconv.Atoi: parsing "": invalid syntax'],
    [
      '1.5%',
      1,
      'invalid value for IntOrString: invalid value "1.5%": strconv.Atoi: parsing "1.5": invalid syntax',
    ],
    [
      ' 5%',
      1,
      'invalid value for IntOrString: invalid value " 5%": strconv.Atoi: parsing " 5": invalid syntax',
    ],
    ['', 1, 'invalid value for IntOrString: invalid type: string is not a percentage'],
    [
      '99999999999999999999%',
      1,
      'invalid value for IntOrString: invalid value "99999999999999999999%": strconv.Atoi: parsing "99999999999999999999": value out of range',
    ],
  ])("maxSurge %p is rejected with apimachinery's message", (s, u, message) => {
    expect(() => resolveFenceposts(s, u, 10)).toThrow(message);
  });

  test('an invalid maxUnavailable is rejected too', () => {
    expect(() => resolveFenceposts(1, '3', 10)).toThrow(
      /invalid value for IntOrString: invalid type: string is not a percentage/,
    );
  });

  test('a fractional number is not an IntOrString', () => {
    expect(() => resolveFenceposts(1.5, 1, 10)).toThrow(/^invalid value for IntOrString: /);
  });
});
