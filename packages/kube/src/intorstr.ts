/**
 * IntOrString as apimachinery's `intstr` package reads it for maxSurge / maxUnavailable
 * (`GetScaledValueFromIntOrPercent`): an integer is an absolute count; a string must be an integer
 * followed by `%` and is scaled against a total. Anything else is an error with apimachinery's text.
 */
export type IntOrString = number | string;

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

/** Go's strconv.Atoi on a 64-bit platform: optional sign, decimal digits, int64 range. */
function atoi(s: string): number {
  if (!/^[+-]?\d+$/.test(s)) throw new Error(`strconv.Atoi: parsing ${goQuote(s)}: invalid syntax`);
  const n = BigInt(s);
  if (n > 9223372036854775807n || n < -9223372036854775808n)
    throw new Error(`strconv.Atoi: parsing ${goQuote(s)}: value out of range`);
  return Number(n);
}

/** Go's %q for the plain strings these messages carry. */
export function goQuote(s: string): string {
  return JSON.stringify(s);
}

function valueSafely(v: IntOrString): { value: number; isPercent: boolean } {
  if (typeof v === 'number') {
    // The JSON field is an int32; a fraction or an out-of-range number cannot be decoded into it.
    if (!Number.isInteger(v) || v < INT32_MIN || v > INT32_MAX)
      throw new Error(`invalid type: ${v} is not an int32 or a percentage`);
    return { value: v, isPercent: false };
  }
  if (typeof v !== 'string') throw new Error('invalid type: neither int nor percentage');
  if (!v.endsWith('%')) throw new Error('invalid type: string is not a percentage');
  try {
    return { value: atoi(v.slice(0, -1)), isPercent: true };
  } catch (e) {
    throw new Error(`invalid value ${goQuote(v)}: ${(e as Error).message}`);
  }
}

/**
 * The absolute value of `v` against `total`: percentages round up (surge) or down (unavailable).
 * Throws `invalid value for IntOrString: ...` like apimachinery.
 */
export function scaledValueFromIntOrPercent(v: IntOrString, total: number, roundUp: boolean): number {
  let parsed: { value: number; isPercent: boolean };
  try {
    parsed = valueSafely(v);
  } catch (e) {
    throw new Error(`invalid value for IntOrString: ${(e as Error).message}`);
  }
  if (!parsed.isPercent) return parsed.value;
  // Same float64 arithmetic as Go: (value * total) / 100, then ceil or floor.
  const scaled = (parsed.value * total) / 100;
  // `+ 0` turns the -0 that ceil/floor can return for small negatives into Go's 0.
  return (roundUp ? Math.ceil(scaled) : Math.floor(scaled)) + 0;
}
