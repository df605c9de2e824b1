import { defaultTable, judge, lookup, parseMinor, versionSkewWarning } from '@upgrade-actions/deprecations';

/**
 * The lifecycle table (packages/deprecations/data/apis.json) against the facts of the Kubernetes
 * Deprecated API Migration Guide, and the verdict semantics.
 */
describe('the API lifecycle table', () => {
  test('every entry names its apiVersion, kind, component, versions and source', () => {
    for (const e of defaultTable.entries) {
      expect(e.apiVersion).toMatch(/^([a-z0-9.-]+\/)?v\d+((alpha|beta)\d+)?$/);
      expect(e.kind).toMatch(/^[A-Z][A-Za-z]+$/);
      expect(e.removedIn ?? e.deprecatedIn).not.toBeNull();
      for (const v of [e.deprecatedIn, e.removedIn, e.replacementAvailableIn, e.introducedIn])
        if (v !== null) expect(parseMinor(v)).not.toBeNull();
      expect(Object.keys(defaultTable.latest)).toContain(e.component);
      expect(e.source.length).toBeGreaterThan(5);
    }
  });

  test('no API version of a kind is listed twice', () => {
    const keys = defaultTable.entries.map((e) => `${e.apiVersion}/${e.kind}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  test('a deprecation never comes after the removal', () => {
    for (const e of defaultTable.entries)
      if (e.deprecatedIn && e.removedIn)
        expect([
          e.apiVersion,
          e.kind,
          parseMinor(e.deprecatedIn)!.minor <= parseMinor(e.removedIn)!.minor,
        ]).toEqual([e.apiVersion, e.kind, true]);
  });

  // apiVersion, kind, removed in, replacement, available since — from the migration guide.
  test.each([
    ['extensions/v1beta1', 'Deployment', '1.16', 'apps/v1/Deployment', '1.9'],
    ['apps/v1beta2', 'DaemonSet', '1.16', 'apps/v1/DaemonSet', '1.9'],
    ['extensions/v1beta1', 'NetworkPolicy', '1.16', 'networking.k8s.io/v1/NetworkPolicy', '1.7'],
    ['extensions/v1beta1', 'Ingress', '1.22', 'networking.k8s.io/v1/Ingress', '1.19'],
    ['networking.k8s.io/v1beta1', 'IngressClass', '1.22', 'networking.k8s.io/v1/IngressClass', '1.19'],
    [
      'apiextensions.k8s.io/v1beta1',
      'CustomResourceDefinition',
      '1.22',
      'apiextensions.k8s.io/v1/CustomResourceDefinition',
      '1.16',
    ],
    [
      'rbac.authorization.k8s.io/v1beta1',
      'ClusterRole',
      '1.22',
      'rbac.authorization.k8s.io/v1/ClusterRole',
      '1.8',
    ],
    [
      'authorization.k8s.io/v1beta1',
      'SelfSubjectAccessReview',
      '1.22',
      'authorization.k8s.io/v1/SelfSubjectAccessReview',
      '1.6',
    ],
    ['batch/v1beta1', 'CronJob', '1.25', 'batch/v1/CronJob', '1.21'],
    ['policy/v1beta1', 'PodDisruptionBudget', '1.25', 'policy/v1/PodDisruptionBudget', '1.21'],
    ['policy/v1beta1', 'PodSecurityPolicy', '1.25', null, null],
    ['events.k8s.io/v1beta1', 'Event', '1.25', 'events.k8s.io/v1/Event', '1.19'],
    [
      'autoscaling/v2beta2',
      'HorizontalPodAutoscaler',
      '1.26',
      'autoscaling/v2/HorizontalPodAutoscaler',
      '1.23',
    ],
    ['storage.k8s.io/v1beta1', 'CSIStorageCapacity', '1.27', 'storage.k8s.io/v1/CSIStorageCapacity', '1.24'],
    [
      'flowcontrol.apiserver.k8s.io/v1beta2',
      'FlowSchema',
      '1.29',
      'flowcontrol.apiserver.k8s.io/v1beta3/FlowSchema',
      '1.26',
    ],
    [
      'flowcontrol.apiserver.k8s.io/v1beta3',
      'PriorityLevelConfiguration',
      '1.32',
      'flowcontrol.apiserver.k8s.io/v1/PriorityLevelConfiguration',
      '1.29',
    ],
  ])(
    '%s %s is removed in %s, replaced by %s (available since %s)',
    (apiVersion, kind, removedIn, replacement, since) => {
      const e = lookup(defaultTable, apiVersion, kind)!;
      expect(e).toBeDefined();
      expect([e.removedIn, e.replacement, e.replacementAvailableIn]).toEqual([removedIn, replacement, since]);
    },
  );

  test('where pluto disagrees with the upstream markers, the markers win', () => {
    expect(lookup(defaultTable, 'extensions/v1beta1', 'Deployment')!.deprecatedIn).toBe('1.8');
    expect(lookup(defaultTable, 'apps/v1beta1', 'ReplicaSet')).toBeUndefined();
  });
});

describe('a verdict at a target release', () => {
  const ingress = lookup(defaultTable, 'extensions/v1beta1', 'Ingress')!;
  test.each([
    ['1.13', false, false],
    ['1.14', true, false],
    ['1.21', true, false],
    ['1.22', true, true],
    ['v1.30.4', true, true],
  ])('extensions/v1beta1 Ingress at %s: deprecated %s, removed %s', (target, deprecated, removed) => {
    expect(judge(ingress, parseMinor(target)!)).toEqual({ deprecated, removed, notYetAvailable: false });
  });

  test('an API removed without a recorded deprecation release still counts as deprecated', () => {
    expect(judge({ ...ingress, deprecatedIn: null }, parseMinor('1.22')!)).toEqual({
      deprecated: true,
      removed: true,
      notYetAvailable: false,
    });
  });
});

describe('the N-2 version policy', () => {
  test.each([
    ['1.34', '1.36', false],
    ['1.33', '1.36', true],
    ['1.36', '1.36', false],
  ])('a cluster at %s with %s the newest warns: %s', (cluster, latest, warns) => {
    const w = versionSkewWarning(parseMinor(cluster)!, parseMinor(latest)!);
    expect(w !== null).toBe(warns);
    if (w) expect(w).toContain('3 minor releases behind');
  });
});
