import { memoryLogger } from '@upgrade-actions/common';
import { buildAnalysis } from '@upgrade-actions/analysis';
import { runCanary, type CanaryOptions } from '@upgrade-actions/canary';
import { deploy, parseImageOverrides } from '@upgrade-actions/deploy';
import { parseManifests, type KubeClient } from '@upgrade-actions/kube';
import { apiServerAccess } from '@upgrade-actions/probe';
import { promote } from '@upgrade-actions/promote';
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

/** A Deployment and the Service `name` selecting it. */
export const serviceAndDeployment = (name: string, image: string) => [
  ...deployment(name, image),
  ...parseManifests(
    `apiVersion: v1
kind: Service
metadata: {name: ${name}}
spec:
  selector: {app: ${name}}
  ports: [{name: http, port: 80, targetPort: 8080}]
`,
    'svc.yaml',
  ),
];

/** Each run is another job: its own Lease holder, as on the runner. */
let runs = 0;

/** deploy, rollback and canary as the actions call them, small and fast, on the client `client()` gives. */
export function runners(client: () => KubeClient) {
  /** `withService`: the Service `name` too (blue as deploy leaves it for promote). */
  const deployRun = (ns: string, name: string, image: string, log = memoryLogger(), withService = false) =>
    deploy({
      client: client(),
      access: client().access,
      manifests: withService ? serviceAndDeployment(name, image) : deployment(name, image),
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
      manifests: serviceAndDeployment('shop', image),
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
  /** Blue-green through the Service `blue` (Deployment `blue` first), green analysed through blue-preview. */
  const promoteRun = (ns: string, image: string) =>
    promote({
      client: client(),
      namespace: ns,
      manifests: serviceAndDeployment('blue', image),
      overrides: parseImageOverrides(''),
      policy: { forbidLatest: false, requireDigest: false },
      timing: { validationMs: 600, watchMs: 600, scaleDownDelayMs: 100, intervalMs: 200 },
      failureThreshold: 2,
      analysis: (vars) =>
        buildAnalysis(
          { urls: ['blue-preview:80/switch'] },
          { vars: { ...vars, interval: '1s' }, api: apiServerAccess(client().access, ns) },
        ),
      maxDurationMs: 0,
      action: 'run',
      lockTimeoutMs: 30_000,
      readyTimeoutMs: 60_000,
      identity: `promote-${ns}-${++runs}`,
      logger: memoryLogger(),
    });
  return { deployRun, rollbackRun, canaryRun, promoteRun };
}

/** Every selector each Service had, in order, as the store saw them (a promotion: pin, then switch). */
export function recordSelectors(store: Store): {
  history: (namespace: string, name: string) => string[];
  stop: () => void;
} {
  const seen = new Map<string, string[]>();
  const stop = store.subscribe((e) => {
    if (e.resource.group !== '' || e.resource.resource !== 'services' || e.type === 'DELETED') return;
    const key = `${e.object.metadata.namespace}/${e.object.metadata.name}`;
    const selector = JSON.stringify((e.object.spec as { selector?: unknown } | undefined)?.selector);
    const list = seen.get(key) ?? [];
    if (list.at(-1) !== selector) list.push(selector);
    seen.set(key, list);
  });
  return { history: (ns, name) => [...(seen.get(`${ns}/${name}`) ?? [])], stop };
}
