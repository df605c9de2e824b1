import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import {
  defaultTable,
  findingsFor,
  parseMinor,
  scanText,
  type ManifestObject,
  type ScanStats,
} from '@upgrade-actions/deprecations';
import { repoRoot } from './harness/run-action';

const dir = path.join(repoRoot, 'test', 'fixtures', 'manifests');
function manifests(d = dir): string[] {
  return readdirSync(d)
    .sort()
    .flatMap((f) => {
      const p = path.join(d, f);
      if (statSync(p).isDirectory()) return manifests(p);
      return /\.(ya?ml|json)$/.test(f) ? [p] : [];
    });
}
const files = manifests();
const rel = (f: string) => path.relative(dir, f);
const read = (name: string) => readFileSync(path.join(dir, name), 'utf8');
const interesting = defaultTable.byApiVersion;
const fast = (text: string, file = 'x.yaml', stats?: ScanStats) =>
  scanText(text, file, { interesting }, stats);
const full = (text: string, file = 'x.yaml') => scanText(text, file, { interesting, fullParse: true });
const outcome = (f: () => ManifestObject[]) => {
  try {
    return f();
  } catch (e) {
    return `error: ${(e as Error).message}`;
  }
};

// Variations that must not change what is read: line endings, headers, trailing markers.
const variants: Array<[string, (t: string) => string]> = [
  ['as written', (t) => t],
  ['with CRLF line endings', (t) => t.replace(/\r?\n/g, '\r\n')],
  [
    'behind a Helm-style comment header and a leading ---',
    (t) => `# Source: chart/templates/x.yaml\n---\n${t}`,
  ],
  ['followed by a trailing --- and an empty document', (t) => `${t}\n---\n`],
  ['concatenated with itself', (t) => `${t}\n---\n${t}`],
];

describe('the fast path reads exactly what a full YAML parse reads', () => {
  test('there are fixtures to compare', () => expect(files.length).toBeGreaterThan(20));

  describe.each(variants)('every fixture %s', (_name, vary) => {
    test.each(files.map((f) => [rel(f), f]))('%s', (_r, f) => {
      const text = vary(readFileSync(f, 'utf8'));
      expect(outcome(() => fast(text))).toEqual(outcome(() => full(text)));
    });
  });

  test('every document is parsed, whatever its apiVersion: a broken one must not pass unseen', () => {
    const stats: ScanStats = { documents: 0, fullyParsed: 0 };
    fast(read('kube-state-metrics-v1.9.7-standard.yaml'), 'k', stats);
    expect(stats).toEqual({ documents: 5, fullyParsed: 5 });
  });
});

describe('reading YAML streams', () => {
  test('documentIndex counts every document from 0, empty and comment-only ones included', () => {
    const objs = fast(read('edge-cases/empty-and-comment-documents.yaml'));
    expect(objs.map((o) => [o.documentIndex, o.kind, o.name])).toEqual([
      [0, null, null],
      [1, null, null],
      [2, 'PodDisruptionBudget', 'first'],
      [3, null, null],
      [4, null, null],
      [5, 'Deployment', 'second'],
      [6, null, null],
    ]);
  });

  test.each([
    ['an empty file', '', 0],
    ['a file of comments', '# only\n# comments\n', 0],
    ['a comment header before the first ---', '# Source: x\n---\napiVersion: v1\nkind: A\n', 1],
    ['a single trailing ---', 'apiVersion: v1\nkind: A\n---\n', 2],
    ['two markers and nothing else', '---\n---\n', 2],
  ])('%s has the documents YAML says (%#)', (_n, text, count) => {
    expect(new Set(fast(text).map((o) => o.documentIndex)).size).toBe(count);
  });

  test("lines are the 1-based lines of each object's apiVersion in the file", () => {
    const objs = fast(read('helm-template-stable-nginx-ingress-1.41.3.yaml'));
    const text = read('helm-template-stable-nginx-ingress-1.41.3.yaml').split('\n');
    for (const o of objs.filter((x) => x.line !== null)) expect(text[o.line! - 1]).toMatch(/^apiVersion: /);
    expect(objs.find((o) => o.kind === 'HorizontalPodAutoscaler')!.line).toBe(213);
  });

  test('kind: List is expanded into its items, in YAML and in JSON', () => {
    expect(
      fast(read('kubectl-get-o-yaml-list.yaml')).map((o) => [o.itemIndex, o.apiVersion, o.kind, o.name]),
    ).toEqual([
      [0, 'batch/v1beta1', 'CronJob', 'hello'],
      [1, 'policy/v1beta1', 'PodDisruptionBudget', 'zk-pdb'],
      [2, 'apps/v1', 'Deployment', 'nginx-deployment'],
    ]);
    expect(fast(read('edge-cases/json-list.json')).map((o) => [o.line, o.kind, o.namespace])).toEqual([
      [6, 'Ingress', 'web'],
      [11, 'Deployment', 'web'],
    ]);
  });

  test('a manifest kept inside a block scalar is data, not an object', () => {
    const objs = fast(read('edge-cases/block-scalars.yaml'));
    expect(objs.map((o) => o.name)).toEqual(['holds-manifests', 'real']);
  });

  test('metadata.name is the object name, not a label or a template name', () => {
    expect(fast(read('edge-cases/nested-metadata-lookalikes.yaml'))[0]).toMatchObject({
      name: 'web',
      namespace: 'db',
    });
  });

  test('invalid YAML in a document that needs a full parse is an error naming the file and line', () => {
    expect(() => fast('apiVersion: extensions/v1beta1\nkind: Ingress\nkind: Ingress\n', 'bad.yaml')).toThrow(
      /^bad\.yaml:3:1: not valid YAML: Map keys must be unique$/,
    );
  });
});

