import { memoryLogger } from '@upgrade-actions/common';
import { runCanary, type CanaryOptions } from '@upgrade-actions/canary';
import { deploy, parseImageOverrides } from '@upgrade-actions/deploy';
import { parseManifests, type KubeClient } from '@upgrade-actions/kube';
import { parseWorkloads, rollback } from '@upgrade-actions/rollback';
import type { Store } from '@upgrade-actions/kube-sim';

/** A small seeded PRNG (mulberry32): fault rates that fire on the same draws in every run. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Counts, per Deployment, the writes that changed its pod template (its creation included), as the store
 * saw them: a retried request that changed nothing the second time is not counted, a write done twice is.
 */
export function countTemplateChanges(store: Store): {
  changes: { (namespace: string, name: string): number; total(): number };
  stop: () => void;
} {
  const last = new Map<string, string>();
  const counts = new Map<string, number>();
  const stop = store.subscribe((e) => {
    if (e.resource.group !== 'apps' || e.resource.resource !== 'deployments') return;
    const key = `${e.object.metadata.namespace}/${e.object.metadata.name}`;
    if (e.type === 'DELETED') {
      last.delete(key);
      return;
    }
    const template = JSON.stringify((e.object.spec as { template?: unknown } | undefined)?.template);
    if (last.get(key) === template) return;
    last.set(key, template);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  });
  const changes = Object.assign((ns: string, name: string) => counts.get(`${ns}/${name}`) ?? 0, {
    total: () => [...counts.values()].reduce((a, b) => a + b, 0),
  });
  return { changes, stop };
}

export const deployment = (name: string, image: string) =>
  parseManifests(
    `apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}}
spec:
  replicas: 2
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec: {containers: [{name: app, image: "${image}"}]}
`,
    `${name}.yaml`,
  );

const canaryManifests = (image: string) => [
  ...deployment('shop', image),
  ...parseManifests(
    `apiVersion: v1
kind: Service
metadata: {name: shop}
spec:
  selector: {app: shop}
  ports: [{name: http, port: 80, targetPort: 8080}]
`,
    'svc.yaml',
  ),
];

/** Each run is another job: its own Lease holder, as on the runner. */
let runs = 0;

/** deploy, rollback and canary as the actions call them, small and fast, on the client `client()` gives. */
export function runners(client: () => KubeClient) {
  const deployRun = (ns: string, name: string, image: string, log = memoryLogger()) =>
    deploy({
      client: client(),
      access: client().access,
      manifests: deployment(name, image),
      namespace: ns,
      overrides: parseImageOverrides(''),
      fieldManager: 'upgrade-actions',
      serverSide: true,
      wait: true,
      timeoutMs: 60_000,
      apiCheck: false,
      policy: { forbidLatest: false, requireDigest: false },
      allowFailedRevision: false,
      rollbackOnFailure: false,
      identity: `deploy-${ns}-${++runs}`,
      logger: log,
    });

  const rollbackRun = (ns: string, name: string, log = memoryLogger()) =>
    rollback({
      client: client(),
      targets: parseWorkloads([`deployment/${name}`], ns),
      reason: 'smoke tests failed',
      identity: `rollback-${ns}-${++runs}`,
      timeoutMs: 60_000,
      lockTimeoutMs: 30_000,
      logger: log,
    });

  const canaryRun = (
    ns: string,
    image: string,
    over: Partial<CanaryOptions> = {},
  ): ReturnType<typeof runCanary> =>
    runCanary({
      client: client(),
      access: client().access,
      manifests: canaryManifests(image),
      namespace: ns,
      overrides: parseImageOverrides(''),
      policy: { forbidLatest: false, requireDigest: false },
      router: 'replicas',
      matches: [],
      steps: [50, 100],
      timing: { stepIntervalMs: 300, analysisIntervalMs: 100 },
      failureThreshold: 2,
      analysis: { urls: ['shop-canary:80/switch'] },
      maxDurationMs: 0,
      action: 'run',
      identity: `canary-${ns}-${++runs}`,
      lockTimeoutMs: 30_000,
      rolloutTimeoutMs: 60_000,
      fieldManager: 'upgrade-actions',
      logger: memoryLogger(),
      ...over,
    });
  return { deployRun, rollbackRun, canaryRun };
}
