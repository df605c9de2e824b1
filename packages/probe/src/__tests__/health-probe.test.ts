import { ConfigurationError } from '@upgrade-actions/common';
import { planHealthProbe, type HealthProbeInputs } from '@upgrade-actions/probe';

const base: HealthProbeInputs = {
  urls: ['http://web/healthz'],
  expectedStatus: '200',
  timeout: '5s',
  mode: 'watch',
  duration: '30m',
  interval: '10s',
  failureThreshold: 5,
};

describe('planning the health probe', () => {
  test('the seed defaults plan a 30 minute watch every 10 s with threshold 5', () => {
    const plan = planHealthProbe(base);
    expect(plan).toMatchObject({
      mode: 'watch',
      durationMs: 1_800_000,
      intervalMs: 10_000,
      failureThreshold: 5,
    });
    expect(plan.checks.map((c) => [c.name, c.level])).toEqual([['http://web/healthz', 'service']]);
  });

  test.each([
    [{ mode: 'sometimes' }, /^mode: "sometimes" is not a mode; use once or watch$/],
    [{ failureThreshold: 0 }, /^failure-threshold: 0 is not a whole number of at least 1$/],
    [{ interval: '0s' }, /^interval: must be longer than 0s in watch mode$/],
    [{ duration: 'forever' }, /^duration: "forever" is not a duration/],
    [{ urls: ['web:80/healthz'] }, /^urls: service targets \(name:port\/path\) need a cluster/],
    [{ urls: [] }, /^urls: nothing to probe/],
  ])('%j is a configuration error naming the input', (over, message) => {
    expect(() => planHealthProbe({ ...base, ...over } as HealthProbeInputs)).toThrow(ConfigurationError);
    expect(() => planHealthProbe({ ...base, ...over } as HealthProbeInputs)).toThrow(message);
  });

  test('once mode accepts a zero duration', () => {
    expect(planHealthProbe({ ...base, mode: 'once', duration: '0s' }).mode).toBe('once');
  });
});
