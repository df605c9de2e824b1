import { ConfigurationError } from '@upgrade-actions/common';
import { buildAnalysis, outcome } from '../analysis';
import { bound, judgeComparison, parseLimit } from '../compare';
import { recordFailures, type RoundRecord } from '../round';
import { deploymentPodMatcher, promDuration, renderTemplate } from '../templates';

const vars = { namespace: 'shop', target: 'web-canary', stable: 'web', interval: '30s' };
const api = {
  server: 'http://127.0.0.1:1',
  namespace: 'shop',
  credentials: async () => ({ headers: {}, tls: {} }),
};

describe('templates', () => {
  test('renders the four variables, with or without spaces', () => {
    expect(renderTemplate('{{ target }}/{{stable}} in {{namespace}} [{{ interval }}]', vars, 'x')).toBe(
      'web-canary/web in shop [30s]',
    );
  });
  test('an unknown variable names the input and the accepted names', () => {
    expect(() => renderTemplate('{{ canary }}', vars, 'analysis-urls')).toThrow(
      /analysis-urls: unknown template variable \{\{ canary \}\}; use \{\{ namespace \}\}/,
    );
  });
  test('durations and pod matchers', () => {
    expect([
      promDuration(30_000),
      promDuration(300_000),
      promDuration(7_200_000),
      promDuration(90_000),
    ]).toEqual(['30s', '5m', '2h', '90s']);
    // Anchored by PromQL: web's matcher cannot match web-canary-<hash>-<id>.
    const re = new RegExp(`^${/pod=~"(.*)"/.exec(deploymentPodMatcher('web'))![1]}$`);
    expect(re.test('web-7d9f8b6c5-x2x9z')).toBe(true);
    expect(re.test('web-canary-7d9f8b6c5-x2x9z')).toBe(false);
  });
});

describe('comparison gates', () => {
  test('limits parse from numbers and percentages, one per gate', () => {
    expect(parseLimit({ maxIncrease: '0.5%' }, 'g')).toEqual({ kind: 'maxIncrease', by: 0.005 });
    expect(parseLimit({ maxRatio: 1.2 }, 'g')).toEqual({ kind: 'maxRatio', by: 1.2 });
    expect(() => parseLimit({ maxRatio: 1.2, maxIncrease: 1 }, 'g')).toThrow(/exactly one of/);
    expect(() => parseLimit({ maxIncrease: 'lots' }, 'g')).toThrow(/g.maxIncrease: "lots" is not an amount/);
  });
  test('bounds follow the stable value', () => {
    expect(bound({ kind: 'maxIncrease', by: 0.005 }, 0.002)).toBeCloseTo(0.007);
    expect(bound({ kind: 'maxRatio', by: 1.2 }, 0.5)).toBeCloseTo(0.6);
    expect(bound({ kind: 'minRatio', by: 0.99 }, 1)).toBeCloseTo(0.99);
  });
  test('judged against the stable version, not a fixed number', () => {
    const l = { kind: 'maxIncrease', by: 0.005 } as const;
    expect(judgeComparison(l, 0.006, 0.002, 'fail').ok).toBe(true);
    const bad = judgeComparison(l, 0.021, 0.002, 'fail');
    expect(bad).toMatchObject({ ok: false, value: '0.021 vs stable 0.002', threshold: '≤ stable + 0.005' });
    expect(bad.message).toMatch(/0.021 is above 0.007/);
    // The same canary value passes when the stable version is just as bad today.
    expect(judgeComparison(l, 0.021, 0.02, 'fail').ok).toBe(true);
    expect(judgeComparison({ kind: 'minRatio', by: 0.99 }, 0.97, 1, 'fail').ok).toBe(false);
  });
  test('no data fails unless noData: pass', () => {
    const l = { kind: 'maxRatio', by: 1.2 } as const;
    expect(judgeComparison(l, undefined, 1, 'fail')).toMatchObject({ ok: false, message: /new version/ });
    expect(judgeComparison(l, 1, undefined, 'pass').ok).toBe(true);
  });
});

