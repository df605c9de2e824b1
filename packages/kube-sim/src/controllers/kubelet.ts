import { randomBytes } from 'node:crypto';
import type { TimerHandle } from '../clock';
import { R } from '../resources';
import { DEFAULT_COMPLETE_AFTER_MS, type PodBehaviour, type PodLogSink, type Scenario } from '../scenario';
import type { KObject } from '../types';
import type { Context } from './context';
import { isPodActive, splitKey, timestamp, type Condition } from './objects';
import { nodeReady, pickNode } from './scheduler';

export const KUBELET = 'kubelet';

/** First restart is immediate, then 10 s doubling up to 5 min, as the kubelet backs off. */
export function restartBackoffMs(restartsSoFar: number): number {
  return restartsSoFar === 0 ? 0 : Math.min(10_000 * 2 ** (restartsSoFar - 1), 300_000);
}

interface Terminated {
  exitCode: number;
  reason: string;
  startedAt?: string;
  finishedAt: string;
  containerID?: string;
}

interface ContainerRuntime {
  name: string;
  image: string;
  state: {
    waiting?: { reason: string; message?: string };
    running?: { startedAt: string };
    terminated?: Terminated;
  };
  lastState?: { terminated: Terminated };
  restartCount: number;
  ready: boolean;
  started: boolean;
  containerID?: string;
  pullAttempts: number;
  timer?: TimerHandle;
}

interface PodRuntime {
  uid: string;
  key: string;
  namespace: string;
  name: string;
  restartPolicy: 'Always' | 'OnFailure' | 'Never';
  containers: ContainerRuntime[];
  podIP: string;
  hostIP: string;
  startTime: string;
  stopping?: TimerHandle;
}

export interface KubeletOptions {
  scenario: Scenario;
  podLogs?: PodLogSink;
}

/**
 * Scheduler and kubelet in one: binds pending pods to nodes, then plays each container as the
 * scenario says for its image (start delay, readiness, crashes with back-off, OOM kills, image pull
 * errors, completion) and writes the pod status a real kubelet would.
 */
export class Kubelet {
  private readonly pods = new Map<string, PodRuntime>();
  private ipCounter = 2;
  private readonly unsubscribe: () => void;

  constructor(
    private readonly ctx: Context,
    private readonly opts: KubeletOptions,
  ) {
    // A scenario change flips readiness of running containers at once (fault injection).
    this.unsubscribe = opts.scenario.onChange(() => {
      for (const rt of this.pods.values()) {
        for (const c of rt.containers) if (c.state.running) c.ready = this.behaviour(c).ready !== false;
        this.ctx.enqueue(KUBELET, rt.key);
      }
    });
  }

  stop(): void {
    this.unsubscribe();
    for (const rt of this.pods.values()) this.forget(rt);
  }

  /** The real HTTP server behind a pod, when its scenario names one. */
  backendFor(namespace: string, name: string): string | undefined {
    const pod = this.ctx.store.get(R.pods, namespace, name);
    const containers =
      (pod?.spec as { containers?: Array<{ image?: string }> } | undefined)?.containers ?? [];
    for (const c of containers) {
      const b = this.opts.scenario.lookup(c.image ?? '').backend;
      if (b) return b;
    }
    return undefined;
  }

