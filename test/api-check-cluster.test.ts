import { mkdtemp, rm } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execFile } from '@upgrade-actions/common';
import { apiCheck, defaultTable, httpClusterApi, LAST_APPLIED, toSarif } from '@upgrade-actions/deprecations';
import { startKubeSim, type KubeSim } from '@upgrade-actions/kube-sim';
import { runAction } from './harness/run-action';

// Live mode reads what objects were last applied as (kube-no-trouble's approach): a cluster upgraded in
// place serves an old CronJob as batch/v1, but its last-applied configuration still says batch/v1beta1,
// and the next `kubectl apply` of that manifest fails on the new release.
let sim: KubeSim;
let dir: string;

const kubectl = (args: string[], input?: string) =>
  execFile('kubectl', args, {
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: dir,
      KUBECONFIG: sim.kubeconfigPath,
      KUBECACHEDIR: path.join(dir, 'cache'),
    },
    input,
    timeoutMs: 30_000,
  });

async function post(collection: string, body: string): Promise<void> {
  const res = await fetch(sim.url + collection, {
    method: 'POST',
    body,
    headers: { 'content-type': 'application/json' },
  });
  if (res.status !== 201) throw new Error(`POST ${collection}: ${res.status} ${await res.text()}`);
}

/** An object as the API server holds it, annotated with how it was applied on an older cluster. */
function upgradedInPlace(served: Record<string, unknown>, appliedApiVersion: string): string {
  const meta = served.metadata as Record<string, unknown>;
  const applied = { ...served, apiVersion: appliedApiVersion };
  return JSON.stringify({
    ...served,
    metadata: { ...meta, annotations: { [LAST_APPLIED]: JSON.stringify(applied) } },
  });
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'api-check-cluster-'));
  sim = await startKubeSim();
  // Applied today with current APIs: kubectl writes a last-applied configuration that is fine.
  await kubectl(
    ['apply', '-f', '-'],
    `apiVersion: v1
kind: ConfigMap
metadata: {name: settings, namespace: default}
data: {a: b}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: deny-all, namespace: default}
spec: {podSelector: {}, policyTypes: [Ingress]}
`,
  );
  const cron = {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name: 'nightly', namespace: 'default' },
    spec: {
      schedule: '0 3 * * *',
      jobTemplate: {
        spec: {
          template: { spec: { restartPolicy: 'OnFailure', containers: [{ name: 'c', image: 'busybox' }] } },
        },
      },
    },
  };
  const ingress = {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name: 'shop', namespace: 'default' },
    spec: { defaultBackend: { service: { name: 'shop', port: { number: 80 } } } },
  };
  // POSTed as stored objects (kubectl create would refresh the annotation to the version it sends).
  await post('/apis/batch/v1/namespaces/default/cronjobs', upgradedInPlace(cron, 'batch/v1beta1'));
  await post(
    '/apis/networking.k8s.io/v1/namespaces/default/ingresses',
    upgradedInPlace(ingress, 'extensions/v1beta1'),
  );
});

/** A Helm 3 release secret as Helm writes it: data.release = base64(base64(gzip(JSON))). */
function helmReleaseSecret(name: string, namespace: string, manifest: string): string {
  const release = gzipSync(Buffer.from(JSON.stringify({ name, namespace, version: 3, manifest })));
  const helmEncoded = release.toString('base64');
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'Secret',
    type: 'helm.sh/release.v1',
    metadata: {
      name: `sh.helm.release.v1.${name}.v3`,
      namespace,
      labels: { owner: 'helm', name, status: 'deployed', version: '3' },
    },
    data: { release: Buffer.from(helmEncoded).toString('base64') },
  });
}

