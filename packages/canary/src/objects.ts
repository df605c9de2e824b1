import type { KubeObject } from '@upgrade-actions/kube';
import { MANAGED_BY, MANAGED_BY_LABEL } from '@upgrade-actions/traffic';

/** Only the canary's pods carry it; `<service>-canary` selects on it, the stable pods never have it. */
export const CANARY_ROLE_LABEL = 'canary.upgrade-actions.io/role';
/** On the canary Deployment: the stable workload it is the canary of. */
export const CANARY_OF_ANNOTATION = 'canary.upgrade-actions.io/of';

export interface Deployment extends KubeObject {
  spec?: {
    replicas?: number;
    selector?: { matchLabels?: Record<string, string>; matchExpressions?: unknown[] };
    template?: {
      metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
    } & Record<string, unknown>;
    [key: string]: unknown;
  };
  status?: Record<string, unknown>;
}

export const canaryName = (stable: string) => `${stable}-canary`.slice(0, 253);

/**
 * The canary Deployment: the new release's Deployment under `<name>-canary`, its selector and pod labels
 * extended with the role label so neither Deployment's ReplicaSets ever claim the other's pods, and
 * `replicas` as the router sizes it. Annotations of the stable object (marks, canary state) stay behind.
 */
export function renderCanaryDeployment(next: Deployment, stableName: string, replicas: number): Deployment {
  const spec = structuredClone(next.spec ?? {});
  const role = { [CANARY_ROLE_LABEL]: 'canary' };
  spec.replicas = replicas;
  spec.selector = { ...spec.selector, matchLabels: { ...(spec.selector?.matchLabels ?? {}), ...role } };
  spec.template = {
    ...spec.template,
    metadata: { ...spec.template?.metadata, labels: { ...(spec.template?.metadata?.labels ?? {}), ...role } },
  };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: canaryName(stableName),
      namespace: next.metadata?.namespace,
      labels: { ...(next.metadata?.labels ?? {}), [MANAGED_BY_LABEL]: MANAGED_BY, ...role },
      annotations: { [CANARY_OF_ANNOTATION]: stableName },
    },
    spec,
  };
}

/** Whether a Service's selector picks the pods of this template (every selector label matches). */
export function selects(
  selector: Record<string, string> | undefined,
  labels: Record<string, string> | undefined,
): boolean {
  const s = Object.entries(selector ?? {});
  return s.length > 0 && s.every(([k, v]) => labels?.[k] === v);
}

/**
 * How many canary pods a routed step runs: the step's share of the stable's replicas, rounded up and at
 * least one, as Argo Rollouts scales a canary behind a traffic router (the router, not the pod count,
 * carries the split; the pods only need to be able to take their share).
 */
export function routedCanaryReplicas(total: number, weight: number): number {
  if (weight <= 0) return 0;
  return Math.max(1, Math.ceil((total * weight) / 100));
}
