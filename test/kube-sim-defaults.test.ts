import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { startKubeSim, type KubeSim } from '@upgrade-actions/kube-sim';

// The simulator defaults what it stores as a real API server does (upstream's SetDefaults_* functions), on
// create and on every later write; real kubectl reads it back. The expected values are the documented
// defaults of k8s.io/api (pkg/apis/core/v1/defaults.go, apps/v1, batch/v1) and what `kubectl describe`
// prints for them on a real cluster.

let sim: KubeSim;
let dir: string;

async function kubectl(...args: string[]): Promise<string> {
  // Asynchronous: the simulator answers from this process.
  const { stdout } = await promisify(execFile)('kubectl', ['--kubeconfig', sim.kubeconfigPath, ...args], {
    env: { ...process.env, KUBECACHEDIR: path.join(dir, 'cache') },
  });
  return stdout;
}
async function apply(name: string, yaml: string): Promise<void> {
  writeFileSync(path.join(dir, name), yaml);
  await kubectl('apply', '-f', path.join(dir, name));
}

const deployment = (extra = '') => `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: default}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      volumes: [{name: cfg, configMap: {name: web}}]
      containers:
        - name: web
          image: ghcr.io/acme/web:1.2.3
          ports: [{containerPort: 8080}]
          env: [{name: POD, valueFrom: {fieldRef: {fieldPath: metadata.name}}}]
          readinessProbe: {httpGet: {port: 8080, path: /healthz}}
${extra}`;

beforeAll(async () => {
  sim = await startKubeSim({ speed: 50, controllers: { events: false } });
  dir = mkdtempSync(path.join(tmpdir(), 'sim-defaults-'));
});
afterAll(async () => {
  await sim?.stop();
  rmSync(dir, { recursive: true, force: true });
});

test('a Deployment and its pod template are defaulted as the API server does', async () => {
  await apply('web.yaml', deployment());
  const d = JSON.parse(await kubectl('get', 'deployment', 'web', '-o', 'json'));
  expect(d.spec).toMatchObject({
    replicas: 1,
    revisionHistoryLimit: 10,
    progressDeadlineSeconds: 600,
    strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
  });
  const pod = d.spec.template.spec;
  expect(pod).toMatchObject({
    dnsPolicy: 'ClusterFirst',
    restartPolicy: 'Always',
    schedulerName: 'default-scheduler',
    securityContext: {},
    terminationGracePeriodSeconds: 30,
  });
  expect(pod.volumes[0].configMap.defaultMode).toBe(420);
  const c = pod.containers[0];
  expect(c).toMatchObject({
    imagePullPolicy: 'IfNotPresent',
    terminationMessagePath: '/dev/termination-log',
    terminationMessagePolicy: 'File',
    resources: {},
    ports: [{ containerPort: 8080, protocol: 'TCP' }],
    readinessProbe: {
      httpGet: { port: 8080, path: '/healthz', scheme: 'HTTP' },
      timeoutSeconds: 1,
      periodSeconds: 10,
      successThreshold: 1,
      failureThreshold: 3,
    },
  });
  expect(c.env[0].valueFrom.fieldRef.apiVersion).toBe('v1');
});

test('kubectl rollout history --revision prints the probe as it does against a real cluster', async () => {
  await kubectl('rollout', 'status', 'deployment/web', '--timeout=30s');
  const out = await kubectl('rollout', 'history', 'deployment/web', '--revision', '1');
  expect(out).toMatch(
    /Readiness:\s+http-get http:\/\/:8080\/healthz delay=0s timeout=1s period=10s #success=1 #failure=3/,
  );
});

