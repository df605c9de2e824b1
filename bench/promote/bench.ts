// Blue-green promotion on the simulator with real local backends: how fast a failed watch check puts the
// traffic back on blue (the Service's selector as an independent watch sees it), and what a promotion
// costs the API server in requests.
import { buildAnalysis } from '@upgrade-actions/analysis';
import { silentLogger } from '@upgrade-actions/common';
import {
  applyManifests,
  Discovery,
  followRolloutStatus,
  KubeClient,
  loadClusterAccess,
  parseManifests,
  resolveWorkload,
} from '@upgrade-actions/kube';
import { startKubeSim } from '@upgrade-actions/kube-sim';
import { apiServerAccess } from '@upgrade-actions/probe';
import { COLOUR_LABEL, promote, readState } from '@upgrade-actions/promote';
import { startTestApp } from '../../test/servers/test-app';

const manifests = (image: string, replicas: number) => `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: default}
spec:
  replicas: ${replicas}
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: web, image: "${image}"}]}
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: default}
spec:
  selector: {app: web}
  ports: [{port: 80, targetPort: 8080}]
`;

export interface PromoteFigures {
  phase: string;
  /** From the failed round's result (the check-failed event) to a watch seeing the selector back on blue. */
  checkToBlueMs?: number;
  /** From the backend starting to fail to a watch seeing blue: detection (threshold × interval) included. */
  failureToBlueMs?: number;
  /** The engine's own figure: failed round → selector PATCH acknowledged. */
  engineMs?: number;
  requests: Record<string, number>;
  total: number;
}

export async function benchPromote(opts: {
  failInWatch: boolean;
  replicas: number;
  validationMs: number;
  watchMs: number;
  intervalMs: number;
  threshold: number;
}): Promise<PromoteFigures> {
  const blueApp = await startTestApp();
  const greenApp = await startTestApp();
  const sim = await startKubeSim({
    speed: 20,
    controllers: {
      events: false,
      scenario: { 'web:v1': { backend: blueApp.url }, 'web:v2': { backend: greenApp.url } },
    },
  });
  const access = loadClusterAccess({ path: sim.kubeconfigPath });
  const client = new KubeClient(access);
  const watcher = new KubeClient(access);
  const controller = new AbortController();
  let watching: Promise<void> | undefined;
  try {
    await applyManifests(client, parseManifests(manifests('web:v1', opts.replicas), 'blue.yaml'), {
      fieldManager: 'bench',
      namespace: 'default',
    });
    const t = await resolveWorkload(client, new Discovery(client), {
      type: 'deploy',
      name: 'web',
      namespace: 'default',
    });
    await followRolloutStatus(client, t, { timeoutMs: 60_000, onMessage: () => {} });

    // An independent watch: when did the selector become green, and when back?
    let greenSeen = false;
    let established!: () => void;
    const ready = new Promise<void>((r) => (established = r));
    let blueAgainAt: number | undefined;
    watching = (async () => {
      try {
        for await (const ev of watcher.watch('/api/v1/namespaces/default/services', {
          query: { fieldSelector: 'metadata.name=web' },
          signal: controller.signal,
        })) {
          established();
          const sel = (ev.object as { spec?: { selector?: Record<string, string> } }).spec?.selector ?? {};
          if (sel[COLOUR_LABEL] === 'green') greenSeen = true;
          else if (greenSeen && blueAgainAt === undefined) blueAgainAt = Date.now();
        }
      } catch {
        // aborted at the end
      }
    })();

    await ready;
    let failingFrom: number | undefined;
    const before = sim.requests.length;
    const result = await promote({
      client,
      namespace: 'default',
      manifests: parseManifests(manifests('web:v2', opts.replicas), 'green.yaml'),
      overrides: new Map(),
      policy: { forbidLatest: true, requireDigest: false },
      timing: {
        validationMs: opts.validationMs,
        watchMs: opts.watchMs,
        scaleDownDelayMs: 0,
        intervalMs: opts.intervalMs,
      },
      failureThreshold: opts.threshold,
      analysis: (vars) =>
        buildAnalysis(
          { urls: ['web-preview:80/switch'] },
          { vars: { ...vars, interval: '1s' }, api: apiServerAccess(access, 'default') },
        ),
      maxDurationMs: 0,
      action: 'run',
      lockTimeoutMs: 10_000,
      readyTimeoutMs: 60_000,
      identity: 'bench',
      beforeSwitch: opts.failInWatch
        ? async () => {
            // Fails from the first watch round on.
            greenApp.failFrom();
            failingFrom = Date.now();
          }
        : undefined,
      logger: silentLogger,
    });
    const served = sim.requests.slice(before);
    // Let the watch deliver the last event.
    for (let i = 0; i < 50 && opts.failInWatch && blueAgainAt === undefined; i++)
      await new Promise((r) => setTimeout(r, 10));
    const requests: Record<string, number> = {};
    // The bench's own watch on the Service is not the promotion's.
    for (const r of served.filter((q) => !(q.verb === 'watch' && q.path.endsWith('/services')))) {
      const key = r.path.includes('/proxy/')
        ? 'analysis (service proxy)'
        : r.path.includes('/leases')
          ? 'lease'
          : r.verb;
      requests[key] = (requests[key] ?? 0) + 1;
    }
    const state = readState(await client.get('/api/v1/namespaces/default/services/web'));
    const failedAt = state?.events.find((e) => e.event === 'check-failed')?.at;
    return {
      phase: result.phase,
      ...(failedAt && blueAgainAt ? { checkToBlueMs: blueAgainAt - Date.parse(failedAt) } : {}),
      ...(failingFrom && blueAgainAt ? { failureToBlueMs: blueAgainAt - failingFrom } : {}),
      ...(result.switchBackMs !== undefined ? { engineMs: result.switchBackMs } : {}),
      requests,
      total: served.length,
    };
  } finally {
    controller.abort();
    await watching;
    watcher.close();
    client.close();
    await sim.stop();
    await blueApp.stop();
    await greenApp.stop();
  }
}
