import {
  decide,
  leaseName,
  leaseState,
  markAnnotations,
  microTime,
  parseWorkloads,
  readMark,
  templateFingerprint,
  verifyRolledBack,
  type DecisionInput,
  type FailedMark,
  type Lease,
} from '@upgrade-actions/rollback';

const mark = (failedRevision: number, rolledBackTo: number): FailedMark => ({
  failedRevision,
  rolledBackTo,
  reason: 'smoke tests failed',
  at: '2026-11-25T07:00:00.000Z',
  templateFingerprint: 'sha256:abc',
});

describe('deciding what a workload needs', () => {
  test.each<[string, DecisionInput, ReturnType<typeof decide>['action'], number | string]>([
    [
      'a release still running its new revision is rolled back to the revision before it',
      { current: 2, release: { revisionBefore: 1, revisionAfter: 2 }, toRevision: 0 },
      'rollback',
      1,
    ],
    [
      'an explicit to-revision wins over the release',
      { current: 5, release: { revisionBefore: 4, revisionAfter: 5 }, toRevision: 2 },
      'rollback',
      2,
    ],
    [
      'a release rolled back by an earlier run is already done',
      { current: 3, mark: mark(2, 3), release: { revisionBefore: 1, revisionAfter: 2 }, toRevision: 0 },
      'already-rolled-back',
      'already rolled back: revision 2 was marked failed at 2026-11-25T07:00:00.000Z (smoke tests failed); the workload is at revision 3',
    ],
    [
      'a workload back at the revision before the release is done',
      { current: 1, release: { revisionBefore: 1, revisionAfter: 2 }, toRevision: 0 },
      'already-rolled-back',
      'already at revision 1, the revision before the release',
    ],
    [
      'a workload the release created has nothing to go back to',
      { current: 1, release: { revisionBefore: null, revisionAfter: 1 }, toRevision: 0 },
      'skip',
      'the release created this workload: it has no earlier revision to roll back to',
    ],
    [
      'a workload the release left unchanged is skipped',
      { current: 4, release: { revisionBefore: 4, revisionAfter: 4 }, toRevision: 0 },
      'skip',
      'the release did not change it (revision 4); if an earlier run applied that revision and was stopped, roll it back by naming the workload (rollback: workloads; CLI: upgrade-actions rollback TYPE/NAME)',
    ],
    [
      'a workload that moved on since is not undone',
      { current: 6, release: { revisionBefore: 1, revisionAfter: 2 }, toRevision: 0 },
      'skip',
      'it moved on to revision 6 since the release (which made revision 2); not undoing a newer change',
    ],
    [
      'a mark for another failed revision does not count as done',
      { current: 9, mark: mark(5, 9), release: { revisionBefore: 7, revisionAfter: 8 }, toRevision: 0 },
      'skip',
      'it moved on to revision 9 since the release (which made revision 8); not undoing a newer change',
    ],
    [
      'an explicit workload is rolled back to the previous revision',
      { current: 4, toRevision: 0 },
      'rollback',
      0,
    ],
    [
      'an explicit workload still at the revision our rollback left is done',
      { current: 3, mark: mark(2, 3), toRevision: 0 },
      'already-rolled-back',
      'already rolled back: revision 2 was marked failed at 2026-11-25T07:00:00.000Z (smoke tests failed); the workload is at revision 3',
    ],
    [
      'an explicit workload deployed again since our rollback is rolled back again',
      { current: 4, mark: mark(2, 3), toRevision: 0 },
      'rollback',
      0,
    ],
    [
      'an explicit to-revision is always honoured (kubectl skips it when it already matches)',
      { current: 3, mark: mark(2, 3), toRevision: 1 },
      'rollback',
      1,
    ],
  ])('%s', (_name, input, action, detail) => {
    const d = decide(input);
    expect(d.action).toBe(action);
    expect(d.action === 'rollback' ? d.toRevision : d.message).toBe(detail);
  });
});

describe('the failed-revision mark', () => {
  test('round-trips through the workload annotations', () => {
    const m = mark(4, 5);
    expect(readMark({ metadata: { annotations: markAnnotations(m) } })).toEqual(m);
  });

  test.each([
    ['no annotations', undefined],
    [
      'a revision that is not a number',
      { 'upgrade-actions.io/failed-revision': 'two', 'upgrade-actions.io/failed-template': 'sha256:x' },
    ],
    ['no template fingerprint', { 'upgrade-actions.io/failed-revision': '2' }],
  ])('is absent with %s', (_name, annotations) => {
    expect(readMark({ metadata: { annotations } })).toBeUndefined();
  });

  test('its template fingerprint ignores key order and the labels controllers add', () => {
    const a = {
      metadata: { labels: { app: 'web', 'pod-template-hash': '5d9c' } },
      spec: { containers: [{ name: 'web', image: 'web:1' }] },
    };
    const b = {
      spec: { containers: [{ image: 'web:1', name: 'web' }] },
      metadata: { labels: { app: 'web' } },
    };
    const c = {
      metadata: { labels: { app: 'web', 'controller-revision-hash': 'x' } },
      spec: { containers: [{ name: 'web', image: 'web:2' }] },
    };
    expect(templateFingerprint(a)).toBe(templateFingerprint(b));
    expect(templateFingerprint(a)).not.toBe(templateFingerprint(c));
    expect(templateFingerprint(a)).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(a.metadata.labels['pod-template-hash']).toBe('5d9c'); // the input is not modified
  });
});