afterAll(async () => {
  await sim?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('checking a live cluster', () => {
  test("objects are judged by their last-applied configuration, at the cluster's own version by default", async () => {
    const r = await apiCheck({ paths: [], cwd: dir, cluster: httpClusterApi(sim.kubeconfigPath) });
    expect(r.clusterVersion).toBe('v1.32.0-kube-sim');
    expect([r.targetFrom, `${r.target.major}.${r.target.minor}`]).toEqual(['cluster', '1.32']);
    expect(r.findings.map((f) => [f.apiVersion, f.kind, f.namespace, f.name, f.removed])).toEqual([
      ['extensions/v1beta1', 'Ingress', 'default', 'shop', true],
      ['batch/v1beta1', 'CronJob', 'default', 'nightly', true],
    ]);
    expect(r.findings[0].file).toMatch(/^cluster\//);
    // No file and line to point code scanning at: live findings stay out of SARIF.
    const sarif = toSarif(r.findings, defaultTable, { root: dir, cwd: dir, toolVersion: '1' }) as {
      runs: Array<{ results: unknown[] }>;
    };
    expect(sarif.runs[0].results).toEqual([]);
  });

  test('a cluster more than two minors behind the newest release gets the N-2 warning', async () => {
    const r = await apiCheck({
      paths: [],
      cwd: dir,
      cluster: httpClusterApi(sim.kubeconfigPath),
      latestVersion: '1.35',
    });
    expect(r.warnings).toEqual([
      expect.stringMatching(/1\.32 is 3 minor releases behind 1\.35: the N-2 policy/),
    ]);
    const ok = await apiCheck({
      paths: [],
      cwd: dir,
      cluster: httpClusterApi(sim.kubeconfigPath),
      latestVersion: '1.34',
    });
    expect(ok.warnings).toEqual([]);
  });

  test('an explicit target-version wins over the cluster version', async () => {
    const r = await apiCheck({
      paths: [],
      cwd: dir,
      cluster: httpClusterApi(sim.kubeconfigPath),
      targetVersion: '1.21',
    });
    expect(r.findings.map((f) => [f.kind, f.deprecated, f.removed])).toEqual([
      ['Ingress', true, false],
      ['CronJob', true, false],
    ]);
  });

  test('an unknown context is a configuration error naming it', () => {
    expect(() => httpClusterApi(sim.kubeconfigPath, 'prod')).toThrow(
      `context: "prod" is not in the kubeconfig (${sim.kubeconfigPath}); contexts: `,
    );
  });

  test('the action reads the cluster from kubeconfig content, masks it, and fails on the removed APIs', async () => {
    const { readFile } = await import('node:fs/promises');
    const content = await readFile(sim.kubeconfigPath, 'utf8');
    const ws = await mkdtemp(path.join(tmpdir(), 'api-check-ws-'));
    try {
      const r = await runAction('api-check', { inputs: { kubeconfig: content }, workspace: ws });
      expect(r.code).toBe(1);
      expect(r.outputs['target-version']).toBe('1.32');
      expect(r.outputs.removed).toBe('2');
      expect(r.failedMessage).toBe('2 objects use APIs removed at Kubernetes 1.32 (fail-on: removed)');
      expect(r.stdout).toContain(`::add-mask::`);
      expect(
        r.annotations.filter((a) => a.level === 'error' && a.properties.title?.startsWith('Removed API')),
      ).toHaveLength(2);
    } finally {
      await rm(ws, { recursive: true, force: true });
    }
  });
  // Last: it adds objects the tests above do not expect.
  test('server-side applied objects are judged by the apiVersion each field manager used, Helm releases by their manifest', async () => {
    // Server-side apply (our deploy stage) leaves no last-applied annotation, only managedFields:
    // applied as autoscaling/v2, the HPA is not yet available on a 1.20 cluster.
    await kubectl(
      ['apply', '--server-side', '--field-manager', 'upgrade-actions', '-f', '-'],
      `apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: web, namespace: default}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  minReplicas: 1
  maxReplicas: 3
`,
    );
    await post(
      '/api/v1/namespaces/default/secrets',
      helmReleaseSecret(
        'shop',
        'default',
        '---\n# Source: shop/templates/ingress.yaml\napiVersion: extensions/v1beta1\nkind: Ingress\nmetadata:\n  name: shop-web\nspec:\n  backend: {serviceName: web, servicePort: 80}\n',
      ),
    );
    const r = await apiCheck({
      paths: [],
      cwd: dir,
      cluster: httpClusterApi(sim.kubeconfigPath),
      targetVersion: '1.20',
    });
    expect(
      r.findings.map((f) => [
        f.file.replace(/^cluster\/[^ ]+/, 'cluster'),
        f.apiVersion,
        f.kind,
        f.namespace,
        f.name,
        f.status,
      ]),
    ).toEqual([
      ['cluster', 'extensions/v1beta1', 'Ingress', 'default', 'shop', 'deprecated'],
      // What kube-sim's own client wrote (as batch/v1): a 1.20 cluster cannot serve it yet.
      ['cluster (field manager node)', 'batch/v1', 'CronJob', 'default', 'nightly', 'not-yet-available'],
      [
        'cluster (field manager upgrade-actions)',
        'autoscaling/v2',
        'HorizontalPodAutoscaler',
        'default',
        'web',
        'not-yet-available',
      ],
      [
        'cluster (Helm release default/shop)',
        'extensions/v1beta1',
        'Ingress',
        'default',
        'shop-web',
        'deprecated',
      ],
    ]);
  });
});
