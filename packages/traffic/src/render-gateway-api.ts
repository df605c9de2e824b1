import { ConfigurationError } from '@upgrade-actions/common';
import { COOKIE_ALWAYS } from './annotations';
import type { Match, TrafficState } from './types';

interface BackendRef {
  group?: string;
  kind?: string;
  name?: string;
  namespace?: string;
  port?: number;
  weight?: number;
  [key: string]: unknown;
}
interface HeaderMatch {
  type?: string;
  name: string;
  value: string;
}
interface RouteMatch {
  path?: unknown;
  headers?: HeaderMatch[];
  [key: string]: unknown;
}
interface RouteRule {
  matches?: RouteMatch[];
  backendRefs?: BackendRef[];
  [key: string]: unknown;
}
export interface HTTPRouteSpec {
  rules?: RouteRule[];
  [key: string]: unknown;
}

export interface GatewayNames {
  namespace: string;
  service: string;
  canaryService: string;
}

/** A backendRef names a core Service by default (group "" and kind Service), in the route's namespace. */
function isServiceRef(ref: BackendRef, names: GatewayNames): boolean {
  return (
    (ref.group ?? '') === '' &&
    (ref.kind ?? 'Service') === 'Service' &&
    ref.name === names.service &&
    (ref.namespace ?? names.namespace) === names.namespace
  );
}

/** The rules that send to the stable Service; each must send only there, so the router can split it. */
export function findGatewayRules(spec: HTTPRouteSpec, names: GatewayNames): number[] {
  const indexes: number[] = [];
  (spec.rules ?? []).forEach((rule, i) => {
    const refs = rule.backendRefs ?? [];
    if (!refs.some((r) => isServiceRef(r, names))) return;
    if (refs.length !== 1) {
      throw new ConfigurationError(
        `http-route: rule #${i} sends to ${refs.length} backends; the router needs rules that send only to ` +
          `Service ${names.service} to split them between stable and canary`,
      );
    }
    indexes.push(i);
  });
  if (indexes.length === 0) {
    throw new ConfigurationError(`http-route: no rule sends traffic to Service ${names.service}`);
  }
  return indexes;
}

function headerMatch(m: Match): HeaderMatch {
  if (m.kind === 'header') return { type: 'Exact', name: m.name, value: m.value };
  const name = m.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return {
    type: 'RegularExpression',
    name: 'Cookie',
    value: `^(.*?;\\s*)?(${name}=${COOKIE_ALWAYS})(;.*)?$`,
  };
}

/**
 * The HTTPRoute spec for a traffic state, from the spec as it was: every rule that sends to the stable
 * Service gets two backendRefs, the stable with weight 100 − w and the canary Service with weight w (Gateway
 * API v1 weights are proportional); each match adds a rule with the same matches plus the header, sending to
 * the canary alone (a match with more header conditions takes precedence, whatever the rule order).
 */
export function renderHTTPRoute(
  original: HTTPRouteSpec,
  names: GatewayNames,
  state: TrafficState,
): HTTPRouteSpec {
  const targets = findGatewayRules(original, names);
  if (state.weight === 0 && state.matches.length === 0) return original;
  const weight = Math.round(state.weight);
  const rules: RouteRule[] = [];
  (original.rules ?? []).forEach((rule, i) => {
    if (!targets.includes(i)) {
      rules.push(rule);
      return;
    }
    const stable = rule.backendRefs![0];
    const canary: BackendRef = { ...stable, name: names.canaryService };
    delete canary.weight;
    for (const m of state.matches) {
      const base = rule.matches && rule.matches.length > 0 ? rule.matches : [{}];
      rules.push({
        ...rule,
        matches: base.map((cond) => ({ ...cond, headers: [...(cond.headers ?? []), headerMatch(m)] })),
        backendRefs: [{ ...canary }],
      });
    }
    rules.push({
      ...rule,
      backendRefs: [
        { ...stable, weight: 100 - weight },
        { ...canary, weight },
      ],
    });
  });
  return { ...original, rules };
}