test('an update that adds a probe is defaulted too, and changes the pod template once', async () => {
  await apply(
    'web2.yaml',
    deployment(`          livenessProbe: {tcpSocket: {port: 8080}, initialDelaySeconds: 5}
`),
  );
  await kubectl('rollout', 'status', 'deployment/web', '--timeout=30s');
  const d = JSON.parse(await kubectl('get', 'deployment', 'web', '-o', 'json'));
  expect(d.spec.template.spec.containers[0].livenessProbe).toEqual({
    tcpSocket: { port: 8080 },
    initialDelaySeconds: 5,
    timeoutSeconds: 1,
    periodSeconds: 10,
    successThreshold: 1,
    failureThreshold: 3,
  });
  expect(d.metadata.annotations['deployment.kubernetes.io/revision']).toBe('2');
  // Re-applying the same manifest is not a change: defaults do not make a new revision.
  await kubectl('apply', '-f', path.join(dir, 'web2.yaml'));
  const again = JSON.parse(await kubectl('get', 'deployment', 'web', '-o', 'json'));
  expect(again.metadata.generation).toBe(d.metadata.generation);
});

test('a Service keeps its ClusterIP through updates and shows the single-stack fields', async () => {
  await apply(
    'svc.yaml',
    'apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec: {selector: {app: web}, ports: [{port: 80}]}\n',
  );
  const s1 = JSON.parse(await kubectl('get', 'service', 'web', '-o', 'json'));
  expect(s1.spec).toMatchObject({
    type: 'ClusterIP',
    sessionAffinity: 'None',
    internalTrafficPolicy: 'Cluster',
    ipFamilies: ['IPv4'],
    ipFamilyPolicy: 'SingleStack',
    ports: [{ port: 80, targetPort: 80, protocol: 'TCP' }],
  });
  await apply(
    'svc2.yaml',
    'apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec: {selector: {app: web2}, ports: [{port: 80}]}\n',
  );
  const s2 = JSON.parse(await kubectl('get', 'service', 'web', '-o', 'json'));
  expect(s2.spec.clusterIP).toBe(s1.spec.clusterIP);
  expect(s2.spec.selector).toEqual({ app: 'web2' });
});

test('a CronJob is defaulted as SetDefaults_CronJob does', async () => {
  await apply(
    'cron.yaml',
    `apiVersion: batch/v1
kind: CronJob
metadata: {name: report}
spec:
  schedule: "0 3 * * *"
  jobTemplate: {spec: {template: {spec: {containers: [{name: r, image: "r:1"}]}}}}
`,
  );
  const c = JSON.parse(await kubectl('get', 'cronjob', 'report', '-o', 'json'));
  expect(c.spec).toMatchObject({
    concurrencyPolicy: 'Allow',
    suspend: false,
    successfulJobsHistoryLimit: 3,
    failedJobsHistoryLimit: 1,
  });
  expect(c.spec.jobTemplate.spec.template.spec).toMatchObject({
    restartPolicy: 'Never',
    dnsPolicy: 'ClusterFirst',
  });
});

test('a watch sees a rollout as a real server sends it: ADDED first, then MODIFIED with increasing resourceVersions', async () => {
  const child = execFile('kubectl', [
    '--kubeconfig',
    sim.kubeconfigPath,
    'get',
    'deployment',
    'web',
    '--watch',
    '--output-watch-events',
    '-o',
    'jsonpath={.type} {.object.metadata.resourceVersion}{"\\n"}',
  ]);
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  await new Promise((r) => setTimeout(r, 1000));
  await kubectl('set', 'image', 'deployment/web', 'web=ghcr.io/acme/web:1.2.4');
  await kubectl('rollout', 'status', 'deployment/web', '--timeout=30s');
  await new Promise((r) => setTimeout(r, 500));
  child.kill();
  const events = out
    .trim()
    .split('\n')
    .map((l) => l.split(' '));
  expect(events[0][0]).toBe('ADDED');
  expect(events.length).toBeGreaterThan(2);
  expect(events.slice(1).every(([t]) => t === 'MODIFIED')).toBe(true);
  const versions = events.map(([, rv]) => Number(rv));
  expect([...versions].sort((a, b) => a - b)).toEqual(versions);
});
