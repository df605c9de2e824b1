import { isDeepStrictEqual } from 'node:util';
import { parseDuration } from '@upgrade-actions/common';
import { parseStatusSet } from '@upgrade-actions/probe';
import { queryJson } from './jsonpath';
import type { Expectation } from './schema';

/** What a request got back, as the assertions see it. */
export interface Observed {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** ms, two decimals. */
  latency: number;
}

/** One assertion that did not hold, with what was expected and what was seen, for the summary table and JUnit. */
export interface Failure {
  assertion: string;
  expected: string;
  actual: string;
}

const MAX_SHOWN = 200;

function shorten(text: string): string {
  return text.length > MAX_SHOWN ? text.slice(0, MAX_SHOWN) + '…' : text;
}

/** Text (headers, bodies) as is; JSON values as JSON, so "2" and 2 read differently. */
const showText = (value: string | undefined) => (value === undefined ? '(absent)' : shorten(value));
const showJson = (value: unknown) => (value === undefined ? '(absent)' : shorten(JSON.stringify(value)));

/**
 * Evaluates every assertion of one step against a response. Pure. Without a status assertion any
 * 2xx passes. All failures are returned, not just the first, so one run shows everything wrong.
 */
export function evaluate(expect: Expectation | undefined, got: Observed): Failure[] {
  const failures: Failure[] = [];
  const statuses = parseStatusSet(expect?.status ?? '2xx', 'status');
  if (!statuses.accepts(got.status))
    failures.push({ assertion: 'status', expected: statuses.text, actual: String(got.status) });

  for (const [name, pattern] of Object.entries(expect?.headers ?? {})) {
    const value = got.headers[name.toLowerCase()];
    if (value === undefined || !new RegExp(pattern).test(value)) {
      failures.push({
        assertion: `header ${name}`,
        expected: `matches /${pattern}/`,
        actual: showText(value),
      });
    }
  }

  if (expect?.json?.length) {
    let doc: unknown;
    let parsed = true;
    try {
      doc = JSON.parse(got.body);
    } catch {
      parsed = false;
    }
    for (const a of expect.json) {
      if (!parsed) {
        failures.push({ assertion: `json ${a.path}`, expected: 'a JSON body', actual: showText(got.body) });
        continue;
      }
      const found = queryJson(a.path, doc);
      const value = found.length === 1 ? found[0] : found.length === 0 ? undefined : found;
      if (a.exists !== undefined) {
        if (found.length > 0 !== a.exists) {
          failures.push({
            assertion: `json ${a.path}`,
            expected: a.exists ? 'exists' : 'absent',
            actual: showJson(value),
          });
        }
      } else if (a.matches !== undefined) {
        const text = typeof value === 'string' ? value : JSON.stringify(value);
        if (value === undefined || !new RegExp(a.matches).test(text)) {
          failures.push({
            assertion: `json ${a.path}`,
            expected: `matches /${a.matches}/`,
            actual: showJson(value),
          });
        }
      } else if (!isDeepStrictEqual(value, a.equals)) {
        failures.push({ assertion: `json ${a.path}`, expected: showJson(a.equals), actual: showJson(value) });
      }
    }
  }

  if (expect?.body !== undefined && !new RegExp(expect.body).test(got.body)) {
    failures.push({ assertion: 'body', expected: `matches /${expect.body}/`, actual: showText(got.body) });
  }

  if (expect?.maxLatency !== undefined) {
    const max = parseDuration(expect.maxLatency, 'maxLatency');
    if (got.latency > max) {
      failures.push({
        assertion: 'latency',
        expected: `<= ${max} ms`,
        actual: `${got.latency.toFixed(2)} ms`,
      });
    }
  }
  return failures;
}
