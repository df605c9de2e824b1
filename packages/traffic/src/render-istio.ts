import { ConfigurationError } from '@upgrade-actions/common';
import { COOKIE_ALWAYS } from './annotations';
import type { Match, TrafficState } from './types';

interface Destination {
  host?: string;
  subset?: string;
  port?: unknown;
}
interface RouteDestination {
  destination?: Destination;
  weight?: number;
  [key: string]: unknown;
}
interface HttpRoute {
  name?: string;
  match?: Record<string, unknown>[];
  route?: RouteDestination[];
  [key: string]: unknown;
}
export interface VirtualServiceSpec {
  hosts?: string[];
  http?: HttpRoute[];
  [key: string]: unknown;
}

/** The route names the router adds for header/cookie matches; restore removes them with the rest. */
export const ISTIO_MATCH_ROUTE_PREFIX = 'upgrade-actions-canary-match';

export interface IstioNames {
  namespace: string;
  service: string;
  canaryService: string;
  /** The `http` route to weight, by name; default: the first whose destinations include the Service. */
  route?: string;
}

/** `web`, `web.shop`, `web.shop.svc`, `web.shop.svc.cluster.local` all name Service web in shop. */
function isServiceHost(host: string | undefined, service: string, namespace: string): boolean {
  if (!host) return false;
  const [name, ns, ...rest] = host.split('.');
  if (name !== service) return false;
  if (ns === undefined) return true;
  return ns === namespace && (rest.length === 0 || rest[0] === 'svc');
}

function canaryHost(stableHost: string, service: string, canaryService: string): string {
  return canaryService + stableHost.slice(service.length);
}

/** The index of the http route to weight, and its destination that is the stable Service. */
export function findIstioRoute(
  spec: VirtualServiceSpec,
  names: IstioNames,
): { index: number; stable: RouteDestination } {
  const http = spec.http ?? [];
  const candidates = names.route
    ? http.map((r, i) => [r, i] as const).filter(([r]) => r.name === names.route)
    : http
        .map((r, i) => [r, i] as const)
        .filter(([r]) =>
          (r.route ?? []).some((d) => isServiceHost(d.destination?.host, names.service, names.namespace)),
        );
  if (candidates.length === 0) {
    throw new ConfigurationError(
      names.route
        ? `virtual-service: no http route named "${names.route}"`
        : `virtual-service: no http route sends to Service ${names.service}; name the route (virtual-service: NAME/ROUTE)`,
    );
  }
  const [route, index] = candidates[0];
  const stables = (route.route ?? []).filter((d) =>
    isServiceHost(d.destination?.host, names.service, names.namespace),
  );
  if (stables.length !== 1 || (route.route ?? []).length !== 1) {
    throw new ConfigurationError(
      `virtual-service: route ${route.name ?? `#${index}`} must send all its traffic to one destination, Service ` +
        `${names.service} (it has ${(route.route ?? []).length}); the router splits it between stable and canary`,
    );
  }
  return { index, stable: stables[0] };
}

function matchConditions(m: Match): Record<string, unknown> {
  if (m.kind === 'header') return { [m.name.toLowerCase()]: { exact: m.value } };
  const name = m.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return { cookie: { regex: `^(.*?;\\s*)?(${name}=${COOKIE_ALWAYS})(;.*)?$` } };
}

/**
 * The VirtualService spec for a traffic state, computed from the spec as it was before the router first
 * changed it: the weighted route splits 100 − weight to the stable destination and weight to the same
 * destination on the canary Service; each match becomes a route placed before it (Istio takes the first
 * route that matches) sending those requests to the canary alone. Weight 0 with no matches is the original.
 */
export function renderVirtualService(
  original: VirtualServiceSpec,
  names: IstioNames,
  state: TrafficState,
): VirtualServiceSpec {
  const { index, stable } = findIstioRoute(original, names);
  if (state.weight === 0 && state.matches.length === 0) return original;
  const weight = Math.round(state.weight);
  const host = stable.destination!.host!;
  const canary: RouteDestination = {
    ...stable,
    destination: { ...stable.destination, host: canaryHost(host, names.service, names.canaryService) },
  };
  delete canary.weight;
  const http = [...(original.http ?? [])];
  const target = http[index];
  const split: HttpRoute = {
    ...target,
    route: [
      { ...stable, weight: 100 - weight },
      { ...canary, weight },
    ],
  };
  const matchRoutes: HttpRoute[] = state.matches.map((m, i) => {
    const extra = matchConditions(m);
    const base = target.match && target.match.length > 0 ? target.match : [{}];
    return {
      ...target,
      name: `${ISTIO_MATCH_ROUTE_PREFIX}-${i}`,
      match: base.map((cond) => ({
        ...cond,
        headers: { ...((cond.headers as Record<string, unknown>) ?? {}), ...extra },
      })),
      route: [canary],
    };
  });
  http.splice(index, 1, ...matchRoutes, split);
  return { ...original, http };
}
