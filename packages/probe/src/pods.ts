import type { Check, CheckResult } from './types';

/** The fields of a core/v1 Pod the basic level reads. */
export interface PodLike {
  metadata: { name: string; namespace?: string };
  status?: {
    phase?: string;
    conditions?: Array<{ type: string; status: string }>;
    containerStatuses?: ContainerStatusLike[];
    initContainerStatuses?: ContainerStatusLike[];
  };
  /** Resource usage from metrics.k8s.io (PodMetrics.containers), when the cluster serves it. */
  usage?: Array<{ name: string; usage: { cpu?: string; memory?: string } }>;
}

export interface ContainerStatusLike {
  name: string;
  ready?: boolean;
  restartCount?: number;
  state?: {
    waiting?: { reason?: string; message?: string };
    terminated?: { reason?: string; exitCode?: number };
  };
  lastState?: { terminated?: { reason?: string; exitCode?: number } };
}

export interface PodFinding {
  pod: string;
  container?: string;
  reason: string;
  message: string;
  /** The seed's recovery step for this kind of failure. */
  hint: string;
}

/** The seed's failure table: image pull failure → rebuild/push; dependency down → roll back; configuration error → fix config. */
export const HINTS: Record<string, string> = {
  ImagePullBackOff:
    'rebuild and push the image (check its name, tag and registry credentials), then redeploy',
  ErrImagePull: 'rebuild and push the image (check its name, tag and registry credentials), then redeploy',
  InvalidImageName: 'fix the image reference in the manifest and redeploy',
  CreateContainerConfigError: 'fix the configuration (a missing ConfigMap, Secret or key) and redeploy',
  CrashLoopBackOff:
    'read the previous logs (kubectl logs --previous); fix the configuration and redeploy, or roll back to the last stable version if a dependency is down',
  OOMKilled:
    'raise the memory limit or fix the leak; roll back to the last stable version if it began with this release',
  NotReady:
    'check the readiness probe and the container logs; roll back to the last stable version if it does not recover',
  Restarted:
    'read the previous logs (kubectl logs --previous); roll back to the last stable version if restarts continue',
};

const WAITING_FAILURES = new Set([
  'ImagePullBackOff',
  'ErrImagePull',
  'InvalidImageName',
  'CreateContainerConfigError',
  'CrashLoopBackOff',
]);

/** Restart counts by `pod/container`, the baseline a watch compares against. */
export function restartCounts(pods: PodLike[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const p of pods) {
    for (const c of [...(p.status?.initContainerStatuses ?? []), ...(p.status?.containerStatuses ?? [])]) {
      out[`${p.metadata.name}/${c.name}`] = c.restartCount ?? 0;
    }
  }
  return out;
}

/**
 * The basic level, pure: every pod Ready, no restart since the baseline, no OOMKilled,
 * CrashLoopBackOff or image pull failure. Each finding carries the seed's recovery hint.
 */
export function assessPods(pods: PodLike[], baseline: Record<string, number>): CheckResult {
  const findings: PodFinding[] = [];
  const add = (pod: string, container: string | undefined, reason: string, message: string) =>
    findings.push({ pod, ...(container ? { container } : {}), reason, message, hint: HINTS[reason] });
  let ready = 0;
  let restarts = 0;
  for (const p of pods) {
    const name = p.metadata.name;
    const isReady = p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
    if (isReady) ready++;
    const statuses = [...(p.status?.initContainerStatuses ?? []), ...(p.status?.containerStatuses ?? [])];
    let explained = false;
    for (const c of statuses) {
      const waiting = c.state?.waiting?.reason;
      if (waiting && WAITING_FAILURES.has(waiting)) {
        add(name, c.name, waiting, c.state?.waiting?.message || `container ${c.name} is waiting: ${waiting}`);
        explained = true;
      }
      if (c.state?.terminated?.reason === 'OOMKilled' || c.lastState?.terminated?.reason === 'OOMKilled') {
        add(name, c.name, 'OOMKilled', `container ${c.name} was OOMKilled`);
        explained = true;
      }
      const count = c.restartCount ?? 0;
      restarts += count;
      const before = baseline[`${name}/${c.name}`];
      if (before !== undefined && count > before) {
        add(
          name,
          c.name,
          'Restarted',
          `container ${c.name} restarted ${count - before} time(s) during the window`,
        );
        explained = true;
      }
    }
    if (!isReady && !explained)
      add(name, undefined, 'NotReady', `pod ${name} is not Ready (phase ${p.status?.phase ?? 'unknown'})`);
  }
  const usage = pods.flatMap((p) =>
    (p.usage ?? []).map((c) => ({ pod: p.metadata.name, container: c.name, ...c.usage })),
  );
  const observations = { pods: pods.length, ready, restarts, findings, ...(usage.length ? { usage } : {}) };
  if (!pods.length) return { ok: false, latency: null, observations, error: 'no pods match the release' };
  return {
    ok: findings.length === 0,
    latency: null,
    observations,
    ...(findings.length
      ? {
          error:
            findings.map((f) => `${f.pod}${f.container ? '/' + f.container : ''}: ${f.reason}`).join(', ') +
            `; ${findings[0].hint}`,
        }
      : {}),
  };
}

/**
 * The basic-level check over a pod lister (the kube engine's list call, injected). The restart
 * baseline is the first observation, so restarts from before the window do not count.
 */
export function podCheck(spec: {
  name: string;
  target: string;
  listPods: (signal?: AbortSignal) => Promise<PodLike[]>;
}): Check {
  let baseline: Record<string, number> | null = null;
  return {
    name: spec.name,
    level: 'basic',
    target: spec.target,
    async run(signal) {
      const pods = await spec.listPods(signal);
      if (baseline === null) baseline = restartCounts(pods);
      // Pods that appear later (replacements) start their own baseline at zero restarts.
      for (const k of Object.keys(restartCounts(pods))) if (!(k in baseline)) baseline[k] = 0;
      return assessPods(pods, baseline);
    },
  };
}
