import { humanDuration } from '../http/human-duration';
import { serverSideApply, trackUpdate } from '../patch/apply';
import { applyJsonPatch, applyMergePatch } from '../patch/json-patch';
import { applyStrategicMergePatch } from '../patch/strategic-merge';
import type { KObject } from '../types';

const deployment = (containers: unknown[], extra: Record<string, unknown> = {}) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web' },
  spec: { replicas: 2, template: { spec: { containers } }, ...extra },
});

describe('JSON patch (RFC 6902)', () => {
  test.each([
    ['add to a map', { a: 1 }, [{ op: 'add', path: '/b', value: 2 }], { a: 1, b: 2 }],
    ['add to the end of a list', { l: [1] }, [{ op: 'add', path: '/l/-', value: 2 }], { l: [1, 2] }],
    ['insert into a list', { l: [1, 3] }, [{ op: 'add', path: '/l/1', value: 2 }], { l: [1, 2, 3] }],
    ['remove', { a: 1, b: 2 }, [{ op: 'remove', path: '/a' }], { b: 2 }],
    ['replace', { a: { b: 1 } }, [{ op: 'replace', path: '/a/b', value: 5 }], { a: { b: 5 } }],
    ['move', { a: 1 }, [{ op: 'move', from: '/a', path: '/b' }], { b: 1 }],
    ['copy', { a: [1] }, [{ op: 'copy', from: '/a', path: '/b' }], { a: [1], b: [1] }],
    [
      'escaped keys',
      { 'x/y': 1, 'm~n': 2 },
      [
        { op: 'remove', path: '/x~1y' },
        { op: 'replace', path: '/m~0n', value: 3 },
      ],
      { 'm~n': 3 },
    ],
    [
      'test then replace',
      { a: 1 },
      [
        { op: 'test', path: '/a', value: 1 },
        { op: 'replace', path: '/a', value: 2 },
      ],
      { a: 2 },
    ],
  ])('%s', (_name, doc, ops, want) => {
    expect(applyJsonPatch(doc, ops)).toEqual(want);
  });

  test.each([
    ['a failing test', { a: 1 }, [{ op: 'test', path: '/a', value: 2 }]],
    ['replacing a missing key', { a: 1 }, [{ op: 'replace', path: '/b', value: 2 }]],
    ['a missing parent', { a: 1 }, [{ op: 'add', path: '/x/y', value: 2 }]],
    ['an index past the end', { l: [] }, [{ op: 'remove', path: '/l/0' }]],
  ])('%s is 422 Invalid and leaves nothing half-done', (_name, doc, ops) => {
    const before = structuredClone(doc);
    expect(() => applyJsonPatch(doc, ops)).toThrow(expect.objectContaining({ code: 422 }));
    expect(doc).toEqual(before);
  });
});

describe('JSON merge patch (RFC 7386)', () => {
  test.each([
    ['maps merge', { a: { b: 1, c: 2 } }, { a: { c: 3 } }, { a: { b: 1, c: 3 } }],
    ['null deletes', { a: 1, b: 2 }, { a: null }, { b: 2 }],
    ['lists replace', { l: [1, 2] }, { l: [3] }, { l: [3] }],
    ['scalars replace maps', { a: { b: 1 } }, { a: 'x' }, { a: 'x' }],
  ])('%s', (_name, doc, patch, want) => {
    expect(applyMergePatch(doc, patch)).toEqual(want);
  });
});

