import { recordRound, startEvaluation, verdict, type CheckResult } from '@upgrade-actions/probe';

const ok: CheckResult = { ok: true, latency: 1, observations: {} };
const bad: CheckResult = { ok: false, latency: null, observations: {}, error: 'status 503, expected 200' };

/** Feeds a sequence of pass (.) and fail (x) rounds for one check, one per second. */
function run(pattern: string, threshold: number) {
  let ev = startEvaluation(['api'], threshold);
  [...pattern].forEach((c, i) => {
    ev = recordRound(ev, { api: c === '.' ? ok : bad }, i * 1000);
  });
  return ev;
}

describe('the consecutive-failure evaluator', () => {
  test.each([
    ['', 5, 'healthy', 0],
    ['.....', 5, 'healthy', 0],
    ['xxxx', 5, 'healthy', 4],
    ['xxxxx', 5, 'unhealthy', 5],
    ['xxxx.xxxx', 5, 'healthy', 4],
    ['x.x.x.x.x.x', 5, 'healthy', 1],
    ['..xxxxx..', 5, 'unhealthy', 5],
    ['x', 1, 'unhealthy', 1],
    ['xx.xxx', 3, 'unhealthy', 3],
  ])(
    'rounds "%s" with threshold %d are %s with %d failures in a row at most',
    (pattern, threshold, status, most) => {
      const v = verdict(run(pattern, threshold));
      expect(v.status).toBe(status);
      expect(v.shouldRollback).toBe(status === 'unhealthy');
      expect(v.consecutiveFailures).toBe(most);
    },
  );

  test('a tripped check stays tripped after it passes again, and remembers when it tripped', () => {
    const ev = run('.xxx..', 3);
    const t = ev.tallies.api;
    expect(t.trippedAt).toBe(3000);
    expect(t.consecutiveFailures).toBe(0);
    expect(t.failingSince).toBeNull();
    expect(verdict(ev).tripped).toEqual(['api']);
  });

  test('the failure run remembers when it began, for detection latency', () => {
    const t = run('..xx', 5).tallies.api;
    expect(t.failingSince).toBe(2000);
    expect(t.rounds).toBe(4);
    expect(t.failures).toBe(2);
  });

  test('each check counts its own run: failures spread over two checks do not add up', () => {
    let ev = startEvaluation(['a', 'b'], 2);
    ev = recordRound(ev, { a: bad, b: ok }, 0);
    ev = recordRound(ev, { a: ok, b: bad }, 1);
    ev = recordRound(ev, { a: bad, b: ok }, 2);
    expect(verdict(ev).status).toBe('healthy');
    ev = recordRound(ev, { a: bad, b: ok }, 3);
    expect(verdict(ev)).toEqual({
      status: 'unhealthy',
      shouldRollback: true,
      consecutiveFailures: 2,
      tripped: ['a'],
    });
  });

  test('recording does not change the evaluation it was given', () => {
    const ev = startEvaluation(['api'], 2);
    recordRound(ev, { api: bad }, 0);
    expect(ev.tallies.api.failures).toBe(0);
  });

  test('a threshold below one is refused', () => {
    expect(() => startEvaluation(['api'], 0)).toThrow(RangeError);
  });
});
