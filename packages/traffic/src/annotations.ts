import { ConfigurationError } from '@upgrade-actions/common';
import type { KubeObject } from '@upgrade-actions/kube';
import type { Match, TrafficState } from './types';

/** What the router was told: `{"weight":10,"matches":[…]}`. */
export const STATE_ANNOTATION = 'traffic.upgrade-actions.io/state';
/** The edited object's `spec` as it was before the router first changed it (JSON). */
export const ORIGINAL_SPEC_ANNOTATION = 'traffic.upgrade-actions.io/original-spec';
/** Marks objects the router created (the canary Ingress); they are deleted on restore. */
export const MANAGED_BY_LABEL = 'app.kubernetes.io/managed-by';
export const MANAGED_BY = 'upgrade-actions';

export const NO_TRAFFIC: TrafficState = Object.freeze({ weight: 0, matches: [] }) as TrafficState;

export function checkWeight(weight: number): number {
  if (!Number.isFinite(weight) || weight < 0 || weight > 100) {
    throw new ConfigurationError(`weight ${weight} is out of range: a weight is a percentage from 0 to 100`);
  }
  return weight;
}

export function readState(obj: KubeObject | undefined): TrafficState {
  const raw = obj?.metadata?.annotations?.[STATE_ANNOTATION];
  if (!raw) return { ...NO_TRAFFIC, matches: [] };
  try {
    const parsed = JSON.parse(raw) as Partial<TrafficState>;
    return {
      weight: typeof parsed.weight === 'number' ? parsed.weight : 0,
      matches: Array.isArray(parsed.matches) ? (parsed.matches as Match[]) : [],
    };
  } catch {
    return { ...NO_TRAFFIC, matches: [] };
  }
}

export function writeState(state: TrafficState): string {
  return JSON.stringify({ weight: state.weight, matches: state.matches });
}

/** ingress-nginx routes a request to the canary when this cookie's value is `always`. */
export const COOKIE_ALWAYS = 'always';
