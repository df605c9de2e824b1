import { ConfigurationError } from '@upgrade-actions/common';

export type Operator = '>' | '>=' | '<' | '<=' | '==' | '!=';

/** A comparison such as `> 0.01`: the condition under which a value is unhealthy. */
export interface Threshold {
  op: Operator;
  value: number;
}

const THRESHOLD = /^\s*(>=|<=|==|!=|>|<)\s*([-+]?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?)\s*(%|ms|s)?\s*$/i;

/**
 * Parses `> 0.01`, `< 99.9%` (percent becomes a ratio: 0.999), `> 500ms` (milliseconds become
 * seconds, Prometheus's unit for durations). `what` names the input in the error.
 */
export function parseThreshold(text: string, what = 'threshold'): Threshold {
  const m = THRESHOLD.exec(text);
  if (!m) {
    throw new ConfigurationError(
      `${what}: "${text}" is not a threshold; use an operator (>, >=, <, <=, ==, !=) and a number, e.g. "> 0.01", "< 99.9%", "> 500ms"`,
    );
  }
  let value = Number(m[2]);
  const unit = m[3]?.toLowerCase();
  if (unit === '%') value /= 100;
  if (unit === 'ms') value /= 1000;
  return { op: m[1] as Operator, value: Number(value.toPrecision(12)) };
}

/** True when `value` meets the (unhealthy) condition. NaN (e.g. 0/0 with no traffic) meets none. */
export function breaches(value: number, t: Threshold): boolean {
  switch (t.op) {
    case '>':
      return value > t.value;
    case '>=':
      return value >= t.value;
    case '<':
      return value < t.value;
    case '<=':
      return value <= t.value;
    case '==':
      return value === t.value;
    case '!=':
      return !Number.isNaN(value) && value !== t.value;
  }
}

export function formatThreshold(t: Threshold): string {
  return `${t.op} ${t.value}`;
}
