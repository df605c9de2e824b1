// The kube benchmarks proper; bench/kube/run.mjs bundles and runs this file (see there).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  applyManifests,
  Discovery,
  followRolloutStatus,
  KubeClient,
  loadClusterAccess,
  loadManifests,
  parseManifests,
  resolveWorkload,
  rolloutStatus,
  type KubeObject,
} from '@upgrade-actions/kube';
import { startKubeSim, type KubeSim } from '@upgrade-actions/kube-sim';

const KUBECTL = '/usr/bin/kubectl';

export interface FollowFigures {
  how: string;
  requests: number;
  wallMs: number;
  /** From the moment the Deployment's status says complete to the moment the follower knew. */
  lagMs: number;
}

function deployment(image: string, replicas: number): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata: {name: big, namespace: default}
spec:
  replicas: ${replicas}
  selector: {matchLabels: {app: big}}
  template:
    metadata: {labels: {app: big}}
    spec: {containers: [{name: c, image: "${image}"}]}
`;
}

function runProcess(
  file: string,
  args: string[],
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const p = spawn(file, args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, KUBECONFIG: '' },
    });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => (stdout += d));
    p.stderr.on('data', (d) => (stderr += d));
    p.on('error', reject);
    p.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** When the stored Deployment first reports a finished rollout (as kubectl's viewer judges it). */
function completionWatcher(sim: KubeSim): { since(t: number): Promise<number> } {
  let doneAt = 0;
  sim.store.subscribe((e) => {
    if (e.object.kind !== 'Deployment' || e.object.metadata.name !== 'big') return;
    try {
      if (rolloutStatus(e.object as KubeObject).done) doneAt ||= performance.now();
      else doneAt = 0;
    } catch {
      doneAt = 0;
    }
  });
  return {
    async since(t: number) {
      while (!doneAt || doneAt < t) await new Promise((r) => setTimeout(r, 5));
      return doneAt;
    },
  };
}

/**
 * Follows three identical 100-replica rollouts to completion, one per follower: our watch-based
 * status, `kubectl rollout status`, and a loop that GETs the Deployment every second.
 */
export async function benchFollow(replicas: number, speed: number): Promise<FollowFigures[]> {
  // Pods take 5 s to become Ready, as a small real service does: the rollout lasts long enough for
  // the difference between watching and polling to show.
  const sim = await startKubeSim({
    speed,
    controllers: { events: false, scenario: { 'app:*': { startDelayMs: 5000 } } },
  });
  const client = new KubeClient(loadClusterAccess({ path: sim.kubeconfigPath }));
  const completion = completionWatcher(sim);
  const out: FollowFigures[] = [];
  try {
    let version = 0;
    const roll = async () => {
      version++;
      await applyManifests(client, parseManifests(deployment(`app:${version}`, replicas), 'bench'), {
        fieldManager: 'bench',
        namespace: 'default',
      });
    };
    await roll();
    // Let the first rollout finish before measuring.
    await completion.since(0);

    const followers: [string, () => Promise<void>][] = [
      [
        'upgrade-actions (watch)',
        async () => {
          const c = new KubeClient(loadClusterAccess({ path: sim.kubeconfigPath }));
          const t = await resolveWorkload(c, new Discovery(c), {
            type: 'deployment',
            name: 'big',
            namespace: 'default',
          });
          await followRolloutStatus(c, t, { onMessage: () => {} });
          c.close();
        },
      ],
      [
        'kubectl rollout status',
        async () => {
          const r = await runProcess(KUBECTL, [
            'rollout',
            'status',
            'deployment/big',
            '--kubeconfig',
            sim.kubeconfigPath,
          ]);
          if (r.code !== 0) throw new Error(`kubectl failed: ${r.stderr}`);
        },
      ],
      [
        'GET every 1 s',
        async () => {
          const c = new KubeClient(loadClusterAccess({ path: sim.kubeconfigPath }));
          for (;;) {
            const d = await c.get('/apis/apps/v1/namespaces/default/deployments/big');
            if (rolloutStatus(d).done) break;
            await new Promise((r) => setTimeout(r, 1000));
          }
          c.close();
        },
      ],
    ];
    for (const [how, follow] of followers) {
      await roll();
      const before = sim.requests.length;
      const t0 = performance.now();
      // The apply above is not counted: only what the follower asks.
      await follow();
      const t1 = performance.now();
      const requests = sim.requests.length - before;
      const doneAt = await completion.since(t0);
      out.push({ how, requests, wallMs: t1 - t0, lagMs: t1 - doneAt });
    }
  } finally {
    client.close();
    await sim.stop();
  }
  return out;
}

export interface ApplyFigures {
  how: string;
  requests: number;
  wallMs: number;
  objects: number;
}

/** 500 objects (ConfigMaps, Services, Deployments, in one namespace) applied server-side, each way on a fresh simulator. */
export async function benchApply(count: number): Promise<ApplyFigures[]> {
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-kube-apply-'));
  try {
    const docs: string[] = ['apiVersion: v1\nkind: Namespace\nmetadata: {name: bulk}'];
    for (let i = 1; docs.length < count; i++) {
      const kind = i % 4;
      if (kind === 0 || kind === 1) {
        docs.push(
          `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm-${i}, namespace: bulk}\ndata: {key: "value-${i}"}`,
        );
      } else if (kind === 2) {
        docs.push(
          `apiVersion: v1\nkind: Service\nmetadata: {name: svc-${i}, namespace: bulk}\nspec: {selector: {app: a${i}}, ports: [{port: 80, targetPort: 8080}]}`,
        );
      } else {
        docs.push(
          deployment(`app:${i}`, 1)
            .replace('name: big, namespace: default', `name: d-${i}, namespace: bulk`)
            .replace(/app: big/g, `app: a${i}`),
        );
      }
    }
    // Ten files of 50 documents, as a repository's manifests folder.
    for (let f = 0; f < 10; f++) {
      writeFileSync(
        path.join(dir, `part-${f}.yaml`),
        docs.slice(f * (count / 10), (f + 1) * (count / 10)).join('\n---\n'),
      );
    }
    const out: ApplyFigures[] = [];
    for (const how of ['upgrade-actions applyManifests', 'kubectl apply --server-side -f']) {
      const sim = await startKubeSim({ controllers: false });
      try {
        const before = sim.requests.length;
        const t0 = performance.now();
        let objects: number;
        if (how.startsWith('kubectl')) {
          const r = await runProcess(KUBECTL, [
            'apply',
            '--server-side',
            '--field-manager',
            'bench',
            '-f',
            dir,
            '--kubeconfig',
            sim.kubeconfigPath,
          ]);
          if (r.code !== 0) throw new Error(`kubectl apply failed: ${r.stderr}`);
          objects = r.stdout.trim().split('\n').length;
        } else {
          const c = new KubeClient(loadClusterAccess({ path: sim.kubeconfigPath }));
          const results = await applyManifests(c, loadManifests([dir]), {
            fieldManager: 'bench',
            namespace: 'default',
          });
          objects = results.length;
          c.close();
        }
        const wallMs = performance.now() - t0;
        // sim.requests keeps the last 2000; 500 objects stay well within it.
        out.push({ how, requests: sim.requests.length - before, wallMs, objects });
      } finally {
        await sim.stop();
      }
    }
    return out;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
