/* eslint-disable @typescript-eslint/no-explicit-any -- tests read loosely typed Kubernetes objects */
import { ManualClock } from '../clock';
import { startControllers, type ControllerOptions, type Controllers } from '../controllers';
import { startGarbageCollector } from '../gc';
import { ResourceRegistry } from '../registry';
import { R } from '../resources';
import { Store } from '../store';
import type { KObject, ResourceType } from '../types';

/** A store, a manual clock and running controllers, for deterministic controller tests. */
export interface Harness {
  clock: ManualClock;
  store: Store;
  ctl: Controllers;
  /** Runs the controllers' and the garbage collector's pending work until neither has any left. */
  flush(): void;
  /** Moves simulated time forward, letting the controllers react after every timer. */
  advance(ms: number): void;
  get(res: ResourceType, name: string, namespace?: string): KObject;
  pods(filter?: (p: KObject) => boolean): KObject[];
  /** Applies `mutate` to the stored object; bumps generation like the API server on a spec change. */
  edit(res: ResourceType, name: string, mutate: (o: KObject) => void): KObject;
  stop(): void;
}

export function harness(options: ControllerOptions = {}): Harness {
  const clock = new ManualClock('2026-03-01T10:00:00Z');
  const store = new Store(() => clock.now());
  const ctl = startControllers(store, clock, { events: false, ...options });
  // The collector the simulator runs beside its API server, swept synchronously here.
  const gc = startGarbageCollector(store, new ResourceRegistry(store));
  const flush = () => {
    do ctl.flush();
    while (gc.flush());
  };
  flush();
  return {
    clock,
    store,
    ctl,
    flush,
    advance: (ms) => clock.advance(ms, flush),
    get: (res, name, namespace = 'default') => store.mustGet(res, namespace, name),
    pods: (filter) => store.list(R.pods, { namespace: 'default', filter }),
    edit(res, name, mutate) {
      const o = store.mustGet(res, res.namespaced ? 'default' : undefined, name);
      const before = JSON.stringify(o.spec);
      mutate(o);
      const out = store.update(res, o, { bumpGeneration: JSON.stringify(o.spec) !== before });
      flush();
      return out;
    },
    stop: () => {
      ctl.stop();
      gc.stop();
    },
  };
}

export function podTemplate(app: string, image: string): Record<string, unknown> {
  return {
    metadata: { labels: { app } },
    spec: { containers: [{ name: app, image }] },
  };
}

export function deploymentObject(
  name: string,
  spec: Record<string, unknown> & { image?: string },
  annotations?: Record<string, string>,
): KObject {
  const { image = 'nginx:1.25', ...rest } = spec;
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'default', ...(annotations ? { annotations } : {}) },
    spec: {
      replicas: 3,
      selector: { matchLabels: { app: name } },
      template: podTemplate(name, image),
      ...rest,
    },
  };
}

export function setImage(o: KObject, image: string): void {
  (
    o.spec as { template: { spec: { containers: Array<{ image: string }> } } }
  ).template.spec.containers[0].image = image;
}

export const status = (o: KObject): Record<string, any> => (o.status ?? {}) as Record<string, any>;
export const condition = (o: KObject, type: string): Record<string, string> | undefined =>
  (status(o).conditions ?? []).find((c: { type: string }) => c.type === type);
