import {
  annotations,
  changeCauseProblem,
  checkKubeName,
  dns1123Label,
  dns1123Subdomain,
  kubeNameProblem,
  labelValue,
  objectMetaProblems,
  qualifiedName,
  workloadRefProblem,
} from '../kube-names';

// Messages as apimachinery's pkg/util/validation words them (validation_test.go's cases for the values).
const LABEL_MSG =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const SUBDOMAIN_MSG =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const NAME_PART_MSG =
  "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const LABEL_VALUE_MSG =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

describe('DNS-1123 labels', () => {
  test.each(['a', '0', 'a-b', '1-2', 'a--b', 'web', 'x'.repeat(63)])('%s is a label', (v) =>
    expect(dns1123Label(v)).toEqual([]),
  );
  test.each([
    ['', [LABEL_MSG]],
    ['Web', [LABEL_MSG]],
    ['-web', [LABEL_MSG]],
    ['web-', [LABEL_MSG]],
    ['we b', [LABEL_MSG]],
    ['$(id)', [LABEL_MSG]],
    ['ünï', [LABEL_MSG]],
    ['a.b', ['must not contain dots']],
    ['x'.repeat(64), ['must be no more than 63 characters']],
  ])('%j is refused with upstream words', (v, want) => expect(dns1123Label(v)).toEqual(want));
});

describe('DNS-1123 subdomains', () => {
  test.each(['a', 'a.b', 'a-b.c-d', 'example.com', `${'a'.repeat(63)}.${'b'.repeat(63)}`, 'x'.repeat(253)])(
    '%s is a subdomain',
    (v) => expect(dns1123Subdomain(v)).toEqual([]),
  );
  test.each([
    ['', [SUBDOMAIN_MSG]],
    ['A.b', [SUBDOMAIN_MSG]],
    ['a..b', [SUBDOMAIN_MSG]],
    ['.a', [SUBDOMAIN_MSG]],
    ['a/b', [SUBDOMAIN_MSG]],
    ['x'.repeat(254), ['must be no more than 253 characters']],
  ])('%j is refused', (v, want) => expect(dns1123Subdomain(v)).toEqual(want));
});

describe('qualified names (label and annotation keys)', () => {
  test.each(['app', 'App.Name_1', 'example.com/app', 'app.kubernetes.io/name', `p/${'x'.repeat(63)}`])(
    '%s is a qualified name',
    (v) => expect(qualifiedName(v)).toEqual([]),
  );
  test.each([
    ['', ['name part must be non-empty', NAME_PART_MSG]],
    ['/app', ['prefix part must be non-empty']],
    ['Example.com/app', [`prefix part ${SUBDOMAIN_MSG}`]],
    ['example.com/', ['name part must be non-empty', NAME_PART_MSG]],
    ['-app', [NAME_PART_MSG]],
    ['x'.repeat(64), ['name part must be no more than 63 characters']],
  ])('%j is refused', (v, want) => expect(qualifiedName(v)).toEqual(want));
  test('more than one slash is not a qualified name', () => {
    expect(qualifiedName('a/b/c')[0]).toMatch(
      /^a qualified name must consist of .* with an optional DNS subdomain prefix and '\/' \(e\.g\. 'example\.com\/MyName'\)$/,
    );
  });
});

describe('label values', () => {
  test.each(['', 'v1', 'My_Value.2', 'x'.repeat(63)])('%j is a label value', (v) =>
    expect(labelValue(v)).toEqual([]),
  );
  test.each([
    ['a/b', [LABEL_VALUE_MSG]],
    ['a b', [LABEL_VALUE_MSG]],
    ['_a', [LABEL_VALUE_MSG]],
    ['x'.repeat(64), ['must be no more than 63 characters']],
  ])('%j is refused', (v, want) => expect(labelValue(v)).toEqual(want));
});

describe('annotations', () => {
  test('keys are qualified names compared in lower case, values are free', () => {
    expect(annotations({ 'Example.com/Note': 'anything at all: $(id) ✓' })).toEqual([]);
    expect(annotations({ 'a b': 'x' })).toEqual([`a b: ${NAME_PART_MSG}`]);
  });
  test('the total size is at most 256 KiB, counted in bytes', () => {
    expect(annotations({ k: 'x'.repeat(256 * 1024 - 1) })).toEqual([]);
    expect(annotations({ k: 'é'.repeat(128 * 1024) })).toEqual([
      'may not have more than 262144 bytes (total annotations size)',
    ]);
    expect(changeCauseProblem('x'.repeat(300 * 1024))).toMatch(/^must fit in an annotation: /);
  });
});

describe('names our engines make from the given ones', () => {
  test('a Service name valid alone but not with its suffix is refused, naming the made name', () => {
    const name = 's'.repeat(57); // 57 + "-canary" = 64
    expect(kubeNameProblem(name, 'label', 'a Service name')).toBeUndefined();
    expect(kubeNameProblem(name, 'label', 'a Service name', ['-canary'])).toBe(
      `must be a Service name short enough that "${name}-canary" is a DNS-1123 label too: must be no more than 63 characters`,
    );
    expect(kubeNameProblem('s'.repeat(56), 'label', 'a Service name', ['-canary'])).toBeUndefined();
  });
  test('at an engine boundary the error leads with the input, for the CLI to name its flag', () => {
    expect(() => checkKubeName('namespace', 'Prod', 'label', 'a namespace name')).toThrow(
      `namespace: "Prod" must be a namespace name (a DNS-1123 label): ${LABEL_MSG}`,
    );
  });
});

describe('workload references', () => {
  test.each(['deployment/web', 'shop/deploy/web', 'sts/db.primary'])('%s is accepted', (v) =>
    expect(workloadRefProblem(v)).toBeUndefined(),
  );
  test.each([
    ['web', /TYPE\/NAME or NAMESPACE\/TYPE\/NAME/],
    ['Shop/deployment/web', /^namespace must be a namespace name/],
    ['deployment/Web', /^name must be a workload name/],
    ['deployment/$(id)', /^name must be a workload name/],
  ])('%s is refused', (v, want) => expect(workloadRefProblem(v)).toMatch(want));
});

describe("an object's metadata as the API server checks it", () => {
  test('every problem in its field path, names of Services as labels', () => {
    expect(
      objectMetaProblems({
        kind: 'Service',
        metadata: {
          name: 'a.b',
          namespace: 'Shop',
          labels: { 'example.com/ok': 'v', 'bad key': 'v', ok: 'a/b' },
          annotations: { '-x': '' },
        },
      }),
    ).toEqual([
      'metadata.name: Invalid value: "a.b": must not contain dots',
      `metadata.namespace: Invalid value: "Shop": ${LABEL_MSG}`,
      `metadata.labels: Invalid value: "bad key": ${NAME_PART_MSG}`,
      `metadata.labels: Invalid value: "a/b": ${LABEL_VALUE_MSG}`,
      `metadata.annotations: -x: ${NAME_PART_MSG}`,
    ]);
  });
  test('a Deployment name may be a subdomain; a valid object has no problems', () => {
    expect(
      objectMetaProblems({
        kind: 'Deployment',
        metadata: { name: 'web.v2', namespace: 'shop', labels: { app: 'web' } },
      }),
    ).toEqual([]);
  });
});
