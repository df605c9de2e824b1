import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { repoRoot, runAction } from './harness/run-action';

// The api-check action run from its bundle exactly as the runner runs it, on a workspace holding a
// copy of the real manifests.
let ws: string;
beforeAll(() => {
  ws = mkdtempSync(path.join(tmpdir(), 'api-check-action-'));
  cpSync(path.join(repoRoot, 'test', 'fixtures', 'manifests'), path.join(ws, 'deploy'), { recursive: true });
});
afterAll(() => rmSync(ws, { recursive: true, force: true }));

describe('the api-check action', () => {
  test('annotates each finding at its file and line, sets the outputs and fails on removed APIs', async () => {
    const r = await runAction('api-check', {
      workspace: ws,
      inputs: {
        paths: 'deploy/ingress-nginx-0.30.0-mandatory.yaml\ndeploy/kubectl-get-o-yaml-list.yaml',
        'target-version': '1.22',
      },
    });
    expect(r.code).toBe(1);
    expect(r.failedMessage).toBe('4 objects use APIs removed at Kubernetes 1.22 (fail-on: removed)');
    expect([r.outputs.deprecated, r.outputs.removed, r.outputs['target-version']]).toEqual([
      '2',
      '4',
      '1.22',
    ]);
    const findings = JSON.parse(r.outputs.findings) as Array<{
      kind: string;
      removed: boolean;
      file: string;
    }>;
    expect(findings.map((f) => [f.kind, f.removed])).toEqual([
      ['ClusterRole', true],
      ['Role', true],
      ['RoleBinding', true],
      ['ClusterRoleBinding', true],
      ['CronJob', false],
      ['PodDisruptionBudget', false],
    ]);
    const located = r.annotations
      .filter((a) => a.properties.file)
      .map((a) => [a.level, a.properties.file, a.properties.line]);
    expect(located).toEqual([
      ['error', 'deploy/ingress-nginx-0.30.0-mandatory.yaml', '51'],
      ['error', 'deploy/ingress-nginx-0.30.0-mandatory.yaml', '109'],
      ['error', 'deploy/ingress-nginx-0.30.0-mandatory.yaml', '154'],
      ['error', 'deploy/ingress-nginx-0.30.0-mandatory.yaml', '172'],
      ['warning', 'deploy/kubectl-get-o-yaml-list.yaml', '3'],
      ['warning', 'deploy/kubectl-get-o-yaml-list.yaml', '37'],
    ]);
    expect(r.annotations.find((a) => a.properties.file)!.message).toContain(
      'rbac.authorization.k8s.io/v1beta1 ClusterRole is no longer served as of Kubernetes 1.22 (deprecated in 1.17); migrate to rbac.authorization.k8s.io/v1 ClusterRole (available since 1.8)',
    );
    expect(r.summary).toContain('<h2>API check at Kubernetes 1.22</h2>');
    expect(r.summary).toContain('<td>default/zk-pdb</td>');
  });

  test('fail-on: deprecated fails on deprecated APIs too, fail-on: none never fails', async () => {
    const paths = 'deploy/kubectl-get-o-yaml-list.yaml';
    const strict = await runAction('api-check', {
      workspace: ws,
      inputs: { paths, 'target-version': '1.21', 'fail-on': 'deprecated' },
    });
    expect(strict.failedMessage).toBe(
      '2 objects use APIs deprecated, removed or not yet available at Kubernetes 1.21 (fail-on: deprecated)',
    );
    const lenient = await runAction('api-check', {
      workspace: ws,
      inputs: { paths, 'target-version': '1.21' },
    });
    expect([lenient.code, lenient.outputs.deprecated]).toEqual([0, '2']);
    const never = await runAction('api-check', { workspace: ws, inputs: { paths, 'fail-on': 'none' } });
    expect([never.code, never.outputs.removed]).toEqual([0, '2']);
  });

  test('with no target and no cluster it checks the newest release known and writes a SARIF file', async () => {
    const r = await runAction('api-check', {
      workspace: ws,
      inputs: { paths: 'deploy/**/*.json', 'sarif-file': 'api-check.sarif', 'fail-on': 'none' },
    });
    expect(r.code).toBe(0);
    expect(r.outputs['target-version']).toMatch(/^1\.\d+$/);
    const sarif = JSON.parse(readFileSync(path.join(ws, 'api-check.sarif'), 'utf8'));
    expect(
      sarif.runs[0].results.map(
        (x: {
          ruleId: string;
          locations: Array<{ physicalLocation: { artifactLocation: { uri: string } } }>;
        }) => [x.ruleId, x.locations[0].physicalLocation.artifactLocation.uri],
      ),
    ).toEqual([
      ['k8s-api/networking.k8s.io/v1beta1/Ingress', 'deploy/edge-cases/json-list.json'],
      ['k8s-api/apiregistration.k8s.io/v1beta1/APIService', 'deploy/metrics-server-v0.3.6-apiservice.json'],
    ]);
  });

  test('a bad input fails before anything is read or written, naming the input and what it accepts', async () => {
    const r = await runAction('api-check', {
      workspace: ws,
      inputs: { paths: 'deploy', 'target-version': 'one-thirty', 'sarif-file': 'never.sarif' },
    });
    expect(r.failedMessage).toBe(
      'target-version must be a Kubernetes version such as 1.29 or v1.29.3, got "one-thirty"',
    );
    expect(existsSync(path.join(ws, 'never.sarif'))).toBe(false);
    const choice = await runAction('api-check', {
      workspace: ws,
      inputs: { paths: 'deploy', 'fail-on': 'always' },
    });
    expect(choice.failedMessage).toBe(
      `Input 'fail-on' must be one of removed, deprecated, none, got "always"`,
    );
    const typo = await runAction('api-check', { workspace: ws, inputs: { paths: 'deploy/manifests-typo/' } });
    expect(typo.failedMessage).toBe(
      'paths: deploy/manifests-typo/ does not exist (accepted: files, directories, globs, or - for stdin)',
    );
  });
});