describe('the consecutive-failure gate', () => {
  const round = (checks: RoundRecord['checks']): RoundRecord => ({ at: '2026-01-01T00:00:00Z', checks });
  test('a pass resets, an unreachable round neither counts nor resets', () => {
    let c: Record<string, number> = {};
    ({ consecutive: c } = recordFailures(c, round({ a: { ok: false } }), 3));
    ({ consecutive: c } = recordFailures(c, round({ a: { ok: false, unreachable: true } }), 3));
    expect(c.a).toBe(1);
    ({ consecutive: c } = recordFailures(c, round({ a: { ok: true } }), 3));
    expect(c.a).toBe(0);
  });
  test('trips on the threshold, naming the check and what it saw', () => {
    let c: Record<string, number> = {};
    let trip;
    for (let i = 0; i < 3; i++)
      ({ consecutive: c, trip } = recordFailures(
        c,
        round({ 'error-rate': { ok: false, value: '0.03', threshold: 'fails when > 1%' }, b: { ok: true } }),
        3,
      ));
    expect(trip).toEqual({
      check: 'error-rate',
      value: '0.03',
      threshold: 'fails when > 1%',
      consecutiveFailures: 3,
    });
  });
});

describe('buildAnalysis', () => {
  test('renders targets with the variables and names the inputs in errors', () => {
    const a = buildAnalysis({ urls: ['{{ target }}:80/healthz'] }, { vars, api });
    expect(a.names).toEqual(['web-canary:80/healthz']);
    expect(() => buildAnalysis({ urls: ['not a target'] }, { vars, api })).toThrow(
      /^analysis-urls: "not a target"/,
    );
    expect(() => buildAnalysis({ urls: [] }, { vars })).toThrow(/analysis-urls: nothing to analyse/);
    expect(() => buildAnalysis({ urls: [], checks: '- {query: up, failWhen: "> 1"}' }, { vars })).toThrow(
      /analysis-checks\[0\]: a business-level check needs the prometheus-url input/,
    );
  });
  test('presets select the new version pods; comparison gates need {{ target }}', () => {
    const a = buildAnalysis(
      {
        urls: [],
        prometheusUrl: 'http://127.0.0.1:9',
        prometheusPresets: ['error-rate'],
        prometheusQueries:
          '- {name: p99, query: "histogram_quantile(0.99, rate(x{pod=~\\"{{ target }}-.*\\"}[{{ interval }}]))", compare: {maxRatio: 1.2}}',
      },
      { vars },
    );
    expect(a.names).toEqual(['p99', 'error-rate']);
    expect(a.checks[1].target).toContain('namespace="shop",pod=~"web-canary-[a-z0-9]+-[a-z0-9]+"');
    expect(a.checks[0].target).toContain('x{pod=~"web-canary-.*"}[30s]');
    expect(() =>
      buildAnalysis(
        {
          urls: [],
          prometheusUrl: 'http://p:9090',
          prometheusQueries: '- {query: up, compare: {maxRatio: 2}}',
        },
        { vars },
      ),
    ).toThrow(/prometheus-queries\[0\].query: it does not use \{\{ target \}\}/);
    expect(() =>
      buildAnalysis({ urls: [], prometheusPresets: ['nope'], prometheusUrl: 'http://p:1' }, { vars }),
    ).toThrow(/prometheus-presets: unknown preset "nope"/);
    expect(() =>
      buildAnalysis(
        { urls: [], prometheusUrl: 'http://p:1', prometheusQueries: '- {query: up, compare: {}}' },
        { vars },
      ),
    ).toThrow(ConfigurationError);
  });
  test('outcomes are short', () => {
    expect(outcome({ ok: true, latency: 12.3, observations: { status: 200, latency: 12.3 } })).toEqual({
      ok: true,
      value: 'status 200, 12 ms',
    });
    expect(
      outcome({
        ok: false,
        latency: null,
        observations: { value: 0.03, failWhen: '> 1%' },
        error: '1 of 1 sample(s)',
      }),
    ).toEqual({ ok: false, value: '0.03', threshold: 'fails when > 1%', message: '1 of 1 sample(s)' });
  });
});
