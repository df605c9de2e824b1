// The canary engine on the simulator with a real local backend: how long from an injected failure of the
// canary to the abort complete (weight 0, canary objects gone), against the bound the settings imply
// (failure-threshold × analysis-interval), and what a round and a step cost in API requests.
import type { Logger } from '@upgrade-actions/common';
import { runCanary } from '@upgrade-actions/canary';
import { parseImageOverrides } from '@upgrade-actions/deploy';
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
import { startTestApp } from '../../test/servers/test-app';

const yaml = (image: string) => `apiVersion: v1
kind: Namespace
metadata: {name: shop}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  replicas: 4
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: web, image: "${image}"}]}
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec: {selector: {app: web}, ports: [{port: 80, targetPort: 8080}]}
`;

async function setup() {
  const stable = await startTestApp();
  const canary = await startTestApp();
  const sim = await startKubeSim({
    speed: 50,
    controllers: {
      events: false,
      scenario: { 'web:1': { backend: stable.url }, 'web:2': { backend: canary.url } },
    },
  });
  const client = new KubeClient(loadClusterAccess({ path: sim.kubeconfigPath }));
  await applyManifests(client, parseManifests(yaml('web:1'), 'web.yaml'), {
    fieldManager: 'bench',
    namespace: 'shop',
  });
  const target = await resolveWorkload(client, new Discovery(client), {
    type: 'deploy',
    name: 'web',
    namespace: 'shop',
  });
  await followRolloutStatus(client, target, { timeoutMs: 30_000, onMessage: () => {} });
  return {
    client,
    canary,
    async close() {
      client.close();
      await sim.stop();
      await stable.stop();
      await canary.stop();
    },
  };
}

const options = (
  client: KubeClient,
  logger: Logger,
  steps: number[],
  stepIntervalMs: number,
  analysisIntervalMs: number,
  failureThreshold: number,
) => ({
  client,
  access: client.access,
  manifests: parseManifests(yaml('web:2'), 'web.yaml'),
  namespace: 'shop',
  overrides: parseImageOverrides(''),
  policy: { forbidLatest: true, requireDigest: false },
  router: 'replicas' as const,
  matches: [],
  steps,
  timing: { stepIntervalMs, analysisIntervalMs },
  failureThreshold,
  analysis: { urls: ['web-canary:80/switch'] },
  maxDurationMs: 0,
  action: 'run' as const,
  identity: 'bench',
  lockTimeoutMs: 10_000,
  rolloutTimeoutMs: 60_000,
  fieldManager: 'upgrade-actions',
  logger,
});

function logger(onLine: (line: string) => void): Logger {
  return { debug: () => {}, info: onLine, warning: onLine, error: onLine, group: (_n, fn) => fn() };
}

/** Failure injected at a random point of a round interval, once the first round of step 1 passed. */
export async function benchAbort(analysisIntervalMs: number, failureThreshold: number) {
  const env = await setup();
  try {
    let injectedAt = 0;
    const log = logger((line) => {
      if (!injectedAt && /^step 1 round 1: ✓ web-canary/.test(line)) {
        setTimeout(() => {
          injectedAt = performance.now();
          env.canary.failFrom();
        }, Math.random() * analysisIntervalMs);
      }
    });
    const r = await runCanary(
      options(env.client, log, [50, 100], 600_000, analysisIntervalMs, failureThreshold),
    );
    const done = performance.now();
    if (r.phase !== 'aborted') throw new Error(`expected an abort, got ${r.phase}`);
    return { detectionMs: done - injectedAt, boundMs: failureThreshold * analysisIntervalMs };
  } finally {
    await env.close();
  }
}

/** A good canary through two steps: API requests of each analysis round and of a step change. */
export async function benchRequests() {
  const env = await setup();
  try {
    const marks: { line: string; requests: number }[] = [];
    const log = logger((line) => marks.push({ line, requests: env.client.stats.requests }));
    const start = env.client.stats.requests;
    const r = await runCanary(options(env.client, log, [50, 100], 3000, 500, 3));
    if (r.phase !== 'promoted') throw new Error(`expected a promotion, got ${r.phase}`);
    const roundMarks = marks.filter((m) => /^step \d round \d+: . pods/.test(m.line));
    const perRound: number[] = [];
    for (let i = 1; i < roundMarks.length; i++) {
      const step = (l: string) => l.match(/^step (\d)/)![1];
      if (step(roundMarks[i].line) === step(roundMarks[i - 1].line))
        perRound.push(roundMarks[i].requests - roundMarks[i - 1].requests);
    }
    const stepMark = marks.find((m) => m.line.startsWith('Step 2/2'))!;
    const before = [...roundMarks].reverse().find((m) => m.requests <= stepMark.requests)!;
    return {
      total: env.client.stats.requests - start,
      rounds: roundMarks.length,
      perRound: perRound.sort((a, b) => a - b)[Math.floor(perRound.length / 2)],
      stepChange: stepMark.requests - before.requests,
    };
  } finally {
    await env.close();
  }
}
