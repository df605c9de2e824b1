import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runAction } from './harness/run-action';
import { startTestApp, type TestApp } from './servers/test-app';

// The smoke-test action from dist/, as the runner runs it, against a real HTTP server.
let app: TestApp;
let workspace: string;

beforeAll(async () => {
  app = await startTestApp();
  workspace = mkdtempSync(path.join(tmpdir(), 'smoke-test-action-'));
});

afterAll(async () => {
  await app?.stop();
  rmSync(workspace, { recursive: true, force: true });
});

beforeEach(() => app.reset());

const write = (name: string, text: string) => {
  writeFileSync(path.join(workspace, name), text);
  return name;
};

const release = JSON.stringify({
  version: 'v1',
  namespace: 'shop',
  workloads: [{ kind: 'Deployment', name: 'web', namespace: 'shop', revisionBefore: 1, revisionAfter: 2 }],
});

test('a passing file sets the counts, writes the JUnit file and a summary', async () => {
  const file = write(
    'ok.yaml',
    [
      'tests:',
      '  - {name: health, request: {path: /healthy}, expect: {status: 200, json: [{path: $.status, equals: "${want}"}]}}',
      '  - {name: counter, request: {path: /counter}, expect: {status: 2xx}}',
    ].join('\n'),
  );
  const r = await runAction('smoke-test', {
    workspace,
    inputs: { file, 'base-url': app.url, variables: 'want=ok', 'junit-path': 'reports/smoke.xml' },
  });
  expect(r.failedMessage).toBeUndefined();
  expect(r.code).toBe(0);
  const junit = path.join(workspace, 'reports', 'smoke.xml');
  expect(r.outputs).toMatchObject({ passed: '2', failed: '0', 'junit-path': junit });
  expect(JSON.parse(r.outputs.report)).toMatchObject({ passed: 2, failed: 0, total: 2 });
  const xml = readFileSync(junit, 'utf8');
  expect(xml).toContain('<testcase name="health" classname="smoke-test.test"');
  expect(xml).toContain('<testcase name="counter" classname="smoke-test.test"');
  expect(xml).not.toContain('<failure');
  expect(r.summary).toContain('Smoke tests: passed');
  expect(r.summary).toContain('2 passed, 0 failed, 2 in all');
  expect(app.hits.get('/healthy')).toBe(1);
});

test('a failing assertion exits 1 with its expected and actual in the summary and the JUnit file', async () => {
  const file = write(
    'bad.yaml',
    [
      'tests:',
      '  - {name: health, request: {path: /healthy}}',
      '  - {name: orders, request: {path: /failing}, expect: {status: 200}}',
    ].join('\n'),
  );
  const r = await runAction('smoke-test', { workspace, inputs: { file, 'base-url': app.url } });
  expect(r.code).toBe(1);
  // Each failed step is an error annotation of its own; the step fails with the counts.
  const errors = r.annotations.filter((a) => a.level === 'error').map((a) => a.message);
  expect(errors[0]).toMatch(/^test orders: failed after 1 attempt\(s\), .*: status: expected 200, got 500$/);
  expect(errors.at(-1)).toBe('smoke tests failed: 1 failed, 1 passed');
  expect(r.outputs).toMatchObject({ passed: '1', failed: '1' });
  expect(JSON.parse(r.outputs.report).steps[1].failures).toEqual([
    { assertion: 'status', expected: '200', actual: '500' },
  ]);
  expect(r.summary).toMatch(/<td>orders<\/td><td>failed<\/td>.*<td>status<\/td><td>200<\/td><td>500<\/td>/s);
  // The default junit-path, in the workspace.
  const xml = readFileSync(path.join(workspace, 'smoke-test-results.xml'), 'utf8');
  expect(xml).toMatch(/<testcase name="orders"[^>]*>\s*<failure /);
});

test('with fail: false failing tests set the outputs and exit 0', async () => {
  const file = write('bad2.yaml', 'tests:\n  - {name: orders, request: {path: /failing}}\n');
  const r = await runAction('smoke-test', {
    workspace,
    inputs: { file, 'base-url': app.url, fail: 'false' },
  });
  expect(r.code).toBe(0);
  expect(r.outputs).toMatchObject({ passed: '0', failed: '1' });
});

