import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  apiCheck,
  defaultTable,
  ManifestError,
  scanText,
  splitDocuments,
  toJson,
  toSarif,
} from '@upgrade-actions/deprecations';
import { repoRoot } from './harness/run-action';

const fixtures = path.join(repoRoot, 'test', 'fixtures', 'manifests');
function yamlFixtures(d = fixtures): string[] {
  return readdirSync(d)
    .sort()
    .flatMap((f) => {
      const p = path.join(d, f);
      if (statSync(p).isDirectory()) return yamlFixtures(p);
      return /\.ya?ml$/.test(f) ? [p] : [];
    });
}

describe('a YAML syntax error is an error at its file and line, whatever the apiVersion', () => {
  test('a broken document outside the lifecycle table is reported, not passed as all clear', () => {
    const text = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  k: v: w\n';
    expect(() => scanText(text, 'cm.yaml', {})).toThrow(
      'cm.yaml:6:6: not valid YAML: Nested mappings are not allowed in compact mappings',
    );
  });

  test('an alias to an anchor that does not exist is an error (kubectl rejects it too)', () => {
    expect(() => scanText('apiVersion: v1\nkind: ConfigMap\ndata: *nope\n', 'a.yaml', {})).toThrow(
      "a.yaml:3:7: not valid YAML: unknown anchor 'nope' referenced",
    );
  });

  // Property: for every document of every fixture, a broken line injected into it is reported at that
  // line, and only that document is lost: the others read exactly as without the injection.
  const cases = yamlFixtures().flatMap((file) => {
    const text = readFileSync(file, 'utf8');
    const segments = splitDocuments(text) ?? [];
    return segments
      .map((seg, k) => ({ file: path.relative(fixtures, file), text, seg, k }))
      .filter(({ text, seg }) => /^[A-Za-z][\w.-]*:(?: |$)/m.test(text.slice(seg.start, seg.end)));
  });
  test.each(cases.map((c) => [`${c.file} document ${c.k}`, c] as const))(
    'a syntax error injected into %s is reported at its line',
    (_name, { file, text, seg }) => {
      // After the first top-level key line of a block mapping, a line no YAML reader accepts.
      const body = text.slice(seg.start, seg.end);
      const first = /^[A-Za-z][\w.-]*:(?: [^\n]*)?\n/m.exec(body);
      if (!first) return;
      const at = seg.start + first.index + first[0].length;
      const broken = text.slice(0, at) + 'broken: a: b\n' + text.slice(at);
      const line = broken.slice(0, at).split('\n').length;
      const errors: ManifestError[] = [];
      const objects = scanText(broken, file, { errors });
      expect(errors.map((e) => [e.file, e.line])).toEqual([[file, line]]);
      expect(errors[0].message).not.toMatch(/:$/);
      const clean = scanText(text, file, {});
      const brokenDoc = clean.find(
        (o) => o.line !== null && o.line >= seg.line && o.line <= line,
      )?.documentIndex;
      expect(objects.map((o) => o.documentIndex)).not.toContain(brokenDoc);
      expect(objects.length).toBeLessThan(clean.length + 1);
    },
  );
});

describe('YAML merge keys are expanded as kubectl expands them', () => {
  test('metadata and apiVersion merged from an anchor are read', () => {
    const text = [
      'base: &meta {name: web, namespace: shop}',
      '---',
      'common: &api',
      '  apiVersion: extensions/v1beta1',
      '  kind: Ingress',
      '<<: *api',
      'metadata:',
      '  <<: {name: web, namespace: shop}',
      '  labels: {a: b}',
      '---',
      'apiVersion: policy/v1beta1',
      'kind: PodDisruptionBudget',
      'metadata:',
      '  name: own',
      '  <<: [{name: merged, namespace: first}, {namespace: second}]',
    ].join('\n');
    const objs = scanText(text, 'm.yaml', {});
    expect(objs.slice(1).map((o) => [o.apiVersion, o.kind, o.namespace, o.name])).toEqual([
      ['extensions/v1beta1', 'Ingress', 'shop', 'web'],
      // The map's own keys win; among merged maps the first wins.
      ['policy/v1beta1', 'PodDisruptionBudget', 'first', 'own'],
    ]);
  });
});

describe('one unreadable manifest does not stop a directory scan', () => {
  let ws: string;
  beforeAll(() => {
    ws = mkdtempSync(path.join(tmpdir(), 'api-check-errors-'));
    mkdirSync(path.join(ws, 'deploy'));
    for (let i = 0; i < 8; i++)
      writeFileSync(
        path.join(ws, 'deploy', `app-${i}.yaml`),
        `apiVersion: policy/v1beta1\nkind: PodDisruptionBudget\nmetadata:\n  name: pdb-${i}\n`,
      );
    writeFileSync(
      path.join(ws, 'deploy', 'broken.yaml'),
      'apiVersion: v1\nkind: ConfigMap\ndata:\n  a: "unclosed\n',
    );
  });
  afterAll(() => rmSync(ws, { recursive: true, force: true }));

  test('the error comes with file:line and the other eight files are judged', async () => {
    const r = await apiCheck({ paths: ['deploy'], cwd: ws, targetVersion: '1.25', keepGoing: true });
    expect(r.errors.map((e) => e.message)).toEqual([
      'deploy/broken.yaml:5:1: not valid YAML: Missing closing "quote',
    ]);
    expect(r.findings).toHaveLength(8);
    // Without keepGoing (the verify stage), the check still fails, naming the file.
    await expect(apiCheck({ paths: ['deploy'], cwd: ws, targetVersion: '1.25' })).rejects.toThrow(
      'deploy/broken.yaml:5:1',
    );
  });

  test('a path given as ./x or absolute is written relative to the workspace in JSON and SARIF alike', async () => {
    for (const given of ['./deploy/app-1.yaml', path.join(ws, 'deploy', 'app-1.yaml')]) {
      const r = await apiCheck({ paths: [given], cwd: ws, targetVersion: '1.25' });
      expect(toJson(r.findings)[0].file).toBe('deploy/app-1.yaml');
      const sarif = toSarif(r.findings, defaultTable, { root: ws, cwd: ws, toolVersion: '1' }) as {
        runs: Array<{
          results: Array<{ locations: Array<{ physicalLocation: { artifactLocation: { uri: string } } }> }>;
        }>;
      };
      expect(sarif.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri).toBe(
        'deploy/app-1.yaml',
      );
    }
  });
});
