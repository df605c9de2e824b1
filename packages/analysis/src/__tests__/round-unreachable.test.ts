import { recordFailures, UNREACHABLE_LIMIT, type RoundRecord } from '../round';

const round = (checks: RoundRecord['checks']): RoundRecord => ({ at: '2026-12-05T00:00:00Z', checks });
const unreachable = {
  ok: false,
  unreachable: true,
  value: 'status 503, 4 ms',
  message: 'no endpoints available',
};

test('an app never reached trips the gate at UNREACHABLE_LIMIT rounds in a row, not before', () => {
  let consecutive: Record<string, number> = {};
  let unseen: Record<string, number> = {};
  for (let i = 1; i < UNREACHABLE_LIMIT; i++) {
    const r = recordFailures(consecutive, round({ web: unreachable }), 3, unseen);
    expect(r.trip).toBeUndefined();
    expect(r.consecutive).toEqual({}); // neither counted as a failure nor a pass
    ({ consecutive, unreachable: unseen } = r);
  }
  const r = recordFailures(consecutive, round({ web: unreachable }), 3, unseen);
  expect(r.trip).toEqual({
    check: 'web',
    message: `the app was not reached ${UNREACHABLE_LIMIT} rounds in a row (status 503, 4 ms): no endpoints available`,
    consecutiveFailures: UNREACHABLE_LIMIT,
  });
});

test('an observation in between resets the unreachable run, and a failure run keeps its count across it', () => {
  let r = recordFailures({}, round({ web: { ok: false, value: 'status 500' } }), 3, {});
  r = recordFailures(r.consecutive, round({ web: unreachable }), 3, r.unreachable);
  r = recordFailures(r.consecutive, round({ web: unreachable }), 3, r.unreachable);
  expect(r).toEqual({ consecutive: { web: 1 }, unreachable: { web: 2 } });
  r = recordFailures(r.consecutive, round({ web: { ok: true } }), 3, r.unreachable);
  expect(r).toEqual({ consecutive: { web: 0 }, unreachable: {} });
  // A real failure reaching the threshold is named before an unobserved check.
  r = recordFailures({ api: 2 }, round({ api: { ok: false, value: '0.3' }, web: unreachable }), 3, {
    web: 9,
  });
  expect(r.trip).toMatchObject({ check: 'api', value: '0.3', consecutiveFailures: 3 });
});
