import type { KubeClient, KubeObject } from '@upgrade-actions/kube';

export const ROUTER_TYPES = ['replicas', 'nginx', 'istio', 'gateway-api'] as const;
export type RouterType = (typeof ROUTER_TYPES)[number];

/** Requests that always go to the canary, whatever the weight (Argo Rollouts' header routes). */
export type Match =
  | { kind: 'header'; name: string; value: string }
  /** A cookie named `name` whose value is `always` (ingress-nginx's `canary-by-cookie` convention). */
  | { kind: 'cookie'; name: string };

/** What a router was last told, and reads back from the cluster. */
export interface TrafficState {
  /** Share of the remaining traffic on the canary, 0–100. */
  weight: number;
  matches: Match[];
}

/**
 * One traffic router. Like Argo Rollouts' routers it holds no state between calls: everything it needs
 * (what it was told, the objects as they were before it changed them) lives in annotations on the
 * objects it edits, so any later run — another process, another day — can read, move or restore it.
 */
export interface TrafficRouter {
  readonly type: RouterType;
  /** Checks that the objects the router edits exist and have the shape it needs. Writes nothing. */
  check(): Promise<void>;
  /** Sends `weight`% of the traffic (after matches) to the canary. */
  setWeight(weight: number): Promise<void>;
  /** Requests matching any of these always go to the canary; `[]` removes them. */
  setMatches(matches: Match[]): Promise<void>;
  /** What the cluster says now; weight 0 and no matches when the router never acted. */
  read(): Promise<TrafficState>;
  /** Back to the stable state: the edited objects as they were, objects the router made deleted. */
  restore(): Promise<void>;
}

/** Where the canary runs; the engine creates the canary workload and `<service>-canary`. */
export interface TrafficTarget {
  client: KubeClient;
  namespace: string;
  /** The stable Service (its name, e.g. `web`). */
  service: string;
  /** The Service that selects only the canary's pods: `<service>-canary`. */
  canaryService: string;
  /** The stable and the canary Deployment (the `replicas` router scales them). */
  stableWorkload: string;
  canaryWorkload: string;
  /** Field manager for the router's writes. */
  fieldManager?: string;
}

export interface RouterOptions extends TrafficTarget {
  type: RouterType;
  /** nginx: the stable Ingress. */
  ingress?: string;
  /** istio: the VirtualService, and the name of the route in it to weight (default: the first one sending to the Service). */
  virtualService?: string;
  virtualServiceRoute?: string;
  /** gateway-api: the HTTPRoute. */
  httpRoute?: string;
}

export type { KubeObject };