  sync(k: string): void {
    const [ns, name] = splitKey(k);
    const pod = this.ctx.store.get(R.pods, ns, name);
    let rt = this.pods.get(k);
    if (rt && (!pod || pod.metadata.uid !== rt.uid)) {
      this.forget(rt);
      rt = undefined;
    }
    if (!pod) return;
    if (pod.metadata.deletionTimestamp) return this.terminatePod(pod, rt);
    const spec = (pod.spec ?? {}) as {
      nodeName?: string;
      restartPolicy?: PodRuntime['restartPolicy'];
      containers?: Array<{ name: string; image?: string }>;
    };
    if (!spec.nodeName) return this.schedule(pod);
    if (!rt) {
      const phase = (pod.status as { phase?: string } | undefined)?.phase;
      if (phase === 'Succeeded' || phase === 'Failed') return; // finished before we knew it (e.g. restored state)
      rt = this.admit(pod, spec.nodeName, spec.restartPolicy ?? 'Always', spec.containers ?? []);
    }
    const node = this.ctx.store.get(R.nodes, undefined, spec.nodeName);
    if (!node) {
      // The pod garbage collector removes pods bound to nodes that no longer exist.
      this.forget(rt);
      this.ctx.store.delete(R.pods, ns, name);
      return;
    }
    const nodeDown = !nodeReady(node);
    if (nodeDown && this.evictIfDue(pod, node)) return;
    this.writeStatus(pod, rt, nodeDown);
  }

  /**
   * A pod on a NotReady node is evicted once its toleration for `node.kubernetes.io/not-ready`
   * runs out: `tolerationSeconds` of a NoExecute toleration, 300 s when it has none (what the
   * DefaultTolerationSeconds admission plugin adds), never when it tolerates without a limit.
   */
  private evictIfDue(pod: KObject, node: KObject): boolean {
    const tolerations =
      (
        pod.spec as {
          tolerations?: Array<{
            key?: string;
            operator?: string;
            effect?: string;
            tolerationSeconds?: number;
          }>;
        }
      ).tolerations ?? [];
    const t = tolerations.find(
      (x) =>
        (x.key === 'node.kubernetes.io/not-ready' || (!x.key && x.operator === 'Exists')) &&
        (!x.effect || x.effect === 'NoExecute'),
    );
    if (t && t.tolerationSeconds === undefined) return false;
    const seconds = t?.tolerationSeconds ?? 300;
    const since = Date.parse(
      ((node.status as { conditions?: Condition[] } | undefined)?.conditions ?? []).find(
        (c) => c.type === 'Ready',
      )?.lastTransitionTime ?? '',
    );
    const due = (Number.isNaN(since) ? this.ctx.nowMs() : since) + seconds * 1000;
    if (this.ctx.nowMs() < due) {
      this.ctx.enqueueAt(KUBELET, `${pod.metadata.namespace ?? ''}/${pod.metadata.name}`, due);
      return false;
    }
    return this.ctx.deletePod(pod);
  }

  /**
   * Graceful deletion: the pod shows as Terminating (unready) while its containers take the scenario's
   * `stopDelayMs` to stop, then it is removed. A pod that never ran goes at once.
   */
  private terminatePod(pod: KObject, rt: PodRuntime | undefined): void {
    if (!rt) {
      this.ctx.store.delete(R.pods, pod.metadata.namespace, pod.metadata.name);
      return;
    }
    if (!rt.stopping) {
      const delay = Math.max(0, ...rt.containers.map((c) => this.behaviour(c).stopDelayMs ?? 0));
      for (const c of rt.containers) {
        this.ctx.clock.clearTimeout(c.timer);
        c.ready = false;
      }
      rt.stopping = this.ctx.clock.setTimeout(() => {
        if (this.pods.get(rt.key) !== rt) return;
        this.forget(rt);
        const current = this.ctx.store.get(R.pods, rt.namespace, rt.name);
        if (current?.metadata.uid === rt.uid) this.ctx.store.delete(R.pods, rt.namespace, rt.name);
      }, delay);
    }
    this.writeStatus(pod, rt);
  }

