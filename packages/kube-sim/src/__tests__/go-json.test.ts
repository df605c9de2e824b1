import { revisionData, templateOf } from '../controllers/history';
import { goPodTemplate, sortKeysDeep } from '../controllers/go-json';

describe('Go JSON encoding of revision data', () => {
  test.each([
    ['keys of nested maps', { b: 1, a: { d: 1, c: 2 } }, '{"a":{"c":2,"d":1},"b":1}'],
    ['keys of maps inside lists, keeping list order', [{ z: 1, y: 2 }, 3], '[{"y":2,"z":1},3]'],
    ['a scalar, unchanged', 'x', '"x"'],
  ])('sorting %s gives Go map order', (_name, input, want) => {
    expect(JSON.stringify(sortKeysDeep(input))).toBe(want);
  });

  test.each([
    [
      'an unset creationTimestamp prints null and each container gets empty resources',
      { metadata: { labels: { app: 'db' } }, spec: { containers: [{ name: 'c', image: 'pg:16' }] } },
      {
        metadata: { labels: { app: 'db' }, creationTimestamp: null },
        spec: { containers: [{ name: 'c', image: 'pg:16', resources: {} }] },
      },
    ],
    [
      'init containers get empty resources too, and set resources are kept',
      {
        spec: {
          initContainers: [{ name: 'i', image: 'busybox' }],
          containers: [{ name: 'c', image: 'x', resources: { limits: { cpu: '1' } } }],
        },
      },
      {
        metadata: { creationTimestamp: null },
        spec: {
          initContainers: [{ name: 'i', image: 'busybox', resources: {} }],
          containers: [{ name: 'c', image: 'x', resources: { limits: { cpu: '1' } } }],
        },
      },
    ],
  ])('%s', (_name, template, want) => {
    expect(goPodTemplate(template)).toEqual(want);
  });

  test('revision data is the bytes upstream getPatch writes for a template', () => {
    const data = revisionData({
      metadata: { labels: { tier: 'db', app: 'db' } },
      spec: { containers: [{ name: 'c', image: 'postgres:16', env: [{ value: 'v', name: 'N' }] }] },
    });
    expect(JSON.stringify(data)).toBe(
      '{"spec":{"template":{"$patch":"replace","metadata":{"creationTimestamp":null,"labels":{"app":"db","tier":"db"}},' +
        '"spec":{"containers":[{"env":[{"name":"N","value":"v"}],"image":"postgres:16","name":"c","resources":{}}]}}}}',
    );
  });

  test('the template read back from a revision has no patch directive and no null creationTimestamp', () => {
    const template = {
      metadata: { labels: { app: 'db' } },
      spec: { containers: [{ name: 'c', image: 'x' }] },
    };
    const back = templateOf({
      apiVersion: 'apps/v1',
      kind: 'ControllerRevision',
      metadata: { name: 'db-1' },
      revision: 1,
      data: revisionData(template),
    });
    expect(back).toEqual({
      metadata: { labels: { app: 'db' } },
      spec: { containers: [{ name: 'c', image: 'x', resources: {} }] },
    });
  });
});
