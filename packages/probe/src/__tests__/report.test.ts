import {
  buildReport,
  recordRound,
  reportTable,
  startEvaluation,
  type Check,
  type CheckResult,
} from '@upgrade-actions/probe';

const checks: Check[] = [
  { name: 'api', level: 'service', target: 'http://web/health', run: async () => ok },
  { name: 'errors', level: 'business', target: 'http://prom sum(x)', run: async () => ok },
];
const ok: CheckResult = { ok: true, latency: 12.34, observations: { status: 200 } };
const bad: CheckResult = {
  ok: false,
  latency: null,
  observations: { failure: 'refused' },
  error: 'connection refused',
};
const now = new Date('2026-01-02T03:04:05.678Z');

describe('the probe report', () => {
  test('a healthy report has the seed probe shape and a line per check', () => {
    let ev = startEvaluation(['api', 'errors'], 5);
    ev = recordRound(ev, { api: ok, errors: { ok: true, latency: null, observations: { value: 0 } } }, 0);
    const r = buildReport(checks, ev, { mode: 'watch', rounds: 1, now });
    expect(r).toMatchObject({
      status: 'healthy',
      latency: 12.34,
      timestamp: '2026-01-02T03:04:05.678Z',
      shouldRollback: false,
    });
    expect(r.error).toBeUndefined();
    expect(r.checks.map((c) => [c.name, c.level, c.status, c.passing])).toEqual([
      ['api', 'service', 'healthy', true],
      ['errors', 'business', 'healthy', true],
    ]);
  });

  test('an unhealthy report says which check failed how many times, and why', () => {
    let ev = startEvaluation(['api', 'errors'], 2);
    for (const t of [0, 1]) ev = recordRound(ev, { api: bad, errors: ok }, t);
    const r = buildReport(checks, ev, { mode: 'watch', rounds: 2, now });
    expect(r.status).toBe('unhealthy');
    expect(r.shouldRollback).toBe(true);
    expect(r.consecutiveFailures).toBe(2);
    expect(r.error).toBe('api failed 2 times in a row: connection refused');
    expect(r.checks[0]).toMatchObject({
      status: 'unhealthy',
      passing: false,
      latency: null,
      error: 'connection refused',
    });
  });

  test('latency is null when no check timed anything', () => {
    let ev = startEvaluation(['api', 'errors'], 1);
    ev = recordRound(ev, { api: bad, errors: bad }, 0);
    expect(buildReport(checks, ev, { mode: 'once', rounds: 1, now }).latency).toBeNull();
  });

  test('the summary table prints latency with two decimals and failures against the threshold', () => {
    let ev = startEvaluation(['api', 'errors'], 5);
    ev = recordRound(ev, { api: { ...ok, latency: 7 }, errors: bad }, 0);
    const t = reportTable(buildReport(checks, ev, { mode: 'watch', rounds: 1, now }));
    expect(t.header).toEqual([
      'Check',
      'Level',
      'Target',
      'Status',
      'Latency',
      'Failures in a row',
      'Detail',
    ]);
    expect(t.rows).toEqual([
      ['api', 'service', 'http://web/health', 'healthy', '7.00 ms', '0/5', 'ok'],
      ['errors', 'business', 'http://prom sum(x)', 'healthy', '', '1/5', 'connection refused'],
    ]);
  });
});
