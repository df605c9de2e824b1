import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { node24, repoRoot } from './harness/run-action';

const cli = path.join(repoRoot, 'dist', 'cli', 'index.js');
const fixtures = path.join(repoRoot, 'test', 'fixtures', 'manifests');
const run = (args: string[], input?: string) =>
  spawnSync(node24, [cli, 'api-check', ...args], { cwd: fixtures, encoding: 'utf8', input });

describe('upgrade-actions api-check', () => {
  test.each([
    ['nothing is found', ['kube-state-metrics-v1.9.7-standard.yaml'], 0],
    [
      'only deprecated APIs are found',
      ['--target-version', '1.17', 'ingress-nginx-0.30.0-mandatory.yaml'],
      2,
    ],
    ['a removed API is found', ['--target-version', '1.22', 'ingress-nginx-0.30.0-mandatory.yaml'], 3],
    ['the target version is not a version', ['--target-version', 'latest', 'edge-cases'], 1],
    ['a path does not exist', ['no-such-dir/'], 1],
    ['an option is unknown', ['--frobnicate', 'edge-cases'], 1],
  ])('exits with the documented code when %s', (_what, args, code) => {
    expect(run(args).status).toBe(code);
  });

  test('a bad option value is one line naming the option and what it accepts', () => {
    const r = run(['--target-version', 'latest', 'edge-cases']);
    expect(r.stderr).toBe(
      'error: --target-version must be a Kubernetes version such as 1.29 or v1.29.3, got "latest"\n',
    );
    expect(run(['-o', 'xml', 'edge-cases']).stderr).toBe(
      'error: --output must be one of table, json, sarif, got "xml"\n',
    );
  });

  test('the table names each object, its location and its replacement, then the counts', () => {
    const r = run(['--target-version', '1.25', 'kubectl-get-o-yaml-list.yaml']);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^STATUS +API +OBJECT +LOCATION +AVAILABLE +DEPRECATED +REMOVED +REPLACEMENT$/);
    expect(lines[1]).toMatch(
      /^removed +batch\/v1beta1 CronJob +default\/hello +kubectl-get-o-yaml-list\.yaml:3 +1\.8 +1\.21 +1\.25 +batch\/v1 CronJob$/,
    );
    expect(lines.at(-2)).toBe('0 deprecated, 2 removed at Kubernetes 1.25 (3 objects).');
    expect(lines.at(-1)).toMatch(/^warning: target Kubernetes 1\.25 is 11 minor releases behind 1\.36/);
  });

  test('--output json prints the documented array: versions as strings, absent values null, documentIndex over all documents', () => {
    const r = run(['-o', 'json', '--target-version', '1.21', 'edge-cases/empty-and-comment-documents.yaml']);
    expect(r.status).toBe(2);
    expect(JSON.parse(r.stdout)).toEqual([
      {
        file: 'edge-cases/empty-and-comment-documents.yaml',
        documentIndex: 2,
        apiVersion: 'policy/v1beta1',
        kind: 'PodDisruptionBudget',
        name: 'first',
        namespace: null,
        deprecatedIn: '1.21',
        removedIn: '1.25',
        // Written as the table and the messages write an API, not as a path.
        replacement: 'policy/v1 PodDisruptionBudget',
        advice: 'use policy/v1 PodDisruptionBudget (available since 1.21)',
        status: 'deprecated',
        line: 5,
        target: '1.21',
        availableIn: '1.5',
        deprecated: true,
        removed: false,
        notYetAvailable: false,
      },
    ]);
    // A JSON document on standard output ends with a newline, like every line a shell reads.
    expect(r.stdout.endsWith(']\n')).toBe(true);
  });

  test('- reads Helm output from standard input, shown as <stdin>', () => {
    const helm = readFileSync(path.join(fixtures, 'helm-template-stable-nginx-ingress-1.41.3.yaml'), 'utf8');
    const r = run(['-o', 'json', '--target-version', '1.25', '-'], helm);
    expect(r.status).toBe(3);
    const out = JSON.parse(r.stdout) as Array<{ file: string; kind: string; documentIndex: number }>;
    expect(out.map((f) => [f.file, f.documentIndex, f.kind])).toEqual([
      ['<stdin>', 0, 'PodDisruptionBudget'],
      ['<stdin>', 1, 'PodSecurityPolicy'],
      ['<stdin>', 8, 'HorizontalPodAutoscaler'],
    ]);
  });

  test('globs, directories and files can be mixed; each file is read once', () => {
    const r = run(['-o', 'json', '**/*.json', 'edge-cases', 'metrics-server-v0.3.6-apiservice.json']);
    const files = (JSON.parse(r.stdout) as Array<{ file: string }>).map((f) => f.file);
    expect(files.filter((f) => f === 'metrics-server-v0.3.6-apiservice.json')).toHaveLength(1);
    expect(files).toContain('edge-cases/json-list.json');
    expect(files).toContain('edge-cases/flow-style.yaml');
  });

  test('--component-version judges CRD APIs at that release of their project', () => {
    const at = (v: string) =>
      run([
        '-o',
        'json',
        '--target-version',
        '1.13',
        '--component-version',
        `cert-manager=${v}`,
        'cert-manager-0.14-acme-ingress.yaml',
      ]);
    expect(at('1.3').status).toBe(0);
    expect(at('1.5').status).toBe(2);
    expect(at('1.6').status).toBe(3);
    expect(run(['--component-version', 'linkerd=2.1', 'edge-cases']).stderr).toMatch(
      /^error: --component-version must be <component>=<version> with component one of cert-manager, istio/,
    );
  });

  test('--output sarif writes a SARIF 2.1.0 log with one rule per API and a located result per object', () => {
    const r = run([
      '-o',
      'sarif',
      '--target-version',
      '1.22',
      'ingress-nginx-0.30.0-mandatory.yaml',
      'cert-manager-0.14-acme-ingress.yaml',
    ]);
    const log = JSON.parse(r.stdout);
    expect(log.version).toBe('2.1.0');
    expect(log.$schema).toMatch(/sarif-2\.1\.0/);
    const run0 = log.runs[0];
    expect(run0.tool.driver.name).toBe('upgrade-actions api-check');
    const ids = run0.tool.driver.rules.map((x: { id: string }) => x.id);
    expect(ids).toEqual([
      'k8s-api/rbac.authorization.k8s.io/v1beta1/ClusterRole',
      'k8s-api/rbac.authorization.k8s.io/v1beta1/Role',
      'k8s-api/rbac.authorization.k8s.io/v1beta1/RoleBinding',
      'k8s-api/rbac.authorization.k8s.io/v1beta1/ClusterRoleBinding',
      // cert-manager's own APIs, judged at the newest cert-manager release known
      'k8s-api/cert-manager.io/v1alpha2/ClusterIssuer',
      'k8s-api/cert-manager.io/v1alpha2/Certificate',
      'k8s-api/extensions/v1beta1/Ingress',
    ]);
    for (const rule of run0.tool.driver.rules) {
      expect(rule.shortDescription.text).toBeTruthy();
      expect(['error', 'warning']).toContain(rule.defaultConfiguration.level);
    }
    expect(run0.results).toHaveLength(7);
    for (const res of run0.results) {
      expect(ids[res.ruleIndex]).toBe(res.ruleId);
      expect(res.message.text).toBeTruthy();
      expect(res.locations[0].physicalLocation.artifactLocation.uri).toMatch(/^[^/].*\.yaml$/);
      expect(res.locations[0].physicalLocation.region.startLine).toBeGreaterThan(0);
    }
    expect(run0.results.at(-1)).toMatchObject({
      ruleId: 'k8s-api/extensions/v1beta1/Ingress',
      level: 'error',
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: 'cert-manager-0.14-acme-ingress.yaml' },
            region: { startLine: 50 },
          },
        },
      ],
    });
  });

  test('--sarif-file writes the log beside a table on standard output', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'api-check-cli-'));
    try {
      const file = path.join(dir, 'out.sarif');
      const r = run(['--sarif-file', file, 'flow-style.yaml'.replace(/^/, 'edge-cases/')]);
      expect(r.stdout).toMatch(/^STATUS/);
      expect(JSON.parse(readFileSync(file, 'utf8')).runs[0].results).toHaveLength(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('one object is "1 object", and the N-2 warning is printed with the table it qualifies', () => {
    const r = run(['--target-version', '1.20', 'edge-cases/empty-and-comment-documents.yaml']);
    expect(r.stdout).toMatch(
      / at Kubernetes 1\.20 \(\d+ objects?\)\.\nwarning: target Kubernetes 1\.20 is 16 minor releases behind/,
    );
    expect(r.stderr).toBe('');
    const one = run(
      ['--target-version', '1.36', '-'],
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n',
    );
    expect(one.stdout).toBe(
      'No deprecated, removed or not yet available APIs at Kubernetes 1.36 (1 object).\n',
    );
  });

  test('an API the target does not serve yet is its own finding kind, with exit code 4', () => {
    const hpa = 'apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {name: web}\n';
    const r = run(['--target-version', '1.20', '-'], hpa);
    expect(r.status).toBe(4);
    const lines = r.stdout.split('\n');
    expect(lines[1]).toMatch(
      /^not yet available +autoscaling\/v2 HorizontalPodAutoscaler +web +<stdin>:1 +1\.23 +autoscaling\/v2beta2 HorizontalPodAutoscaler$/,
    );
    expect(r.stdout).toContain('0 deprecated, 0 removed, 1 not yet available at Kubernetes 1.20 (1 object).');
  });

  test('a broken file is an error at file:line, and the other files are still judged (exit 1)', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'api-check-cli-'));
    try {
      writeFileSync(
        path.join(dir, 'a.yaml'),
        'apiVersion: batch/v1beta1\nkind: CronJob\nmetadata: {name: a}\n',
      );
      writeFileSync(path.join(dir, 'b.yaml'), 'apiVersion: v1\nkind: ConfigMap\ndata:\n  k: v: w\n');
      const r = spawnSync(node24, [cli, 'api-check', '--target-version', '1.25', '-o', 'json', '.'], {
        cwd: dir,
        encoding: 'utf8',
      });
      expect(r.status).toBe(1);
      // With JSON on standard output, the error and the N-2 warning go to standard error.
      expect(r.stderr.split('\n')[0]).toBe(
        'error: b.yaml:4:6: not valid YAML: Nested mappings are not allowed in compact mappings',
      );
      expect((JSON.parse(r.stdout) as Array<{ file: string }>).map((f) => f.file)).toEqual(['a.yaml']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
