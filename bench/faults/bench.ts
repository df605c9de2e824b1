// What 10% of API requests failing with 503 costs deploy and a canary, against the same work on a clean
// API server: extra requests (the client's retries, watches resumed) and extra time (its backoff), and how
// many runs still failed (a 503 on a request that must not be repeated, e.g. a POST, ends the run cleanly).
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { silentLogger } from '@upgrade-actions/common';
import { runCanary } from '@upgrade-actions/canary';
import { deploy, parseImageOverrides } from '@upgrade-actions/deploy';
import { KubeClient, loadClusterAccess, parseManifests } from '@upgrade-actions/kube';
import { R, startKubeSim } from '@upgrade-actions/kube-sim';

export interface FaultFigures {
  work: 'deploy' | 'canary';
  fault: 'clean' | '10% 5xx';
  ms: number;
  requests: number;
  /** Requests answered with the injected 503. */
  injected: number;
  ok: boolean;
  error?: string;
}

const manifests = (name: string, image: string, service: boolean) =>
  parseManifests(
    `apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}}
spec:
  replicas: 3
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec: {containers: [{name: app, image: "${image}"}]}
${
  service
    ? `---
apiVersion: v1
kind: Service
metadata: {name: ${name}}
spec:
  selector: {app: ${name}}
  ports: [{port: 80, targetPort: 8080}]
`
    : ''
}`,
    `${name}.yaml`,
  );

/** mulberry32: the same fault draws for the same seed. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** One fresh simulator: the first release untimed, then the upgrade timed, with or without the fault. */
export async function benchFault(
  work: FaultFigures['work'],
  fault: FaultFigures['fault'],
  seed: number,
): Promise<FaultFigures> {
  const app = createServer((_req, res) => res.end('ok'));
  await new Promise<void>((r) => app.listen(0, '127.0.0.1', () => r()));
  const backend = `http://127.0.0.1:${(app.address() as AddressInfo).port}`;
  const sim = await startKubeSim({
    speed: 10,
    random: seeded(seed),
    controllers: { events: false, scenario: { 'web:*': { backend } } },
  });
  const client = new KubeClient(loadClusterAccess({ path: sim.kubeconfigPath }));
  client.onRetry = () => {};
  sim.store.create(R.namespaces, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } });
  const run = (image: string) =>
    work === 'deploy'
      ? deploy({
          client,
          access: client.access,
          manifests: manifests('web', image, false),
          namespace: 'shop',
          overrides: parseImageOverrides(''),
          fieldManager: 'bench',
          serverSide: true,
          wait: true,
          timeoutMs: 120_000,
          apiCheck: false,
          policy: { forbidLatest: false, requireDigest: false },
          allowFailedRevision: false,
          rollbackOnFailure: false,
          identity: `bench-${image}`,
          logger: silentLogger,
        }).then((r) => {
          if (r.failures.length) throw new Error(r.failures[0].message);
        })
      : runCanary({
          client,
          access: client.access,
          manifests: manifests('web', image, true),
          namespace: 'shop',
          overrides: parseImageOverrides(''),
          policy: { forbidLatest: false, requireDigest: false },
          router: 'replicas',
          matches: [],
          steps: [25, 50, 100],
          timing: { stepIntervalMs: 500, analysisIntervalMs: 200 },
          failureThreshold: 2,
          analysis: { urls: ['web-canary:80/'] },
          maxDurationMs: 0,
          action: 'run',
          identity: `bench-${image}`,
          lockTimeoutMs: 60_000,
          rolloutTimeoutMs: 120_000,
          fieldManager: 'bench',
          logger: silentLogger,
        }).then((r) => {
          if (r.phase !== 'promoted') throw new Error(`canary ${r.phase}: ${r.message}`);
        });
  try {
    await run('web:1');
    if (fault === '10% 5xx') sim.faults.set({ verb: '*', errorRate: 0.1, errorCode: 503 });
    const before = sim.requests.length;
    const t0 = performance.now();
    let error: string | undefined;
    await run('web:2').catch((e: Error) => (error = e.message));
    const ms = performance.now() - t0;
    const served = sim.requests.slice(before);
    return {
      work,
      fault,
      ms,
      requests: served.length,
      injected: fault === 'clean' ? 0 : served.filter((q) => q.code === 503).length,
      ok: error === undefined,
      error,
    };
  } finally {
    client.close();
    await sim.stop();
    await new Promise((r) => app.close(r));
  }
}