describe('verdicts on real manifests at several target versions', () => {
  const verdicts = (file: string, target: string) =>
    findingsFor(fast(read(file), file), defaultTable, { kubernetes: parseMinor(target)! }).map(
      (f) => `${f.removed ? 'removed' : 'deprecated'} ${f.apiVersion} ${f.kind} ${f.name}`,
    );

  test.each([
    ['ingress-nginx-0.30.0-mandatory.yaml', '1.16', []],
    ['ingress-nginx-0.30.0-mandatory.yaml', '1.17', Array(4).fill('deprecated')],
    ['ingress-nginx-0.30.0-mandatory.yaml', '1.22', Array(4).fill('removed')],
    ['kube-state-metrics-v1.9.7-standard.yaml', '1.36', []],
    ['helm-template-stable-nginx-ingress-1.41.3.yaml', '1.20', []],
    ['helm-template-stable-nginx-ingress-1.41.3.yaml', '1.21', ['deprecated', 'deprecated']],
    ['helm-template-stable-nginx-ingress-1.41.3.yaml', '1.22', ['deprecated', 'deprecated', 'deprecated']],
    ['helm-template-stable-nginx-ingress-1.41.3.yaml', '1.25', ['removed', 'removed', 'removed']],
    ['cert-manager-0.14-acme-ingress.yaml', '1.13', ['removed', 'removed']],
    ['cert-manager-0.14-acme-ingress.yaml', '1.14', ['removed', 'removed', 'deprecated']],
    ['kubectl-get-o-yaml-list.yaml', '1.21', ['deprecated', 'deprecated']],
    ['kubectl-get-o-yaml-list.yaml', '1.25', ['removed', 'removed']],
    ['metrics-server-v0.3.6-apiservice.json', '1.18', []],
    ['metrics-server-v0.3.6-apiservice.json', '1.19', ['deprecated']],
    ['prometheus-operator-0.38-crd-excerpt.yaml', '1.22', ['removed']],
  ])('%s at Kubernetes %s', (file, target, expected) => {
    expect(verdicts(file, target).map((v) => v.split(' ')[0])).toEqual(expected);
  });

  test('CRD ecosystems are judged at their own release: cert-manager v1alpha2 is fine on cert-manager 1.3', () => {
    const objs = fast(read('cert-manager-0.14-acme-ingress.yaml'));
    const at = (cm: string) =>
      findingsFor(objs, defaultTable, {
        kubernetes: parseMinor('1.13')!,
        components: { 'cert-manager': parseMinor(cm)! },
      });
    expect(at('1.3')).toEqual([]);
    expect(at('1.4').map((f) => [f.kind, f.deprecated, f.removed, f.target])).toEqual([
      ['ClusterIssuer', true, false, '1.4'],
      ['Certificate', true, false, '1.4'],
    ]);
  });
});