  private schedule(pod: KObject): void {
    const nodes = this.ctx.store.list(R.nodes);
    const node = pickNode(nodes, this.nodeLoad(), (pod.spec ?? {}) as Record<string, unknown>);
    const status = { ...((pod.status ?? {}) as Record<string, unknown>) };
    if (!node) {
      status.phase = 'Pending';
      status.conditions = [
        {
          type: 'PodScheduled',
          status: 'False',
          lastProbeTime: null,
          lastTransitionTime: timestamp(this.ctx.now()),
          reason: 'Unschedulable',
          message: `0/${nodes.length} nodes are available: ${nodes.length ? `${nodes.length} node(s) didn't match Pod's node affinity/selector or are not ready.` : 'no nodes registered.'}`,
        },
      ];
      if (JSON.stringify(status) !== JSON.stringify(pod.status ?? {})) {
        const prev = ((pod.status as { conditions?: Condition[] } | undefined)?.conditions ?? []).find(
          (c) => c.type === 'PodScheduled',
        );
        if (prev?.status === 'False')
          (status.conditions as Condition[])[0].lastTransitionTime = prev.lastTransitionTime;
        this.ctx.store.update(R.pods, { ...pod, status });
      }
      return; // node events re-queue unscheduled pods
    }
    pod.spec = { ...(pod.spec ?? {}), nodeName: node.metadata.name };
    status.conditions = [
      {
        type: 'PodScheduled',
        status: 'True',
        lastProbeTime: null,
        lastTransitionTime: timestamp(this.ctx.now()),
      },
    ];
    this.ctx.store.update(R.pods, { ...pod, status });
  }

  /** Active pods per node. Counted inside the list filter, so no pod is copied (this runs per scheduling). */
  private nodeLoad(): Map<string, number> {
    const load = new Map<string, number>();
    this.ctx.store.list(R.pods, {
      filter: (p) => {
        const n = (p.spec as { nodeName?: string } | undefined)?.nodeName;
        if (n && isPodActive(p)) load.set(n, (load.get(n) ?? 0) + 1);
        return false;
      },
    });
    return load;
  }

  private admit(
    pod: KObject,
    nodeName: string,
    restartPolicy: PodRuntime['restartPolicy'],
    containers: Array<{ name: string; image?: string }>,
  ): PodRuntime {
    const node = this.ctx.store.get(R.nodes, undefined, nodeName);
    const addresses =
      (node?.status as { addresses?: Array<{ type: string; address: string }> } | undefined)?.addresses ?? [];
    const n = this.ipCounter++;
    const rt: PodRuntime = {
      uid: pod.metadata.uid!,
      key: `${pod.metadata.namespace ?? ''}/${pod.metadata.name}`,
      namespace: pod.metadata.namespace ?? 'default',
      name: pod.metadata.name,
      restartPolicy,
      podIP: `10.244.${(n >> 8) & 255}.${n & 255}`,
      hostIP: addresses.find((a) => a.type === 'InternalIP')?.address ?? '172.18.0.2',
      startTime: timestamp(this.ctx.now()),
      containers: containers.map((c) => ({
        name: c.name,
        image: c.image ?? '',
        state: { waiting: { reason: 'ContainerCreating' } },
        restartCount: 0,
        ready: false,
        started: false,
        pullAttempts: 0,
      })),
    };
    this.pods.set(rt.key, rt);
    for (const c of rt.containers)
      this.after(rt, c, this.behaviour(c).startDelayMs ?? 0, () => this.pullAndStart(rt, c));
    return rt;
  }

  private behaviour(c: ContainerRuntime): PodBehaviour {
    return this.opts.scenario.lookup(c.image);
  }

  private after(rt: PodRuntime, c: ContainerRuntime, ms: number, fn: () => void): void {
    this.ctx.clock.clearTimeout(c.timer);
    c.timer = this.ctx.clock.setTimeout(() => {
      c.timer = undefined;
      if (this.pods.get(rt.key) !== rt) return;
      fn();
      this.ctx.enqueue(KUBELET, rt.key);
    }, ms);
  }

