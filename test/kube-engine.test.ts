import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { memoryLogger } from '@upgrade-actions/common';
import {
  applyManifests,
  Discovery,
  followRolloutStatus,
  KubeClient,
  loadClusterAccess,
  loadManifests,
  resolveWorkload,
  rolloutHistory,
  rolloutUndo,
  WaitTimeoutError,
} from '@upgrade-actions/kube';
import { builtin, startKubeSim, type KubeSim } from '@upgrade-actions/kube-sim';

// The engine against the simulated API server with its Deployment/ReplicaSet controllers and kubelet.
// Pods become Ready one simulated second after scheduling; the clock runs 50× real time.

let sim: KubeSim;
let client: KubeClient;
let dir: string;

beforeAll(async () => {
  sim = await startKubeSim({
    speed: 50,
    controllers: {
      events: false,
    },
  });
  client = new KubeClient(loadClusterAccess({ path: sim.kubeconfigPath }));
  dir = mkdtempSync(path.join(tmpdir(), 'kube-engine-'));
});

afterAll(async () => {
  client?.close();
  await sim?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const deployment = (image: string, replicas = 3, cause?: string) => `
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
  ${cause ? `annotations: {kubernetes.io/change-cause: "${cause}"}` : ''}
spec:
  replicas: ${replicas}
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: "${image}", ports: [{containerPort: 80}]}]
`;

function write(name: string, text: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return file;
}

async function follow(timeoutMs = 20_000) {
  const lines: string[] = [];
  const target = await resolveWorkload(client, new Discovery(client), {
    type: 'deploy',
    name: 'web',
    namespace: 'shop',
  });
  await followRolloutStatus(client, target, { timeoutMs, onMessage: (l) => lines.push(l) });
  return lines;
}

describe('the kube engine against the simulated cluster', () => {
  test('applies a multi-document manifest in dependency order, defaulting namespaces', async () => {
    // Service and Deployment come first in the file; the Namespace and ConfigMap must still be applied first.
    const file = write(
      'app.yaml',
      `${deployment('nginx:1.25', 3, 'v1')}---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec: {selector: {app: web}, ports: [{port: 80}]}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: settings}
data: {mode: fast}
---
apiVersion: v1
kind: Namespace
metadata: {name: shop}
`,
    );
    const results = await applyManifests(client, loadManifests([file]), {
      fieldManager: 'upgrade-actions',
      namespace: 'shop',
    });
    expect(results.map((r) => r.line)).toEqual([
      'namespace/shop serverside-applied',
      'configmap/settings serverside-applied',
      'deployment.apps/web serverside-applied',
      'service/web serverside-applied',
    ]);
    expect(results.map((r) => r.action)).toEqual(['created', 'created', 'created', 'created']);
    expect(results[1].namespace).toBe('shop');
    const cm = await client.get('/api/v1/namespaces/shop/configmaps/settings');
    expect(cm.data).toEqual({ mode: 'fast' });
    // The field manager owns what it applied.
    expect(cm.metadata?.managedFields).toEqual([
      expect.objectContaining({
        manager: 'upgrade-actions',
        operation: 'Apply',
        fieldsV1: { 'f:data': { 'f:mode': {} } },
      }),
    ]);
  });

  test('re-applying the same manifest leaves objects unchanged; a changed one is configured', async () => {
    const same = await applyManifests(client, loadManifests([path.join(dir, 'app.yaml')]), {
      fieldManager: 'upgrade-actions',
      namespace: 'shop',
    });
    expect(same.map((r) => r.action)).toEqual(['unchanged', 'unchanged', 'unchanged', 'unchanged']);
  });

  test("follows the first rollout to completion with kubectl's messages", async () => {
    const lines = await follow();
    expect(lines.at(-1)).toBe('deployment "web" successfully rolled out\n');
    for (const l of lines.slice(0, -1)) expect(l).toMatch(/^Waiting for deployment/);
  });

  test('a new image is a new revision; history lists both with their change causes', async () => {
    const file = write('v2.yaml', deployment('nginx:1.26', 3, 'v2'));
    const [r] = await applyManifests(client, loadManifests([file]), {
      fieldManager: 'upgrade-actions',
      namespace: 'shop',
    });
    expect(r.action).toBe('configured');
    const lines = await follow();
    expect(lines.at(-1)).toBe('deployment "web" successfully rolled out\n');
    const target = await resolveWorkload(client, new Discovery(client), {
      type: 'deployment',
      name: 'web',
      namespace: 'shop',
    });
    expect(target.displayName).toBe('deployment.apps/web');
    expect(await rolloutHistory(client, target)).toBe('REVISION  CHANGE-CAUSE\n1         v1\n2         v2\n');
  });

  test('undo rolls back to the previous template and it becomes the newest revision', async () => {
    const target = await resolveWorkload(client, new Discovery(client), {
      type: 'deployment',
      name: 'web',
      namespace: 'shop',
    });
    const plan = await rolloutUndo(client, target);
    expect(plan.result).toBe('rolled back');
    await follow();
    const d = await client.get<{ spec: { template: { spec: { containers: { image: string }[] } } } }>(
      '/apis/apps/v1/namespaces/shop/deployments/web',
    );
    expect(d.spec.template.spec.containers[0].image).toBe('nginx:1.25');
    expect(await rolloutHistory(client, target)).toBe('REVISION  CHANGE-CAUSE\n2         v2\n3         v1\n');
    // Rolling back to the revision now running is skipped, as kubectl does.
    expect((await rolloutUndo(client, target, { toRevision: 3 })).result).toBe(
      'skipped rollback (current template already matches revision 3)',
    );
  });

  test('watch drops are resumed from the last resourceVersion without relisting', async () => {
    // Pods of held:1 are not Ready until the test has seen the watch dropped and re-opened twice.
    sim.controllers!.scenario.set('held:1', { ready: false });
    const remove = sim.faults.set({ verb: 'watch', resource: 'deployments', dropAfterMs: 30 });
    const before = sim.requests.length;
    const watchesSoFar = () =>
      sim.requests
        .slice(before)
        .filter((r) => r.verb === 'watch' && r.path === '/apis/apps/v1/namespaces/shop/deployments').length;
    const release = setInterval(() => {
      if (watchesSoFar() >= 3) sim.controllers!.scenario.set('held:1', { ready: true });
    }, 10);
    try {
      await applyManifests(client, loadManifests([write('v4.yaml', deployment('held:1', 4))]), {
        fieldManager: 'upgrade-actions',
        namespace: 'shop',
      });
      const lines = await follow();
      expect(lines.at(-1)).toBe('deployment "web" successfully rolled out\n');
    } finally {
      clearInterval(release);
      remove();
    }
    const mine = sim.requests
      .slice(before)
      .filter(
        (r) => r.path === '/apis/apps/v1/namespaces/shop/deployments' && r.query.includes('fieldSelector'),
      );
    const watches = mine.filter((r) => r.verb === 'watch');
    const lists = mine.filter((r) => r.verb === 'list');
    expect(lists).toHaveLength(1);
    expect(watches.length).toBeGreaterThanOrEqual(3);
    // Every re-watch names the resourceVersion to resume from.
    for (const w of watches) expect(new URLSearchParams(w.query).get('resourceVersion')).toMatch(/^\d+$/);
  });

  test('a watch answered with 410 Gone relists and still reaches the end of the rollout', async () => {
    const logger = memoryLogger();
    const target = await resolveWorkload(client, new Discovery(client), {
      type: 'deployment',
      name: 'web',
      namespace: 'shop',
    });
    // Pods of held:2 are not Ready until the test has seen a relist.
    sim.controllers!.scenario.set('held:2', { ready: false });
    const remove = sim.faults.set({ verb: 'watch', resource: 'deployments', dropAfterMs: 30 });
    const before = sim.requests.length;
    const relisted = () =>
      sim.requests
        .slice(before)
        .filter(
          (r) =>
            r.verb === 'list' &&
            r.path === '/apis/apps/v1/namespaces/shop/deployments' &&
            r.query.includes('fieldSelector'),
        ).length >= 2;
    const release = setInterval(() => {
      if (relisted()) sim.controllers!.scenario.set('held:2', { ready: true });
    }, 10);
    await applyManifests(client, loadManifests([write('v5.yaml', deployment('held:2', 4))]), {
      fieldManager: 'upgrade-actions',
      namespace: 'shop',
    });
    const lines: string[] = [];
    // On every event: one more write, then compact the event log, so that a watch resumed from the
    // resourceVersion we hold is always too old to serve.
    let n = 0;
    try {
      await followRolloutStatus(client, target, {
        timeoutMs: 20_000,
        logger,
        onMessage: (l) => {
          lines.push(l);
          sim.store.create(builtin('', 'configmaps'), {
            apiVersion: 'v1',
            kind: 'ConfigMap',
            metadata: { name: `noise-${n++}`, namespace: 'default' },
          });
          sim.store.compact();
        },
      });
    } finally {
      clearInterval(release);
      remove();
    }
    expect(lines.at(-1)).toBe('deployment "web" successfully rolled out\n');
    const lists = sim.requests
      .slice(before)
      .filter((r) => r.path === '/apis/apps/v1/namespaces/shop/deployments' && r.verb === 'list');
    expect(lists.length).toBeGreaterThanOrEqual(2);
    expect(logger.lines).toContainEqual(expect.stringMatching(/410 Gone, relisting/));
  });

  test('a timeout that fires while the first list is still unanswered ends the wait at once', async () => {
    const remove = sim.faults.set({ verb: 'list', resource: 'deployments', latencyMs: 3000 });
    const before = sim.requests.length;
    try {
      await expect(follow(200)).rejects.toThrow(new WaitTimeoutError());
      // Settled by the timeout, while the slow list is still unanswered.
      const list = sim.requests
        .slice(before)
        .find((r) => r.verb === 'list' && r.query.includes('fieldSelector'));
      expect(list?.code).toBe(0);
    } finally {
      remove();
    }
  });

  test("a rollout that never finishes times out with kubectl's error", async () => {
    await applyManifests(client, loadManifests([write('stuck.yaml', deployment('nginx:1.29', 4))]), {
      fieldManager: 'upgrade-actions',
      namespace: 'shop',
    });
    // Pause it so it cannot progress.
    await client.request('PATCH', '/apis/apps/v1/namespaces/shop/deployments/web', {
      body: { spec: { paused: true } },
      contentType: 'application/merge-patch+json',
    });
    await client.request('PATCH', '/apis/apps/v1/namespaces/shop/deployments/web', {
      body: { spec: { template: { spec: { containers: [{ name: 'web', image: 'nginx:1.30' }] } } } },
      contentType: 'application/strategic-merge-patch+json',
    });
    await expect(follow(300)).rejects.toThrow(new WaitTimeoutError());
    const target = await resolveWorkload(client, new Discovery(client), {
      type: 'deployment',
      name: 'web',
      namespace: 'shop',
    });
    await expect(rolloutUndo(client, target)).rejects.toThrow(
      "you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume' and try again",
    );
  });
});