describe('strategic merge patch', () => {
  const web = {
    name: 'web',
    image: 'nginx:1.27',
    ports: [{ containerPort: 80 }],
    env: [{ name: 'A', value: '1' }],
  };
  const sidecar = { name: 'sidecar', image: 'envoy:1' };

  test.each([
    [
      'containers merge by name (kubectl set image)',
      { spec: { template: { spec: { containers: [{ name: 'web', image: 'nginx:1.28' }] } } } },
      [{ ...web, image: 'nginx:1.28' }, sidecar],
    ],
    [
      'a new container is appended',
      { spec: { template: { spec: { containers: [{ name: 'log', image: 'fluent:1' }] } } } },
      [web, sidecar, { name: 'log', image: 'fluent:1' }],
    ],
    [
      '$patch: delete removes the keyed item',
      { spec: { template: { spec: { containers: [{ name: 'sidecar', $patch: 'delete' }] } } } },
      [web],
    ],
    [
      'container ports merge by containerPort and env by name',
      {
        spec: {
          template: {
            spec: {
              containers: [
                {
                  name: 'web',
                  ports: [{ containerPort: 9090, name: 'metrics' }],
                  env: [{ name: 'A', value: '2' }],
                },
              ],
            },
          },
        },
      },
      [
        {
          ...web,
          ports: [{ containerPort: 80 }, { containerPort: 9090, name: 'metrics' }],
          env: [{ name: 'A', value: '2' }],
        },
        sidecar,
      ],
    ],
    [
      '$patch: replace on a list element replaces the list',
      {
        spec: { template: { spec: { containers: [{ $patch: 'replace' }, { name: 'only', image: 'x:1' }] } } },
      },
      [{ name: 'only', image: 'x:1' }],
    ],
    [
      '$setElementOrder orders the merged list',
      {
        spec: {
          template: { spec: { '$setElementOrder/containers': [{ name: 'sidecar' }, { name: 'web' }] } },
        },
      },
      [sidecar, web],
    ],
  ])('%s', (_name, patch, wantContainers) => {
    const out = applyStrategicMergePatch('Deployment', deployment([web, sidecar]), patch) as ReturnType<
      typeof deployment
    >;
    expect(out.spec.template.spec.containers).toEqual(wantContainers);
  });

  test('$retainKeys drops the fields of the strategy it does not list (Recreate has no rollingUpdate)', () => {
    const d = deployment([web], { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%' } } });
    const out = applyStrategicMergePatch('Deployment', d, {
      spec: { strategy: { $retainKeys: ['type'], type: 'Recreate' } },
    }) as {
      spec: { strategy: unknown };
    };
    expect(out.spec.strategy).toEqual({ type: 'Recreate' });
  });

  test('Service ports merge by port, and null deletes a map key', () => {
    const svc = {
      spec: { ports: [{ port: 80, targetPort: 8080 }], selector: { app: 'web', version: 'v1' } },
    };
    const out = applyStrategicMergePatch('Service', svc, {
      spec: { ports: [{ port: 80, targetPort: 9090 }], selector: { version: null } },
    });
    expect(out).toEqual({ spec: { ports: [{ port: 80, targetPort: 9090 }], selector: { app: 'web' } } });
  });

  test('finalizers merge as a set; $deleteFromPrimitiveList removes from it', () => {
    const o = { metadata: { finalizers: ['a', 'b'] } };
    expect(applyStrategicMergePatch('ConfigMap', o, { metadata: { finalizers: ['b', 'c'] } })).toEqual({
      metadata: { finalizers: ['a', 'b', 'c'] },
    });
    expect(
      applyStrategicMergePatch('ConfigMap', o, {
        metadata: { '$deleteFromPrimitiveList/finalizers': ['a'] },
      }),
    ).toEqual({
      metadata: { finalizers: ['b'] },
    });
  });
});

describe('server-side apply', () => {
  const req = (manager: string, force = false) => ({
    manager,
    force,
    apiVersion: 'apps/v1',
    now: '2026-01-01T00:00:00Z',
  });
  const applied = (replicas: number, containers: unknown[]) =>
    deployment(containers, { replicas }) as unknown as KObject;
  const apply = (live: KObject | undefined, cfg: KObject, manager: string, force = false) =>
    serverSideApply('Deployment', live, cfg, req(manager, force));

  test('the first apply records the manager and its fields, list items keyed by name', () => {
    const out = apply(undefined, applied(2, [{ name: 'web', image: 'a:1' }]), 'ci');
    expect(out.metadata.managedFields).toEqual([
      {
        manager: 'ci',
        operation: 'Apply',
        apiVersion: 'apps/v1',
        time: '2026-01-01T00:00:00Z',
        fieldsType: 'FieldsV1',
        fieldsV1: {
          'f:spec': {
            'f:replicas': {},
            'f:template': {
              'f:spec': { 'f:containers': { 'k:{"name":"web"}': { '.': {}, 'f:image': {}, 'f:name': {} } } },
            },
          },
        },
      },
    ]);
  });

  test('another manager changing an owned field conflicts, naming the field and its owner', () => {
    const live = apply(undefined, applied(2, [{ name: 'web', image: 'a:1' }]), 'ci');
    expect(() => apply(live, applied(3, [{ name: 'web', image: 'a:2' }]), 'ops')).toThrow(
      'Apply failed with 2 conflicts: conflicts with "ci":\n- .spec.replicas\n- .spec.template.spec.containers[name="web"].image',
    );
  });

  test('force takes the field over and the previous owner loses it', () => {
    const live = apply(undefined, applied(2, [{ name: 'web', image: 'a:1' }]), 'ci');
    const out = apply(live, applied(5, [{ name: 'web', image: 'a:1' }]), 'ops', true);
    expect((out.spec as { replicas: number }).replicas).toBe(5);
    const ci = (
      out.metadata.managedFields as Array<{
        manager: string;
        fieldsV1: Record<string, Record<string, unknown>>;
      }>
    ).find((m) => m.manager === 'ci')!;
    expect(ci.fieldsV1['f:spec']['f:replicas']).toBeUndefined();
  });

  test('a field the manager stops applying is removed, unless another manager owns it', () => {
    const two = [
      { name: 'web', image: 'a:1' },
      { name: 'sidecar', image: 'b:1' },
    ];
    const live = apply(undefined, applied(2, two), 'ci');
    const out = apply(live, applied(2, [{ name: 'web', image: 'a:1' }]), 'ci');
    expect((out.spec as { template: { spec: { containers: unknown[] } } }).template.spec.containers).toEqual([
      { name: 'web', image: 'a:1' },
    ]);

    const shared = apply(live, applied(2, two), 'ops');
    const kept = apply(shared, applied(2, [{ name: 'web', image: 'a:1' }]), 'ci');
    expect(
      (kept.spec as { template: { spec: { containers: unknown[] } } }).template.spec.containers,
    ).toHaveLength(2);
  });

  test('an update by another client takes the fields it changed', () => {
    const live = apply(undefined, applied(2, [{ name: 'web', image: 'a:1' }]), 'ci');
    const next = structuredClone(live);
    (next.spec as { replicas: number }).replicas = 4;
    trackUpdate('Deployment', live, next, 'hpa', 'apps/v1', '2026-01-01T00:01:00Z');
    const hpa = (
      next.metadata.managedFields as Array<{ manager: string; operation: string; fieldsV1: unknown }>
    ).find((m) => m.manager === 'hpa');
    expect(hpa).toMatchObject({ operation: 'Update', fieldsV1: { 'f:spec': { 'f:replicas': {} } } });
    expect(() => apply(next, applied(2, [{ name: 'web', image: 'a:1' }]), 'ci')).toThrow(
      'Apply failed with 1 conflict: conflict with "hpa" using apps/v1: .spec.replicas',
    );
  });

  test('apply without a field manager is 400', () => {
    expect(() => apply(undefined, applied(1, []), '')).toThrow(expect.objectContaining({ code: 400 }));
  });
});

describe('ages as kubectl prints them', () => {
  test.each([
    [-5000, '<invalid>'],
    [0, '0s'],
    [119_000, '119s'],
    [125_000, '2m5s'],
    [600_000, '10m'],
    [3 * 3600_000, '3h'],
    [5 * 3600_000 + 7 * 60_000, '5h7m'],
    [30 * 3600_000, '30h'],
    [3 * 86400_000 + 4 * 3600_000, '3d4h'],
    [100 * 86400_000, '100d'],
    [(3 * 365 + 10) * 86400_000, '3y10d'],
    [10 * 365 * 86400_000, '10y'],
  ])('%d ms → %s', (ms, want) => {
    expect(humanDuration(ms)).toBe(want);
  });
});
