import {
  defaultTable,
  exitCodeFor,
  fails,
  findingMessage,
  findingsFor,
  parseMinor,
  toJson,
  type ManifestObject,
} from '@upgrade-actions/deprecations';

// The verdict and the advice are for the target release: a replacement the target does not serve is
// no advice, and an API the target does not serve yet is as fatal to `kubectl apply` as a removed one.
const object = (apiVersion: string, kind: string): ManifestObject => ({
  file: 'x.yaml',
  documentIndex: 0,
  line: 1,
  apiVersion,
  kind,
  name: 'o',
  namespace: null,
});
const at = (target: string, apiVersion: string, kind: string) =>
  findingsFor([object(apiVersion, kind)], defaultTable, { kubernetes: parseMinor(target)! });

describe('the replacement is one the target serves', () => {
  test.each([
    // target, apiVersion, kind, replacement advised
    ['1.24', 'flowcontrol.apiserver.k8s.io/v1beta1', 'flowcontrol.apiserver.k8s.io/v1beta2/FlowSchema'],
    ['1.26', 'flowcontrol.apiserver.k8s.io/v1beta1', 'flowcontrol.apiserver.k8s.io/v1beta3/FlowSchema'],
    ['1.28', 'flowcontrol.apiserver.k8s.io/v1beta2', 'flowcontrol.apiserver.k8s.io/v1beta3/FlowSchema'],
    ['1.29', 'flowcontrol.apiserver.k8s.io/v1beta1', 'flowcontrol.apiserver.k8s.io/v1/FlowSchema'],
    ['1.36', 'flowcontrol.apiserver.k8s.io/v1beta3', 'flowcontrol.apiserver.k8s.io/v1/FlowSchema'],
    ['1.36', 'flowcontrol.apiserver.k8s.io/v1beta1', 'flowcontrol.apiserver.k8s.io/v1/FlowSchema'],
  ])('at %s, %s FlowSchema migrates to %s', (target, apiVersion, replacement) => {
    const [f] = at(target, apiVersion, 'FlowSchema');
    expect([f.replacement, f.replacementServed]).toEqual([replacement, true]);
    expect(findingMessage(f)).toContain(`migrate to ${replacement.replace(/\/FlowSchema$/, ' FlowSchema')}`);
  });

  test('extensions/v1beta1 Ingress at 1.18 migrates to networking.k8s.io/v1beta1, v1 not being served yet', () => {
    const [f] = at('1.18', 'extensions/v1beta1', 'Ingress');
    expect(f.replacement).toBe('networking.k8s.io/v1beta1/Ingress');
    expect(at('1.19', 'extensions/v1beta1', 'Ingress')[0].replacement).toBe('networking.k8s.io/v1/Ingress');
  });

  test('when the target serves no other version, the advice says so and names what comes, and when', () => {
    const [f] = at('1.17', 'flowcontrol.apiserver.k8s.io/v1alpha1', 'FlowSchema');
    expect(f.replacementServed).toBe(false);
    expect(findingMessage(f)).toContain(
      'no version of this API is served at Kubernetes 1.17; flowcontrol.apiserver.k8s.io/v1 FlowSchema is served from 1.29 on',
    );
    expect(toJson([f])[0].replacement).toBeNull();
  });
});

describe('APIs the target does not serve yet', () => {
  test.each([
    [
      '1.20',
      'autoscaling/v2',
      'HorizontalPodAutoscaler',
      '1.23',
      'autoscaling/v2beta2/HorizontalPodAutoscaler',
    ],
    [
      '1.20',
      'flowcontrol.apiserver.k8s.io/v1beta3',
      'FlowSchema',
      '1.26',
      'flowcontrol.apiserver.k8s.io/v1beta1/FlowSchema',
    ],
    ['1.20', 'batch/v1', 'CronJob', '1.21', 'batch/v1beta1/CronJob'],
  ])('at %s, %s %s is not yet available (from %s): use %s', (target, apiVersion, kind, from, replacement) => {
    const found = at(target, apiVersion, kind);
    expect(found.map((f) => [f.status, f.introducedIn, f.replacement, f.deprecated, f.removed])).toEqual([
      ['not-yet-available', from, replacement, false, false],
    ]);
    expect(findingMessage(found[0])).toContain(
      `is not served yet at Kubernetes ${target}: it is available from Kubernetes ${from}`,
    );
    // Its own exit code, and fail-on: removed fails on it (the target cannot serve it either).
    expect(exitCodeFor(found)).toBe(4);
    expect(fails(found, 'removed')).toBe(true);
  });

  test('from its first release on, a GA API is fine', () => {
    expect(at('1.23', 'autoscaling/v2', 'HorizontalPodAutoscaler')).toEqual([]);
    expect(at('1.36', 'batch/v1', 'CronJob')).toEqual([]);
  });

  test('the highest exit code applies: not yet available (4) over removed (3) over deprecated (2)', () => {
    const objs = [
      object('autoscaling/v2', 'HorizontalPodAutoscaler'),
      object('extensions/v1beta1', 'Ingress'),
    ];
    const t = { kubernetes: parseMinor('1.22')! };
    const both = findingsFor(objs, defaultTable, t);
    expect(both.map((f) => f.status)).toEqual(['not-yet-available', 'removed']);
    expect(exitCodeFor(both)).toBe(4);
    expect(exitCodeFor(both.slice(1))).toBe(3);
  });
});
