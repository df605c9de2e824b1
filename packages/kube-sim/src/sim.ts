import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiServer, type RequestRecord } from './api-server';
import { Backends } from './backends';
import { bootstrap } from './bootstrap';
import { ScaledClock, type Clock } from './clock';
import { startControllers, type ControllerOptions, type Controllers } from './controllers';
import { Faults } from './faults';
import { startGarbageCollector } from './gc';
import { kubeconfigYaml } from './kubeconfig';
import { PodLogs } from './pod-logs';
import { ResourceRegistry } from './registry';
import { Store } from './store';

export interface KubeSimOptions {
  /** Simulated time; default a `ScaledClock` running `speed` times real time. */
  clock?: Clock;
  /** Speed of the default clock (ignored when `clock` is given). Default 1. */
  speed?: number;
  /** Simulated nodes, all Ready. Default 3 (one control plane, two workers); 0 starts none. */
  nodes?: number;
  /** Where the kubeconfig goes; default a new temp directory removed by `stop()`. */
  kubeconfigPath?: string;
  /** Namespace of the kubeconfig's context. Default `default`. */
  namespace?: string;
  /** How far back (in events) watches can resume before 410 Gone. Default 10 000. */
  historyLimit?: number;
  /** Interval of watch bookmarks when clients allow them (real ms). Default 60 000. */
  bookmarkIntervalMs?: number;
  /** Random source for fault rates (inject for deterministic tests). */
  random?: () => number;
  /**
   * The controllers (Deployment, ReplicaSet, StatefulSet, DaemonSet, Job, scheduler and kubelet) and their
   * options, e.g. `{ scenario: { 'web:v2': { ready: false } } }`; `false` serves the bare API (objects
   * only change when a client changes them). Default: started with default options.
   */
  controllers?: false | ControllerOptions;
}

export interface KubeSim {
  /** `http://127.0.0.1:<port>` */
  url: string;
  kubeconfigPath: string;
  store: Store;
  registry: ResourceRegistry;
  clock: Clock;
  faults: Faults;
  backends: Backends;
  logs: PodLogs;
  /** The running controllers (`flush`, `settle`, `scenario`), undefined with `controllers: false`. */
  controllers?: Controllers;
  /** Requests served so far (method, path, verb, status code), newest last. */
  requests: RequestRecord[];
  /** Open watch streams right now. */
  readonly watchCount: number;
  /** Adds a line to a pod container's log (what `kubectl logs` then prints). */
  appendPodLog(namespace: string, pod: string, line: string, container?: string): void;
  /**
   * The API server restarting in front of the same etcd: every connection and watch is cut, new connections
   * are refused for `downMs` real milliseconds, then the same port serves the same store again. The
   * controllers keep running (they are the controller manager, not the API server). Resolves once serving.
   */
  restart(downMs?: number): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Starts the simulated API server on 127.0.0.1 (random port) and writes a kubeconfig pointing at it.
 * Each simulator is independent (own store, port and temp dir), so a test file can run several at once.
 */
export async function startKubeSim(opts: KubeSimOptions = {}): Promise<KubeSim> {
  const clock = opts.clock ?? new ScaledClock(opts.speed ?? 1);
  const now = () => clock.now();
  const store = new Store(now, opts.historyLimit);
  const registry = new ResourceRegistry(store);
  const faults = new Faults(opts.random);
  const backends = new Backends();
  const logs = new PodLogs(now);
  bootstrap(store, opts.nodes ?? 3, now());
  const gc = startGarbageCollector(store, registry);
  // A pod that is gone (however it went: API, kubelet, garbage collector) takes its logs and backend along.
  const stopForgetting = store.subscribe((e) => {
    if (e.type !== 'DELETED' || e.resource.group !== '' || e.resource.resource !== 'pods') return;
    logs.forget(e.object.metadata.namespace ?? '', e.object.metadata.name);
    backends.deletePod(e.object.metadata.namespace ?? '', e.object.metadata.name);
  });
  const controllers =
    opts.controllers === false
      ? undefined
      : startControllers(store, clock, {
          podLogs: logs,
          ...opts.controllers,
          // The nodes are bootstrapped above; `nodes: 0` must leave the cluster without any.
          nodes: opts.controllers?.nodes ?? [],
        });
  if (controllers) backends.addResolver((ns, pod) => controllers.backendFor(ns, pod));
  const api = new ApiServer({
    store,
    registry,
    faults,
    backends,
    logs,
    now,
    bookmarkIntervalMs: opts.bookmarkIntervalMs,
    // With a kubelet running, pods terminate gracefully as in a cluster; without one they go at once.
    gracefulPodDeletion: controllers !== undefined,
  });

  const sockets = new Set<Socket>();
  const server: Server = createServer((req, res) => {
    api.handle(req, res).catch(() => res.destroy());
  });
  server.keepAliveTimeout = 5000;
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  const listen = (port: number) =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.removeListener('error', reject);
        resolve();
      });
    });
  // Keep-alive sockets, watch streams and requests proxied to backends end now, not at their timeouts.
  const closeServer = () => {
    api.close();
    return new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
      for (const s of sockets) s.destroy();
    });
  };
  await listen(0);
  const port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;

  let tempDir: string | undefined;
  let kubeconfigPath = opts.kubeconfigPath;
  if (!kubeconfigPath) {
    tempDir = await mkdtemp(join(tmpdir(), 'kube-sim-'));
    kubeconfigPath = join(tempDir, 'kubeconfig');
  }
  await writeFile(kubeconfigPath, kubeconfigYaml(url, { namespace: opts.namespace }), { mode: 0o600 });

  let stopped = false;

  return {
    url,
    kubeconfigPath,
    store,
    registry,
    clock,
    faults,
    backends,
    logs,
    controllers,
    requests: api.requests,
    get watchCount() {
      return api.watchCount;
    },
    appendPodLog(namespace, pod, line, container) {
      const p = store.get(registry.find('', 'v1', 'pods')!, namespace, pod);
      const name =
        container ??
        (p?.spec as { containers?: Array<{ name: string }> } | undefined)?.containers?.[0]?.name ??
        pod;
      logs.append(namespace, pod, name, line);
    },
    async restart(downMs = 0) {
      if (stopped) throw new Error('kube-sim: restart after stop');
      await closeServer();
      await new Promise((r) => setTimeout(r, downMs));
      if (!stopped) await listen(port);
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      controllers?.stop();
      gc.stop();
      stopForgetting();
      // A clock the simulator made is the simulator's: nothing may fire after it stopped.
      if (clock instanceof ScaledClock && !opts.clock) clock.clearAll();
      await closeServer();
      if (tempDir) await rm(tempDir, { recursive: true, force: true });
    },
  };
}
