import {
  formatLabelSelector,
  labelSelectorPredicate,
  parseFieldSelector,
  parseLabelSelector,
} from '../selectors';
import type { KObject } from '../types';

const obj = (labels: Record<string, string>, extra: Record<string, unknown> = {}): KObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'p', namespace: 'ns', labels },
  ...extra,
});

describe('label selectors', () => {
  test.each([
    ['empty selects everything', '', { a: '1' }, true],
    ['equality matches', 'app=web', { app: 'web' }, true],
    ['double equals is equality', 'app==web', { app: 'web' }, true],
    ['equality fails on another value', 'app=web', { app: 'db' }, false],
    ['inequality matches a missing key', 'app!=web', {}, true],
    ['inequality fails on the value', 'app!=web', { app: 'web' }, false],
    ['in matches one of the values', 'env in (prod, staging)', { env: 'staging' }, true],
    ['in fails on a missing key', 'env in (prod)', {}, false],
    ['notin matches a missing key', 'env notin (prod)', {}, true],
    ['notin fails on a listed value', 'env notin (prod,dev)', { env: 'dev' }, false],
    ['exists matches any value', 'canary', { canary: '' }, true],
    ['not-exists fails when present', '!canary', { canary: 'true' }, false],
    ['comma is AND', 'app=web,tier in (a,b),!canary', { app: 'web', tier: 'b' }, true],
    [
      'comma is AND, one failing',
      'app=web,tier in (a,b),!canary',
      { app: 'web', tier: 'b', canary: 'x' },
      false,
    ],
    ['prefixed keys', 'app.kubernetes.io/name=web', { 'app.kubernetes.io/name': 'web' }, true],
  ])('%s: %s on %j → %s', (_name, selector, labels, want) => {
    expect(parseLabelSelector(selector)(obj(labels))).toBe(want);
  });

  test.each([['a in (b'], ['a b'], ['=x'], ['a=b c']])('"%s" is rejected as 400 BadRequest', (selector) => {
    expect(() => parseLabelSelector(selector)).toThrow(
      expect.objectContaining({ code: 400, reason: 'BadRequest' }),
    );
  });

  test.each([
    ['matchLabels', { matchLabels: { app: 'web' } }, { app: 'web', x: 'y' }, true],
    [
      'matchExpressions In',
      { matchExpressions: [{ key: 'v', operator: 'In', values: ['1', '2'] }] },
      { v: '3' },
      false,
    ],
    [
      'matchExpressions DoesNotExist',
      { matchExpressions: [{ key: 'v', operator: 'DoesNotExist' }] },
      {},
      true,
    ],
    ['empty selector matches everything', {}, { any: 'thing' }, true],
  ])('structured selector %s', (_name, sel, labels, want) => {
    expect(labelSelectorPredicate(sel)(obj(labels))).toBe(want);
  });

  test('a structured selector prints as kubectl shows it', () => {
    expect(
      formatLabelSelector({
        matchLabels: { b: '2', a: '1' },
        matchExpressions: [{ key: 'c', operator: 'NotIn', values: ['x', 'y'] }],
      }),
    ).toBe('a=1,b=2,c notin (x,y)');
    expect(formatLabelSelector(undefined)).toBe('<none>');
  });
});

describe('field selectors', () => {
  const pod = obj({}, { spec: { nodeName: 'n1' }, status: { phase: 'Running' } });
  test.each([
    ['metadata.name=p', true],
    ['metadata.namespace=other', false],
    ['status.phase=Running,spec.nodeName=n1', true],
    ['status.phase!=Running', false],
    ['spec.nodeName==n2', false],
  ])('%s on a running pod → %s', (selector, want) => {
    expect(parseFieldSelector(selector, 'Pod')(pod)).toBe(want);
  });

  test('a field the kind does not support is refused as the API server does', () => {
    expect(() => parseFieldSelector('spec.replicas=3', 'Deployment')).toThrow(
      'field label not supported: spec.replicas',
    );
  });
});
