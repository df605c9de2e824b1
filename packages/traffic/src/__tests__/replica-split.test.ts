import { replicaSplit } from '../replica-split';

describe('replicaSplit: the canary share of pods for a weight', () => {
  test.each([
    // total, weight, stable, canary, effective
    [10, 0, 10, 0, 0],
    [10, 10, 9, 1, 10],
    [10, 30, 7, 3, 30],
    [10, 50, 5, 5, 50],
    [10, 100, 0, 10, 100],
    [10, 5, 9, 1, 10], // 0.5 pods rounds half up, and a weight above 0 runs at least one canary pod
    [10, 4, 9, 1, 10], // 0.4 pods would round to none: one canary pod all the same
    [10, 99, 1, 9, 90], // below 100 keeps one stable pod
    [3, 10, 2, 1, 33.33], // 3 replicas: 33-point precision
    [3, 50, 1, 2, 66.67], // 1.5 pods rounds half up
    [4, 25, 3, 1, 25],
    [1, 10, 1, 1, 50], // one replica cannot split: a canary pod beside it
    [1, 100, 0, 1, 100],
    [1, 0, 1, 0, 0],
    [0, 50, 1, 1, 50], // no replicas counts as one
  ])(
    '%i replicas at %i%% → %i stable + %i canary (%d%% effective)',
    (total, weight, stable, canary, effective) => {
      expect(replicaSplit(total, weight)).toEqual({ stable, canary, effectiveWeight: effective });
    },
  );
});