  private pullAndStart(rt: PodRuntime, c: ContainerRuntime): void {
    const b = this.behaviour(c);
    if (b.pullError) {
      const message =
        typeof b.pullError === 'string'
          ? b.pullError
          : `failed to pull and unpack image "${c.image}": failed to resolve reference "${c.image}": not found`;
      c.state = { waiting: { reason: 'ErrImagePull', message } };
      this.warn(rt, 'Failed', `Failed to pull image "${c.image}": ${message}`);
      const backoff = restartBackoffMs(++c.pullAttempts) || 10_000;
      // ErrImagePull turns into ImagePullBackOff; the pull is retried after the back-off.
      this.after(rt, c, 1000, () => {
        c.state = { waiting: { reason: 'ImagePullBackOff', message: `Back-off pulling image "${c.image}"` } };
        this.warn(rt, 'BackOff', `Back-off pulling image "${c.image}"`);
        this.after(rt, c, backoff, () => this.pullAndStart(rt, c));
      });
      return;
    }
    this.start(rt, c);
  }

  /** The Warning events a real kubelet records about a pod (what `kubectl describe pod` shows under Events). */
  private warn(rt: PodRuntime, reason: string, message: string): void {
    const pod = this.ctx.store.get(R.pods, rt.namespace, rt.name);
    if (pod) this.ctx.event(pod, 'Warning', reason, message, 'kubelet');
  }

  private start(rt: PodRuntime, c: ContainerRuntime): void {
    const b = this.behaviour(c);
    const startedAt = timestamp(this.ctx.now());
    c.containerID = `containerd://${randomBytes(32).toString('hex')}`;
    c.state = { running: { startedAt } };
    c.started = true;
    c.ready = b.ready !== false;
    for (const line of b.logs ?? []) this.opts.podLogs?.append(rt.namespace, rt.name, c.name, line);
    const ends: Array<{ at: number; exitCode: number; reason: string }> = [];
    if (b.crashAfterMs !== undefined) ends.push({ at: b.crashAfterMs, exitCode: 1, reason: 'Error' });
    if (b.oomAfterMs !== undefined) ends.push({ at: b.oomAfterMs, exitCode: 137, reason: 'OOMKilled' });
    const complete =
      b.completeAfterMs ?? (rt.restartPolicy === 'Always' ? undefined : DEFAULT_COMPLETE_AFTER_MS);
    if (complete !== undefined) {
      const code = b.exitCode ?? 0;
      ends.push({ at: complete, exitCode: code, reason: code === 0 ? 'Completed' : 'Error' });
    }
    const end = ends.sort((x, y) => x.at - y.at)[0];
    if (end) this.after(rt, c, end.at, () => this.terminate(rt, c, end.exitCode, end.reason, startedAt));
  }

  private terminate(
    rt: PodRuntime,
    c: ContainerRuntime,
    exitCode: number,
    reason: string,
    startedAt: string,
  ): void {
    const terminated: Terminated = {
      exitCode,
      reason,
      startedAt,
      finishedAt: timestamp(this.ctx.now()),
      containerID: c.containerID,
    };
    c.ready = false;
    const restart = rt.restartPolicy === 'Always' || (rt.restartPolicy === 'OnFailure' && exitCode !== 0);
    if (!restart) {
      c.state = { terminated };
      return;
    }
    c.lastState = { terminated };
    const delay = restartBackoffMs(c.restartCount);
    const restartNow = () => {
      c.restartCount++;
      this.start(rt, c);
    };
    if (delay === 0) return restartNow();
    this.warn(
      rt,
      'BackOff',
      `Back-off restarting failed container ${c.name} in pod ${rt.name}_${rt.namespace}(${rt.uid})`,
    );
    c.state = {
      waiting: {
        reason: 'CrashLoopBackOff',
        message: `back-off ${delay / 1000}s restarting failed container=${c.name} pod=${rt.name}_${rt.namespace}(${rt.uid})`,
      },
    };
    this.after(rt, c, delay, restartNow);
  }

