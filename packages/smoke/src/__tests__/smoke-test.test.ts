import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ConfigurationError } from '@upgrade-actions/common';
import { parseVariables, planSmokeTest, type SmokeTestRequest } from '@upgrade-actions/smoke';

let dir: string;
let file: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'smoke-plan-'));
  file = path.join(dir, 'smoke.yaml');
  writeFileSync(file, 'tests:\n  - {name: a, request: {path: "/x?ns=${release.namespace}&v=${v}"}}\n');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

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
    ['a service as base-url', { file: 'x', baseUrl: 'web:80' }, 'base-url: give a URL (http:// or https://)'],
    ['an undefined variable', { file: 'FILE' }, 'variable ${v} is not defined'],
    [
      'an unreadable CA',
      { file: 'FILE', variables: ['v=1'], caFile: '/nonexistent.pem' },
      'ca-file: cannot read /nonexistent.pem (ENOENT)',
    ],
  ])('%s is a configuration error', (_name, req, message) => {
    const r = { ...req, ...(req.file === 'FILE' ? { file, release } : {}) };
    expect(() => planSmokeTest(r)).toThrow(ConfigurationError);
    expect(() => planSmokeTest(r)).toThrow(message);
  });
});
