import type { Logger } from '@upgrade-actions/common';
import type { Clock } from '../clock';
import { R } from '../resources';
import { Scenario, type PodBehaviour, type PodLogSink } from '../scenario';
import type { Store } from '../store';
import type { KObject, StoreEvent } from '../types';
import { Context } from './context';
import { DAEMONSET, syncDaemonSet } from './daemonset';
import { DEPLOYMENT, deploymentOfReplicaSet, syncDeployment } from './deployment';
import { ENDPOINTS, servicesSelecting, syncEndpoints } from './endpoints';
import { JOB, syncJob } from './job';
import { Kubelet, KUBELET } from './kubelet';
import { controllerRef, key, matchesSelector, timestamp, type LabelSelector } from './objects';
import { OwnerIndex } from './owner-index';
import { WorkQueue } from './queue';
import { REPLICASET, replicaSetOfPod, syncReplicaSet } from './replicaset';
import { simulatedNode } from '../bootstrap';
import { STATEFULSET, syncStatefulSet } from './statefulset';

export interface ControllerOptions {
  /** How pods behave, by image; a `Scenario` to share and change at runtime, or its initial table. */
  scenario?: Scenario | Record<string, PodBehaviour>;
  /** Where containers write log lines (the API server's `log` subresource reads them). */
  podLogs?: PodLogSink;
  logger?: Logger;
  /** Nodes to register when the store has none. Default: one node, `kube-sim-control-plane`. */
  nodes?: string[];
  /** Record core/v1 Events (ScalingReplicaSet, SuccessfulCreate, …). Default true. */
  events?: boolean;
}

export interface Controllers {
  readonly scenario: Scenario;
  /** Runs all queued work now, synchronously, until nothing is left (deterministic tests). */
  flush(): void;
  /** Resolves once queued work has drained (with a real or scaled clock). */
  settle(): Promise<void>;
  /** The real HTTP URL serving a pod, when its image's scenario names a `backend`. */
  backendFor(namespace: string, pod: string): string | undefined;
  stop(): void;
}

/** Which controller cares about each kind, and which owner keys a change wakes up. */
function route(ctx: Context, e: StoreEvent): void {
  const o = e.object;
  const k = key(o);
  const owner = controllerRef(o);
  const ownerKey = owner ? `${o.metadata.namespace ?? ''}/${owner.name}` : undefined;
  switch (`${e.resource.group}/${e.resource.resource}`) {
    case '/pods': {
      ctx.enqueue(KUBELET, k);
      for (const svc of servicesSelecting(ctx, o, e.old)) ctx.enqueue(ENDPOINTS, svc);
      const rs = replicaSetOfPod(o);
      if (rs) {
        ctx.enqueue(REPLICASET, rs);
        if (e.type === 'DELETED') {
          // Recreate waits for old pods to be gone: tell the Deployment.
          const rsObj = ctx.store.get(R.replicasets, o.metadata.namespace, owner!.name);
          const d = rsObj && deploymentOfReplicaSet(rsObj);
          if (d) ctx.enqueue(DEPLOYMENT, d);
        }
      } else if (owner?.kind === 'StatefulSet') ctx.enqueue(STATEFULSET, ownerKey!);
      else if (owner?.kind === 'DaemonSet') ctx.enqueue(DAEMONSET, ownerKey!);
      else if (owner?.kind === 'Job') ctx.enqueue(JOB, ownerKey!);
      else if (!owner && e.type !== 'DELETED') wakeSelecting(ctx, o);
      break;
    }
    case 'apps/replicasets': {
      ctx.enqueue(REPLICASET, k);
      const d = deploymentOfReplicaSet(o);
      if (d) ctx.enqueue(DEPLOYMENT, d);
      else if (!owner && e.type !== 'DELETED') wakeSelecting(ctx, o);
      break;
    }
    case '/services':
      ctx.enqueue(ENDPOINTS, k);
      break;
    case 'apps/deployments':
      ctx.enqueue(DEPLOYMENT, k);
      break;
    case 'apps/statefulsets':
      ctx.enqueue(STATEFULSET, k);
      break;
    case 'apps/daemonsets':
      ctx.enqueue(DAEMONSET, k);
      break;
    case 'batch/jobs':
      ctx.enqueue(JOB, k);
      break;
    case 'apps/controllerrevisions':
      if (owner?.kind === 'StatefulSet') ctx.enqueue(STATEFULSET, ownerKey!);
      if (owner?.kind === 'DaemonSet') ctx.enqueue(DAEMONSET, ownerKey!);
      break;
    case '/nodes':
      for (const ds of ctx.store.list(R.daemonsets)) ctx.enqueue(DAEMONSET, key(ds));
      // Unscheduled pods may fit now; pods on the node follow its readiness.
      for (const p of ctx.store.list(R.pods, {
        filter: (p) => {
          const n = (p.spec as { nodeName?: string } | undefined)?.nodeName;
          return !n || n === o.metadata.name;
        },
      })) {
        ctx.enqueue(KUBELET, key(p));
      }
      break;
  }
}

