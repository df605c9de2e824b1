import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { KubeClient, loadClusterAccess } from '@upgrade-actions/kube';
import { startKubeSim, type KubeSim } from '@upgrade-actions/kube-sim';
import { healthProbe, releaseWarnings } from '@upgrade-actions/probe';
import type { Release } from '@upgrade-actions/release';

// The gate between stages (SEEDS.md §5): no Warning events from the release's objects during the soak.
// The simulator's kubelet records the Warnings a real one does (Failed / BackOff on a pull, BackOff on a
// crash loop); kubectl reads them as `kubectl describe` shows them.

let sim: KubeSim;
let client: KubeClient;
let dir: string;

async function kubectl(...args: string[]): Promise<string> {
  const { stdout } = await promisify(execFile)('kubectl', ['--kubeconfig', sim.kubeconfigPath, ...args], {
    env: { ...process.env, KUBECACHEDIR: path.join(dir, 'cache') },
  });
  return stdout;
}
async function deploy(name: string, image: string): Promise<Release> {
  const createdAt = new Date().toISOString();
  writeFileSync(
    path.join(dir, `${name}.yaml`),
    `apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}, namespace: default}
spec:
  replicas: 2
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec: {containers: [{name: app, image: "${image}"}]}
`,
  );
  await kubectl('apply', '-f', path.join(dir, `${name}.yaml`));
  return {
    version: 'v1',
    cluster: {},
    namespace: 'default',
    images: {},
    workloads: [{ kind: 'Deployment', name, namespace: 'default', revisionBefore: null, revisionAfter: 1 }],
    createdAt,
  };
}
const probe = (release: Release, failOnWarningEvents = true) =>
  healthProbe(
    {
      urls: [],
      expectedStatus: '200',
      timeout: '5s',
      mode: 'once',
      duration: '0s',
      interval: '1s',
      failureThreshold: 1,
      failOnWarningEvents,
    },
    { release, client },
  );

beforeAll(async () => {
  sim = await startKubeSim({
    speed: 50,
    controllers: {
      events: true,
      scenario: { 'crash:*': { crashAfterMs: 20 }, 'pull:*': { pullError: 'manifest unknown' } },
    },
  });
  client = new KubeClient(loadClusterAccess({ path: sim.kubeconfigPath }));
  dir = mkdtempSync(path.join(tmpdir(), 'probe-events-'));
});
afterAll(async () => {
  client?.close();
  await sim?.stop();
  rmSync(dir, { recursive: true, force: true });
});

test('a healthy release passes the Warning-events gate', async () => {
  const release = await deploy('good', 'good:1');
  await kubectl('rollout', 'status', 'deployment/good', '--timeout=30s');
  const { report } = await probe(release);
  const events = report.checks.find((c) => c.name === 'warning events')!;
  expect(events).toMatchObject({ passing: true });
  expect(events.observations.warnings).toBe(0);
  expect(report.status).toBe('healthy');
});

test("a crash-looping release fails it, naming the pod's BackOff as kubectl describe shows it", async () => {
  const release = await deploy('crashy', 'crash:1');
  await new Promise((r) => setTimeout(r, 1500));
  const described = await kubectl('describe', 'pods', '-l', 'app=crashy');
  expect(described).toMatch(/Warning\s+BackOff\s+.*Back-off restarting failed container app in pod crashy-/);
  const { report } = await probe(release);
  const events = report.checks.find((c) => c.name === 'warning events')!;
  expect(events.passing).toBe(false);
  expect(events.error).toMatch(
    /^\d+ Warning event\(s\): pod\/crashy-[a-z0-9]+-[a-z0-9]+ BackOff: Back-off restarting failed container app/,
  );
  // Another release's Warnings are not this one's: the healthy release still passes.
  const good = await probe({ ...release, workloads: [{ ...release.workloads[0], name: 'good' }] });
  expect(good.report.checks.find((c) => c.name === 'warning events')!.passing).toBe(true);
});

test('a failed pull is a Warning too; the gate is off by default', async () => {
  const release = await deploy('pully', 'pull:1');
  await new Promise((r) => setTimeout(r, 500));
  const on = await probe(release);
  expect(on.report.checks.find((c) => c.name === 'warning events')!.error).toMatch(
    /Failed: Failed to pull image "pull:1": manifest unknown/,
  );
  const off = await probe(release, false);
  expect(off.report.checks.some((c) => c.name === 'warning events')).toBe(false);
});

test('only Warnings about the objects, since the release', () => {
  const at = (s: string) => ({ lastTimestamp: s });
  const events = [
    {
      type: 'Warning',
      reason: 'BackOff',
      involvedObject: { kind: 'Pod', name: 'web-1' },
      ...at('2026-12-05T10:00:10Z'),
    },
    {
      type: 'Normal',
      reason: 'Pulled',
      involvedObject: { kind: 'Pod', name: 'web-1' },
      ...at('2026-12-05T10:00:10Z'),
    },
    {
      type: 'Warning',
      reason: 'BackOff',
      involvedObject: { kind: 'Pod', name: 'other-1' },
      ...at('2026-12-05T10:00:10Z'),
    },
    {
      type: 'Warning',
      reason: 'BackOff',
      involvedObject: { kind: 'Pod', name: 'web-1' },
      ...at('2026-12-05T09:00:00Z'),
    },
  ];
  expect(
    releaseWarnings(events, new Set(['Pod/web-1']), Date.parse('2026-12-05T10:00:00Z')).map((e) => e.reason),
  ).toEqual(['BackOff']);
});