describe('the Lease', () => {
  const now = Date.parse('2026-11-25T08:00:00Z');
  const lease = (holder: string, renewedSecondsAgo: number, duration = 30): Lease => ({
    spec: {
      holderIdentity: holder,
      leaseDurationSeconds: duration,
      renewTime: microTime(now - renewedSecondsAgo * 1000),
    },
  });
  test.each<[string, Lease, ReturnType<typeof leaseState>]>([
    ['with no holder is free', lease('', 0), 'free'],
    ['released by its holder is free', { spec: {} }, 'free'],
    ['held by us is ours', lease('me', 5), 'ours'],
    ['renewed within its duration is held', lease('other', 29), 'held'],
    ['not renewed for its whole duration has expired', lease('other', 30), 'expired'],
    [
      'with no renew time has expired',
      { spec: { holderIdentity: 'other', leaseDurationSeconds: 30 } },
      'expired',
    ],
  ])('%s', (_name, l, state) => {
    expect(leaseState(l, 'me', now)).toBe(state);
  });

  test('times are MicroTime with six fractional digits', () => {
    expect(microTime(Date.parse('2026-11-25T08:00:00.123Z'))).toBe('2026-11-25T08:00:00.123000Z');
  });

  test.each([
    ['Deployment', 'web', 'upgrade-actions-deployment-web'],
    ['StatefulSet', 'db', 'upgrade-actions-statefulset-db'],
  ])('for %s %s is named %s', (kind, name, want) => {
    expect(leaseName(kind, name)).toBe(want);
  });

  test('a name past 253 characters is shortened with a hash, distinct per workload', () => {
    const a = leaseName('Deployment', 'a'.repeat(250));
    const b = leaseName('Deployment', 'a'.repeat(249) + 'b');
    expect(a).toHaveLength(253);
    expect(a).not.toBe(b);
  });
});

describe('explicit workloads', () => {
  test.each([
    ['deployment/web', { type: 'Deployment', name: 'web', namespace: 'shop' }],
    ['deploy/web', { type: 'Deployment', name: 'web', namespace: 'shop' }],
    ['sts/db', { type: 'StatefulSet', name: 'db', namespace: 'shop' }],
    ['daemonsets.apps/agent', { type: 'DaemonSet', name: 'agent', namespace: 'shop' }],
    ['other/deployment/web', { type: 'Deployment', name: 'web', namespace: 'other' }],
  ])('%s is understood', (entry, want) => {
    expect(parseWorkloads([entry], 'shop')).toEqual([want]);
  });

  test.each(['web', 'pod/web', 'deployment/', 'a/b/deployment/web'])(
    '"%s" is refused naming the input',
    (entry) => {
      expect(() => parseWorkloads([entry], 'shop')).toThrow(`workloads: "${entry}" is not a workload`);
    },
  );

  test.each([
    ['deployment/Web', 'name must be a workload name (a DNS-1123 subdomain): a lowercase RFC 1123 subdomain'],
    [
      'deployment/web;rm',
      'name must be a workload name (a DNS-1123 subdomain): a lowercase RFC 1123 subdomain',
    ],
    [
      `deployment/${'w'.repeat(254)}`,
      'name must be a workload name (a DNS-1123 subdomain): must be no more than 253 characters',
    ],
    [
      'Shop/deployment/web',
      'namespace must be a namespace name (a DNS-1123 label): a lowercase RFC 1123 label',
    ],
  ])('"%s" is refused with what the API server accepts', (entry, said) => {
    expect(() => parseWorkloads([entry], 'shop')).toThrow(`workloads: "${entry}" ${said}`);
  });

  test('a namespace given apart (the input, -n) is checked as a namespace name and said as one', () => {
    expect(() => parseWorkloads(['deployment/web'], 'n'.repeat(64))).toThrow(
      `namespace: "${'n'.repeat(64)}" must be a namespace name (a DNS-1123 label): must be no more than 63 characters`,
    );
    expect(parseWorkloads(['deployment/web'], 'n'.repeat(63))[0].namespace).toBe('n'.repeat(63));
  });
});

describe('verifying a rolled-back workload', () => {
  const failed = templateFingerprint({ spec: { containers: [{ name: 'web', image: 'bad:2' }] } });
  const deployment = (image: string, status: object, generation = 3) => ({
    kind: 'Deployment',
    metadata: { generation },
    spec: { replicas: 3, template: { spec: { containers: [{ name: 'web', image }] } } },
    status,
  });
  test.each([
    [
      'every replica available on the restored template is verified',
      deployment('web:1', { observedGeneration: 3, updatedReplicas: 3, availableReplicas: 3 }),
      true,
      '3 of 3 replicas available on the restored template',
    ],
    [
      'still running the failed template is not',
      deployment('bad:2', { observedGeneration: 3, updatedReplicas: 3, availableReplicas: 3 }),
      false,
      'the workload still runs the failed pod template',
    ],
    [
      'a change the controller has not observed is not',
      deployment('web:1', { observedGeneration: 2, updatedReplicas: 3, availableReplicas: 3 }),
      false,
      'the controller has not observed generation 3 yet',
    ],
    [
      'missing available replicas is not',
      deployment('web:1', { observedGeneration: 3, updatedReplicas: 3, availableReplicas: 2 }),
      false,
      '2 of 3 replicas available, 3 of 3 updated',
    ],
    [
      'a DaemonSet with every node updated and available is verified',
      {
        kind: 'DaemonSet',
        metadata: { generation: 1 },
        spec: { template: {} },
        status: {
          observedGeneration: 1,
          desiredNumberScheduled: 2,
          numberAvailable: 2,
          updatedNumberScheduled: 2,
        },
      },
      true,
      '2 of 2 replicas available on the restored template',
    ],
  ])('%s', (_name, obj, verified, message) => {
    expect(verifyRolledBack(obj, failed)).toEqual({ verified, message });
  });
});