/** An orphan appeared: the controllers whose selector matches it may adopt it. */
function wakeSelecting(ctx: Context, o: KObject): void {
  const owners: Array<[typeof R.deployments, string]> =
    o.kind === 'Pod'
      ? [
          [R.replicasets, REPLICASET],
          [R.statefulsets, STATEFULSET],
          [R.daemonsets, DAEMONSET],
          [R.jobs, JOB],
        ]
      : [[R.deployments, DEPLOYMENT]];
  for (const [res, controller] of owners) {
    for (const c of ctx.store.list(res, { namespace: o.metadata.namespace })) {
      const sel = (c.spec as { selector?: LabelSelector } | undefined)?.selector;
      if (matchesSelector(sel, o.metadata.labels)) ctx.enqueue(controller, key(c));
    }
  }
}

/**
 * Starts the simulator's controllers over `store`: Deployment, ReplicaSet, StatefulSet, DaemonSet,
 * Job, Endpoints/EndpointSlices, and a scheduler+kubelet that plays pods as the scenario says (the garbage
 * collector runs beside the API server, `../gc.ts`, so it also works with the bare API). Event
 * driven (store listener + clock timers), coalesced per object; existing objects are synced at start.
 */
export function startControllers(store: Store, clock: Clock, options: ControllerOptions = {}): Controllers {
  const scenario =
    options.scenario instanceof Scenario ? options.scenario : new Scenario(options.scenario ?? {});

  const handlers: Record<string, (k: string) => void> = {};
  const queue = new WorkQueue(handlers, (controller, k, err) =>
    (options.logger?.warning ?? ((m: string) => process.stderr.write(m + '\n')))(
      `kube-sim ${controller} ${k}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`,
    ),
  );
  const index = new OwnerIndex(store);
  const ctx = new Context(store, clock, queue, index, options.logger, options.events ?? true);
  const kubelet = new Kubelet(ctx, { scenario, podLogs: options.podLogs });
  // Order matters within a pass: owners' pods are created/deleted before the Deployment looks again.
  handlers[REPLICASET] = (k) => syncReplicaSet(ctx, k);
  handlers[DEPLOYMENT] = (k) => syncDeployment(ctx, k);
  handlers[STATEFULSET] = (k) => syncStatefulSet(ctx, k);
  handlers[DAEMONSET] = (k) => syncDaemonSet(ctx, k);
  handlers[JOB] = (k) => syncJob(ctx, k);
  handlers[KUBELET] = (k) => kubelet.sync(k);
  handlers[ENDPOINTS] = (k) => syncEndpoints(ctx, k);
  queue.prime(Object.keys(handlers));

  const unsubscribe = store.subscribe((e) => {
    index.apply(e);
    route(ctx, e);
  });

  if (store.list(R.nodes).length === 0) {
    const now = timestamp(clock.now());
    (options.nodes ?? ['kube-sim-control-plane']).forEach((n, i) =>
      store.create(R.nodes, simulatedNode(n, now, i)),
    );
  }
  // Whatever is already stored gets a first sync.
  const initial: Array<[typeof R.pods, string]> = [
    [R.replicasets, REPLICASET],
    [R.deployments, DEPLOYMENT],
    [R.statefulsets, STATEFULSET],
    [R.daemonsets, DAEMONSET],
    [R.jobs, JOB],
    [R.pods, KUBELET],
    [R.services, ENDPOINTS],
  ];
  for (const [res, controller] of initial) for (const o of store.list(res)) ctx.enqueue(controller, key(o));

  let stopped = false;
  return {
    scenario,
    flush: () => queue.flush(),
    settle: async () => {
      while (!stopped && !queue.idle) await new Promise((r) => setImmediate(r));
    },
    backendFor: (ns, pod) => kubelet.backendFor(ns, pod),
    stop() {
      if (stopped) return;
      stopped = true;
      unsubscribe();
      queue.stop();
      kubelet.stop();
      ctx.stop();
    },
  };
}

export { Scenario, type PodBehaviour, type PodLogSink } from '../scenario';