test('the fields of the release are variables of the file', async () => {
  const file = write(
    'release.yaml',
    [
      'tests:',
      '  - name: namespace',
      '    request: {path: "/echo", headers: {x-namespace: "${release.namespace}", x-workload: "${release.workloads.0.name}"}}',
      '    expect: {json: [{path: "$.headers[\'x-namespace\']", equals: shop}, {path: "$.headers[\'x-workload\']", equals: web}]}',
    ].join('\n'),
  );
  const r = await runAction('smoke-test', { workspace, inputs: { file, 'base-url': app.url, release } });
  expect(r.failedMessage).toBeUndefined();
  expect(r.outputs).toMatchObject({ passed: '1', failed: '0' });
});

test("base-url from the input takes the place of the file's baseUrl", async () => {
  const file = write(
    'based.yaml',
    'baseUrl: "${base-url}"\ntests:\n  - {name: health, request: {url: "${base-url}/healthy"}}\n',
  );
  const r = await runAction('smoke-test', { workspace, inputs: { file, 'base-url': app.url } });
  expect(r.code).toBe(0);
  expect(app.hits.get('/healthy')).toBe(1);
});

describe('bad input ends with one clear line before any request', () => {
  test.each([
    [
      'an unparsable file, with its line and column',
      { file: 'broken.yaml' },
      /^broken\.yaml:4:1: not valid YAML: Flow sequence in block collection must be sufficiently indented and end with a \]$/,
    ],
    [
      'a schema error, with its line',
      { file: 'schema.yaml' },
      /^schema\.yaml:4:14: tests\[0\]\.expect: Unrecognized key: "statuss"$/,
    ],
    ['a missing file', { file: 'missing.yaml' }, /^file: cannot read missing\.yaml \(ENOENT\)$/],
    [
      'a base-url that is neither a URL nor a Service',
      { file: 'good.yaml', 'base-url': 'ftp://web' },
      /^base-url: "ftp:\/\/web" uses ftp; use http:\/\/ or https:\/\/$/,
    ],
    [
      'a Service base-url with no kubeconfig anywhere',
      { file: 'good.yaml', 'base-url': 'web.shop:80' },
      /^kubeconfig: none found/,
    ],
    [
      'a variable that is not NAME=VALUE',
      { file: 'good.yaml', variables: 'novalue' },
      /^variables: "novalue" is not NAME=VALUE$/,
    ],
    [
      'a malformed release',
      { file: 'good.yaml', release: '{"version": "v1"' },
      /^input 'release' is not valid JSON \(.*\); pass the 'release' output of the deploy step$/,
    ],
    [
      'neither file nor image',
      { file: '' },
      /^file or image: give a smoke test file, or an image for the in-cluster Job, one of them$/,
    ],
    ['both file and image', { file: 'good.yaml', image: 'smoke:1' }, /^file or image: .*not both$/],
    [
      'an unknown variable',
      { file: 'unknown.yaml' },
      /^unknown\.yaml:2:\d+: tests\[0\]: variable \$\{nope\} is not defined/,
    ],
  ])('%s', async (_name, inputs, message) => {
    write('good.yaml', 'tests:\n  - {name: health, request: {path: /healthy}}\n');
    write('broken.yaml', 'tests:\n  - name: a\n    request: {path: [unclosed\n');
    write('schema.yaml', 'tests:\n  - name: a\n    request: {path: /healthy}\n    expect: {statuss: 200}\n');
    write('unknown.yaml', 'tests:\n  - {name: a, request: {path: "/healthy?x=${nope}"}}\n');
    rmSync(path.join(workspace, 'smoke-test-results.xml'), { force: true });
    const r = await runAction('smoke-test', { workspace, inputs: { 'base-url': app.url, ...inputs } });
    expect(r.code).toBe(1);
    expect(r.failedMessage).toMatch(message);
    expect(r.stdout).not.toMatch(/^\s+at /m);
    expect(app.hits.get('/healthy') ?? 0).toBe(0);
    expect(existsSync(path.join(workspace, 'smoke-test-results.xml'))).toBe(false);
    expect(r.outputs.passed).toBeUndefined();
  });
});