  /** `getPhase`, simplified: waiting-to-start → Pending, restarting → Running, all exited → Succeeded/Failed. */
  private phase(rt: PodRuntime): string {
    let pending = 0;
    let running = 0;
    let stopped = 0;
    let succeeded = 0;
    for (const c of rt.containers) {
      if (c.state.running) running++;
      else if (c.state.terminated) {
        stopped++;
        if (c.state.terminated.exitCode === 0) succeeded++;
      } else if (c.lastState)
        running++; // waiting to restart
      else pending++;
    }
    if (pending > 0) return 'Pending';
    if (running > 0) return 'Running';
    if (rt.restartPolicy === 'Always') return 'Running';
    return succeeded === stopped ? 'Succeeded' : 'Failed';
  }

  private writeStatus(pod: KObject, rt: PodRuntime, nodeDown = false): void {
    const old = (pod.status ?? {}) as { conditions?: Condition[] };
    const now = timestamp(this.ctx.now());
    const phase = this.phase(rt);
    const unready = rt.containers.filter((c) => !c.ready).map((c) => c.name);
    const done = phase === 'Succeeded' || phase === 'Failed';
    const cond = (type: string, ok: boolean, reason?: string, message?: string): Condition => {
      const prev = old.conditions?.find((c) => c.type === type);
      const status = ok ? 'True' : 'False';
      const c: Condition = {
        type,
        status,
        lastProbeTime: null,
        lastTransitionTime: prev?.status === status ? prev.lastTransitionTime : now,
      };
      if (reason) c.reason = reason;
      if (message) c.message = message;
      return c;
    };
    const readyReason = done ? 'PodCompleted' : unready.length ? 'ContainersNotReady' : undefined;
    const readyMessage =
      !done && unready.length ? `containers with unready status: [${unready.join(' ')}]` : undefined;
    const status = {
      phase,
      conditions: [
        cond('PodReadyToStartContainers', !done),
        cond('Initialized', true),
        // A NotReady node's pods are marked unready by the node lifecycle controller; containers keep their state.
        nodeDown && !done
          ? cond('Ready', false)
          : cond('Ready', !unready.length && !done, readyReason, readyMessage),
        cond('ContainersReady', !unready.length && !done, readyReason, readyMessage),
        cond('PodScheduled', true),
      ],
      hostIP: rt.hostIP,
      hostIPs: [{ ip: rt.hostIP }],
      podIP: rt.podIP,
      podIPs: [{ ip: rt.podIP }],
      startTime: rt.startTime,
      containerStatuses: rt.containers.map((c) => {
        const s: Record<string, unknown> = {
          name: c.name,
          image: c.image,
          imageID: c.started
            ? `${c.image.includes('/') ? '' : 'docker.io/library/'}${c.image.split(/[:@]/)[0]}@sha256:${'0'.repeat(64)}`
            : '',
          ready: c.ready,
          restartCount: c.restartCount,
          started: !!c.state.running,
          state: c.state,
          lastState: c.lastState ?? {},
        };
        if (c.containerID) s.containerID = c.containerID;
        return s;
      }),
      qosClass: (pod.status as { qosClass?: string } | undefined)?.qosClass ?? 'BestEffort',
    } as Record<string, unknown>;
    // Init containers are not simulated: they completed at once.
    const inits = (pod.spec as { initContainers?: Array<{ name: string; image?: string }> } | undefined)
      ?.initContainers;
    if (inits?.length) {
      status.initContainerStatuses = inits.map((c) => ({
        name: c.name,
        image: c.image ?? '',
        imageID: '',
        ready: true,
        restartCount: 0,
        started: false,
        state: {
          terminated: { exitCode: 0, reason: 'Completed', startedAt: rt.startTime, finishedAt: rt.startTime },
        },
        lastState: {},
      }));
    }
    if (JSON.stringify(status) === JSON.stringify(pod.status ?? {})) return;
    this.ctx.store.update(R.pods, { ...pod, status });
  }

  private forget(rt: PodRuntime): void {
    for (const c of rt.containers) this.ctx.clock.clearTimeout(c.timer);
    this.ctx.clock.clearTimeout(rt.stopping);
    if (this.pods.get(rt.key) === rt) this.pods.delete(rt.key);
  }
}
