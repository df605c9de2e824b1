import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ConfigurationError } from '@upgrade-actions/common';
import {
  parseVariables,
  planSmokeTest,
  runSmoke,
  runSmokePlan,
  type SmokeTestRequest,
} from '@upgrade-actions/smoke';

let dir: string;
let file: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'smoke-plan-'));
  file = path.join(dir, 'smoke.yaml');
  writeFileSync(file, 'tests:\n  - {name: a, request: {path: "/x?ns=${release.namespace}&v=${v}"}}\n');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const write = (name: string, text: string) => {
  const p = path.join(dir, name);
  writeFileSync(p, text);
  return p;
};

const release = {
  version: 'v1' as const,
  cluster: {},
  namespace: 'shop',
  images: {},
  workloads: [
    { kind: 'Deployment' as const, name: 'web', namespace: 'shop', revisionBefore: 1, revisionAfter: 2 },
  ],
};

describe('parsing NAME=VALUE variables', () => {
  test.each<[string, string[], Record<string, string>]>([
    ['none', [], {}],
    ['blank lines are skipped', ['', '  '], {}],
    ['a value may hold = and spaces', ['q=a=b c'], { q: 'a=b c' }],
    [
      'dotted and dashed names',
      ['release.x=1', 'base-url=http://h'],
      { 'release.x': '1', 'base-url': 'http://h' },
    ],
  ])('%s', (_name, lines, want) => {
    expect(parseVariables(lines)).toEqual(want);
  });

  test.each([['novalue'], ['=x'], ['1a=x'], ['a b=x']])('"%s" is refused naming the input', (line) => {
    expect(() => parseVariables([line], '--var')).toThrow(
      new ConfigurationError(`--var: "${line}" is not NAME=VALUE`),
    );
  });
});

describe('planning the smoke-test stage', () => {
  test('a file plan gets the release fields, the variables and base-url as variables', () => {
    const plan = planSmokeTest({ file, baseUrl: 'http://app:8080', variables: ['v=1'], release });
    expect(plan.mode).toBe('file');
    if (plan.mode !== 'file') return;
    expect(plan.loaded.variables).toMatchObject({
      'release.namespace': 'shop',
      'release.workloads.0.name': 'web',
      v: '1',
      'base-url': 'http://app:8080',
    });
  });

  test.each<[string, string | undefined, string, boolean]>([
    ['a URL base-url', 'http://app:8080', 'tests: [{name: a, request: {path: /x}}]', false],
    ['a service base-url', 'web.shop:80', 'tests: [{name: a, request: {path: /x}}]', true],
    ['a service base-url with a path', 'https:web:8443/api', 'tests: [{name: a, request: {path: /x}}]', true],
    [
      'a service baseUrl in the file, from release variables',
      undefined,
      'baseUrl: "${release.workloads.0.name}.${release.namespace}:80"\ntests: [{name: a, request: {path: /x}}]',
      true,
    ],
    ['only absolute urls', undefined, 'tests: [{name: a, request: {url: "http://h/x"}}]', false],
  ])('%s: the plan needs a cluster is %s', (_name, baseUrl, text, needs) => {
    const plan = planSmokeTest({ file: write('needs.yaml', text), baseUrl, release });
    expect(plan).toMatchObject({ mode: 'file', needsCluster: needs, namespace: 'shop' });
  });

  test('a path under a service base goes through the API server, with its credentials and TLS', async () => {
    const seen: string[] = [];
    const server = http.createServer((req, res) => {
      seen.push(`${req.method} ${req.url} ${req.headers.authorization} ${req.headers['x-test']}`);
      res.setHeader('content-type', 'application/json');
      res.end('{"ok":true}');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const { port } = server.address() as AddressInfo;
      const plan = planSmokeTest({
        file: write(
          'svc.yaml',
          'defaults: {headers: {x-test: "1"}}\ntests:\n  - {name: a, request: {path: "/x?q=1"}, expect: {status: 200}}\n  - {name: b, request: {url: "http://127.0.0.1:' +
            port +
            '/plain"}, expect: {status: 200}}\n',
        ),
        baseUrl: 'web:80/base',
        release,
      });
      const api = {
        server: `http://127.0.0.1:${port}/prefix`,
        credentials: async () => ({ headers: { Authorization: 'Bearer t0ken' }, tls: {} }),
        namespace: 'shop',
      };
      if (plan.mode !== 'file') throw new Error('a file plan');
      const report = await runSmoke(plan.loaded, { api });
      expect(report.failed).toBe(0);
      expect(seen).toEqual([
        'GET /prefix/api/v1/namespaces/shop/services/web:80/proxy/base/x?q=1 Bearer t0ken 1',
        // An absolute url is not the cluster's: no API server credentials go with it.
        'GET /plain undefined 1',
      ]);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });

  test('a service base with no cluster fails before any request, naming the input', async () => {
    const plan = planSmokeTest({
      file: write('nocluster.yaml', 'tests: [{name: a, request: {path: /x}}]'),
      baseUrl: 'web.shop:80',
      names: { baseUrl: 'smoke-base-url' },
    });
    await expect(runSmokePlan(plan)).rejects.toThrow(
      /^smoke-base-url: target web\.shop:80\/ is a service; it needs a cluster \(kubeconfig\)/,
    );
  });

  test('a Job plan runs in the release namespace unless one is given', () => {
    expect(planSmokeTest({ image: 'smoke:1', command: ['/smoke'], release })).toMatchObject({
      mode: 'job',
      image: 'smoke:1',
      command: ['/smoke'],
      namespace: 'shop',
    });
    expect(planSmokeTest({ image: 'smoke:1', namespace: 'qa', release })).toMatchObject({ namespace: 'qa' });
  });

  test.each<[string, SmokeTestRequest, string]>([
    ['neither', {}, 'file or image: give a smoke test file, or an image for the in-cluster Job, one of them'],
    [
      'both',
      { file: 'x', image: 'y' },
      'file or image: give a smoke test file, or an image for the in-cluster Job, not both',
    ],
    [
      'a base-url that is neither a URL nor a service',
      { file: 'x', baseUrl: 'ftp://h/' },
      'base-url: "ftp://h/" uses ftp; use http:// or https://',
    ],
    [
      'a file baseUrl that is neither a URL nor a service',
      { file: 'BASE', baseUrl: '' },
      'smoke.yaml: baseUrl: "web shop" is neither a URL',
    ],
    ['an undefined variable', { file: 'FILE' }, 'variable ${v} is not defined'],
    [
      'an unreadable CA',
      { file: 'FILE', variables: ['v=1'], caFile: '/nonexistent.pem' },
      'ca-file: cannot read /nonexistent.pem (ENOENT)',
    ],
  ])('%s is a configuration error', (_name, req, message) => {
    const r = {
      ...req,
      ...(req.file === 'FILE' ? { file, release } : {}),
      ...(req.file === 'BASE'
        ? {
            file: write('base.yaml', 'baseUrl: web shop\ntests: [{name: a, request: {path: /x}}]\n'),
            fileName: 'smoke.yaml',
          }
        : {}),
    };
    expect(() => planSmokeTest(r)).toThrow(ConfigurationError);
    expect(() => planSmokeTest(r)).toThrow(message);
  });
});
