import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ConfigurationError } from '@upgrade-actions/common';
import {
  loadManifests,
  manifestFiles,
  orderManifests,
  parseManifests,
  selectorString,
  tabbed,
} from '@upgrade-actions/kube';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'kube-manifests-'));
  mkdirSync(path.join(dir, 'app/nested'), { recursive: true });
  writeFileSync(path.join(dir, 'app/b.yaml'), 'apiVersion: v1\nkind: Service\nmetadata: {name: b}\n');
  writeFileSync(path.join(dir, 'app/a.yml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n');
  writeFileSync(
    path.join(dir, 'app/c.json'),
    '{"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "c"}}',
  );
  writeFileSync(path.join(dir, 'app/readme.md'), '# not a manifest');
  writeFileSync(path.join(dir, 'app/nested/d.yaml'), 'apiVersion: v1\nkind: Pod\nmetadata: {name: d}\n');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const names = (files: string[]) => files.map((f) => path.relative(dir, f));

describe('manifest files are found as kubectl -f finds them', () => {
  test('a directory gives its manifest files in name order, not recursing unless asked', () => {
    expect(names(manifestFiles(['app'], { cwd: dir }))).toEqual(['app/a.yml', 'app/b.yaml', 'app/c.json']);
    expect(names(manifestFiles(['app'], { cwd: dir, recursive: true }))).toEqual([
      'app/a.yml',
      'app/b.yaml',
      'app/c.json',
      'app/nested/d.yaml',
    ]);
  });

  test.each([
    ['app/*.yaml', ['app/b.yaml']],
    ['app/*.{yaml,yml}', ['app/a.yml', 'app/b.yaml']],
    ['app/**/*.yaml', ['app/b.yaml', 'app/nested/d.yaml']],
    ['app/?.json', ['app/c.json']],
  ])('the glob %s matches %p', (pattern, expected) => {
    expect(names(manifestFiles([pattern], { cwd: dir }))).toEqual(expected);
  });

  test('a name matching nothing is a configuration error', () => {
    expect(() => manifestFiles(['missing/*.yaml'], { cwd: dir })).toThrow(
      new ConfigurationError('manifests: "missing/*.yaml" matches no file or directory'),
    );
  });

  test('YAML and JSON files load alike', () => {
    expect(loadManifests(['app'], { cwd: dir }).map((m) => m.object.kind)).toEqual([
      'ConfigMap',
      'Service',
      'Secret',
    ]);
  });
});

describe('parseManifests reads multi-document YAML, JSON and lists', () => {
  test('documents are numbered from 1, empty ones skipped, kind: List flattened', () => {
    const text = `---
apiVersion: v1
kind: ConfigMap
metadata: {name: one}
---
# only a comment
---
apiVersion: v1
kind: List
items:
- {apiVersion: v1, kind: Service, metadata: {name: two}}
- {apiVersion: apps/v1, kind: Deployment, metadata: {name: three}}
`;
    expect(parseManifests(text, 'app.yaml').map((m) => [m.object.metadata?.name, m.document])).toEqual([
      ['one', 1],
      ['two', 3],
      ['three', 3],
    ]);
  });

  test('a typed list such as ServiceList is flattened too', () => {
    const text = JSON.stringify({
      apiVersion: 'v1',
      kind: 'ServiceList',
      items: [{ apiVersion: 'v1', kind: 'Service', metadata: { name: 's' } }],
    });
    expect(parseManifests(text, 'list.json').map((m) => m.object.kind)).toEqual(['Service']);
  });

  test.each([
    [
      'apiVersion: v1\nkind: ConfigMap\n---\nkind: Service\nmetadata: {name: x}\n',
      'manifests: f.yaml: document 2: object has no apiVersion',
    ],
    ['apiVersion: v1\nmetadata: {name: x}\n', 'manifests: f.yaml: document 1: object has no kind'],
    ['foo\n', 'manifests: f.yaml: document 1: expected an object with apiVersion and kind'],
    ['apiVersion: v1\nkind: A\n---\nkey: [unclosed\n', /^manifests: f\.yaml: document 2: invalid YAML: /],
  ])('a bad document is an error naming the file and document (%#)', (text, message) => {
    expect(() => parseManifests(text, 'f.yaml')).toThrow(ConfigurationError);
    expect(() => parseManifests(text, 'f.yaml')).toThrow(message);
  });
});

test('orderManifests puts what others need first, keeping the given order among equals', () => {
  const kinds = [
    'Ingress',
    'Service',
    'Deployment',
    'Widget',
    'ConfigMap',
    'CustomResourceDefinition',
    'Secret',
    'Namespace',
    'ServiceAccount',
    'RoleBinding',
    'Role',
    'PersistentVolumeClaim',
    'StatefulSet',
  ];
  const ordered = orderManifests(
    kinds.map((kind, i) => ({ object: { apiVersion: 'v1', kind, metadata: { name: `${i}` } } })),
  );
  expect(ordered.map((m) => m.object.kind)).toEqual([
    'Namespace',
    'CustomResourceDefinition',
    'ServiceAccount',
    'Role',
    'RoleBinding',
    'ConfigMap',
    'Secret',
    'PersistentVolumeClaim',
    'Deployment',
    'StatefulSet',
    'Service',
    'Ingress',
    'Widget',
  ]);
});

test.each([
  [{ matchLabels: { b: '2', a: '1' } }, 'a=1,b=2'],
  [{ matchExpressions: [{ key: 'tier', operator: 'In', values: ['web', 'api'] }] }, 'tier in (api,web)'],
  [
    {
      matchExpressions: [
        { key: 'x', operator: 'NotIn', values: ['1'] },
        { key: 'y', operator: 'Exists' },
        { key: 'z', operator: 'DoesNotExist' },
      ],
    },
    'x notin (1),y,!z',
  ],
  [undefined, ''],
])('selectorString(%p) is %p, as LabelSelectorAsSelector prints it', (sel, text) => {
  expect(selectorString(sel)).toBe(text);
});

test.each([
  ['REVISION\tCHANGE-CAUSE\n1\t<none>\n', 'REVISION  CHANGE-CAUSE\n1         <none>\n'],
  ['a\tb\tc\nlonger\tx\ty\n', 'a       b  c\nlonger  x  y\n'],
  ['head\nx\ty\n', 'head\nx  y\n'],
])("tabbed pads columns as Go's tabwriter does (%#)", (input, output) => {
  expect(tabbed(input)).toBe(output);
});
