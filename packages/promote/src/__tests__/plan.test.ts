import { decide, enterStage, recordRound } from '../plan';
import { newState, type PromoteState } from '../state';
import { selectorPatch, nextWorkload, colourDeployment, COLOUR_LABEL } from '../colours';

const T = { validationMs: 60_000, watchMs: 120_000, scaleDownDelayMs: 30_000, intervalMs: 30_000 };
const t0 = Date.parse('2026-12-05T10:00:00Z');
const iso = (ms: number) => new Date(t0 + ms).toISOString();
const base = () =>
  newState({ fingerprint: 'f', blue: 'web', green: 'web-green', blueSelector: {}, greenSelector: {} }, t0);
const round = (at: number, ok: boolean) => ({ at: iso(at), checks: { http: { ok } } });

function withRounds(s: PromoteState, times: number[], ok = true): PromoteState {
  for (const at of times) s = recordRound(s, round(at, ok), 3).state;
  return s;
}

describe('what a promotion does next', () => {
  test.each([
    ['the first round comes one interval into the stage', [], { kind: 'analyse', at: t0 + 30_000 }],
    ['rounds fall every interval', [30_000], { kind: 'analyse', at: t0 + 60_000 }],
    ['validation over with its rounds in: switch', [30_000, 60_000], { kind: 'switch' }],
  ])('%s', (_name, times, want) => {
    expect(decide(withRounds(base(), times as number[]), T)).toEqual(want);
  });

  test('after the watch, blue goes after the delay; the watch starts its own gate', () => {
    let s = enterStage(withRounds(base(), [30_000], false), 'watching', t0 + 60_000);
    expect(s.consecutiveFailures).toEqual({});
    s = withRounds(s, [90_000, 120_000, 150_000, 180_000]);
    expect(decide(s, T)).toEqual({ kind: 'scale-down', at: t0 + 180_000 + 30_000 });
  });

  test('a check still failing when the time is up is looked at again until it passes or trips', () => {
    const failing = withRounds(base(), [30_000, 60_000], false);
    expect(decide(failing, T)).toEqual({ kind: 'analyse', at: t0 + 90_000 });
    expect(decide(withRounds(failing, [90_000], true), T)).toEqual({ kind: 'switch' });
  });

  test('rounds that drift late still end with one at the stage end', () => {
    expect(decide(withRounds(base(), [30_050]), T)).toEqual({ kind: 'analyse', at: t0 + 60_000 });
    expect(decide(withRounds(base(), [30_050, 60_000]), T)).toEqual({ kind: 'switch' });
  });

  test('a validation of 0 still looks once, at once', () => {
    expect(decide(base(), { ...T, validationMs: 0 })).toEqual({ kind: 'analyse', at: t0 });
  });

  test('a finished promotion does nothing more', () => {
    expect(decide({ ...base(), phase: 'rolled-back' }, T)).toEqual({ kind: 'done' });
  });

  test('the gate trips on the threshold-th consecutive failure, a pass resets it', () => {
    let s = base();
    for (const [at, ok] of [
      [1, false],
      [2, false],
      [3, true],
      [4, false],
      [5, false],
    ] as const) {
      const r = recordRound(s, round(at, ok), 3);
      expect(r.trip).toBeUndefined();
      s = r.state;
    }
    expect(recordRound(s, round(6, false), 3).trip).toMatchObject({ check: 'http', consecutiveFailures: 3 });
  });
});

describe('colours', () => {
  test('the new version takes the idle colour: web → web-green → web-blue → web-green', () => {
    expect(nextWorkload('web', 'web')).toEqual({ name: 'web-green', colour: 'green' });
    expect(nextWorkload('web-green', 'web')).toEqual({ name: 'web-blue', colour: 'blue' });
    expect(nextWorkload('web-blue', 'web')).toEqual({ name: 'web-green', colour: 'green' });
  });

  test('the switch replaces the whole selector in one merge patch (keys it drops are nulled)', () => {
    expect(
      selectorPatch({ app: 'web', 'pod-template-hash': 'abc' }, { app: 'web', [COLOUR_LABEL]: 'green' }),
    ).toEqual({
      app: 'web',
      [COLOUR_LABEL]: 'green',
      'pod-template-hash': null,
    });
  });

  test('a colour workload carries the colour in its selector and on its pods only', () => {
    const d = colourDeployment(
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'web', resourceVersion: '9', labels: { tier: 'fe' } },
        spec: {
          selector: { matchLabels: { app: 'web' } },
          template: { metadata: { labels: { app: 'web' } } },
        },
      },
      'web-green',
      'green',
      3,
      {},
    ) as unknown as {
      metadata: object;
      spec: {
        replicas: number;
        selector: { matchLabels: object };
        template: { metadata: { labels: object } };
      };
    };
    expect(d.metadata).toEqual({
      name: 'web-green',
      namespace: undefined,
      labels: { tier: 'fe', [COLOUR_LABEL]: 'green' },
      annotations: {},
    });
    expect(d.spec.replicas).toBe(3);
    expect(d.spec.selector.matchLabels).toEqual({ app: 'web', [COLOUR_LABEL]: 'green' });
    expect(d.spec.template.metadata.labels).toEqual({ app: 'web', [COLOUR_LABEL]: 'green' });
  });
});
