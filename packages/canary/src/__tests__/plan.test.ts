import { advance, aborted, decide, promoted, recordRound, trafficWeight } from '../plan';
import { newCanaryState, type RoundRecord } from '../state';

const t0 = Date.parse('2026-12-05T10:00:00Z');
const min = 60_000;
const timing = { stepIntervalMs: 5 * min, analysisIntervalMs: 2 * min };
const round = (at: number, checks: Record<string, boolean | string>): RoundRecord => ({
  at: new Date(at).toISOString(),
  checks: Object.fromEntries(
    Object.entries(checks).map(([k, v]) => [k, v === true ? { ok: true } : { ok: false, value: String(v) }]),
  ),
});

describe('decide: rounds every analysis interval, then the next step', () => {
  test('a new step waits one analysis interval for its first round', () => {
    const s = newCanaryState('fp', [10, 100], t0);
    expect(decide(s, t0, timing)).toEqual({ kind: 'analyse', at: t0 + 2 * min });
  });

  test('rounds fall at 2m and 4m; the step ends at 5m with no round past it', () => {
    let s = newCanaryState('fp', [10, 100], t0);
    s = recordRound(s, round(t0 + 2 * min, { errors: true }), 3).state;
    expect(decide(s, t0 + 2 * min, timing)).toEqual({ kind: 'analyse', at: t0 + 4 * min });
    s = recordRound(s, round(t0 + 4 * min, { errors: true }), 3).state;
    expect(decide(s, t0 + 4 * min, timing)).toEqual({ kind: 'wait', until: t0 + 5 * min });
    expect(decide(s, t0 + 5 * min, timing)).toEqual({ kind: 'advance', step: 1, weight: 100 });
  });

  test('an analysis interval longer than the step still runs one round, at the step’s end', () => {
    const s = newCanaryState('fp', [10, 100], t0);
    expect(decide(s, t0, { stepIntervalMs: min, analysisIntervalMs: 5 * min })).toEqual({
      kind: 'analyse',
      at: t0 + min,
    });
  });

  test('after the last step’s rounds the canary is promoted; a finished canary is done', () => {
    let s = newCanaryState('fp', [50, 100], t0);
    s = advance(s, 1, t0 + 5 * min);
    s = recordRound(s, round(t0 + 7 * min, { errors: true }), 3).state;
    s = recordRound(s, round(t0 + 9 * min, { errors: true }), 3).state;
    expect(decide(s, t0 + 10 * min, timing)).toEqual({ kind: 'promote' });
    expect(decide(promoted(s), t0 + 10 * min, timing)).toEqual({ kind: 'done' });
    expect(decide(aborted(s, 'x'), t0 + 10 * min, timing)).toEqual({ kind: 'done' });
  });

  test('a run that resumes late catches up: a due round first, then the step change', () => {
    let s = newCanaryState('fp', [10, 100], t0);
    s = recordRound(s, round(t0 + 2 * min, { errors: true }), 3).state;
    // The runner stopped; the next run comes an hour later. The 4m round is owed before moving on.
    expect(decide(s, t0 + 60 * min, timing)).toEqual({ kind: 'analyse', at: t0 + 4 * min });
  });
});

describe('recordRound: the consecutive-failure gate', () => {
  test('three failures in a row trip the gate, naming the check and the value it saw', () => {
    let s = newCanaryState('fp', [10, 100], t0);
    let r = recordRound(s, round(t0 + 1, { 'error-rate': '0.02', latency: true }), 3);
    r = recordRound(r.state, round(t0 + 2, { 'error-rate': '0.03', latency: true }), 3);
    expect(r.trip).toBeUndefined();
    r = recordRound(r.state, round(t0 + 3, { 'error-rate': '0.05', latency: true }), 3);
    expect(r.trip).toEqual({
      check: 'error-rate',
      value: '0.05',
      message: undefined,
      consecutiveFailures: 3,
    });
    s = r.state;
    expect(s.history[0].roundCount).toBe(3);
  });

  test('a pass resets the run', () => {
    let r = recordRound(newCanaryState('fp', [10, 100], t0), round(t0 + 1, { e: 'bad' }), 2);
    r = recordRound(r.state, round(t0 + 2, { e: true }), 2);
    r = recordRound(r.state, round(t0 + 3, { e: 'bad' }), 2);
    expect(r.trip).toBeUndefined();
    expect(r.state.history[0].consecutiveFailures).toEqual({ e: 1 });
  });

  test('only the newest 20 rounds are kept in the state; the count goes on', () => {
    let s = newCanaryState('fp', [10, 100], t0);
    for (let i = 1; i <= 25; i++) s = recordRound(s, round(t0 + i, { e: true }), 3).state;
    expect(s.history[0].rounds).toHaveLength(20);
    expect(s.history[0].roundCount).toBe(25);
    expect(s.history[0].rounds[0].at).toBe(new Date(t0 + 6).toISOString());
  });
});

test('trafficWeight: the step’s weight, 100 once promoted, 0 once aborted', () => {
  const s = advance(newCanaryState('fp', [10, 30, 100], t0), 1, t0 + 1);
  expect(trafficWeight(s)).toBe(30);
  expect(trafficWeight(promoted(s))).toBe(100);
  expect(trafficWeight(aborted(s, 'gate error-rate saw 0.05'))).toBe(0);
});

describe('a failing check holds the step and its run of failures carries across steps', () => {
  test('a step whose last round failed is not left when its time is up: it is analysed again', () => {
    let s = newCanaryState('fp', [50, 100], t0);
    s = recordRound(s, round(t0 + 2 * min, { errors: true }), 3).state;
    s = recordRound(s, round(t0 + 4 * min, { errors: '0.03' }), 3).state;
    expect(decide(s, t0 + 5 * min, timing)).toEqual({ kind: 'analyse', at: t0 + 6 * min });
    // It passes again: now the step may end.
    s = recordRound(s, round(t0 + 6 * min, { errors: true }), 3).state;
    expect(decide(s, t0 + 6 * min, timing)).toEqual({ kind: 'advance', step: 1, weight: 100 });
  });

  test('a failing last step is never promoted on time alone', () => {
    let s = advance(newCanaryState('fp', [50, 100], t0), 1, t0);
    s = recordRound(s, round(t0 + 2 * min, { errors: '0.03' }), 3).state;
    s = recordRound(s, round(t0 + 4 * min, { errors: '0.03' }), 3).state;
    expect(decide(s, t0 + 5 * min, timing).kind).toBe('analyse');
  });

  test('failures at the end of one step and the start of the next are consecutive', () => {
    let s = newCanaryState('fp', [50, 100], t0);
    s = recordRound(s, round(t0 + 2 * min, { errors: '0.03' }), 2).state;
    s = advance(s, 1, t0 + 5 * min);
    expect(s.history[1].consecutiveFailures).toEqual({ errors: 1 });
    const r = recordRound(s, round(t0 + 7 * min, { errors: '0.04' }), 2);
    expect(r.trip).toMatchObject({ check: 'errors', consecutiveFailures: 2, value: '0.04' });
  });
});
