import type { KubeObject } from '@upgrade-actions/kube';

/** The label only one colour's pods carry; the Service selects exactly one value of it. */
export const COLOUR_LABEL = 'promote.upgrade-actions.io/colour';
export type Colour = 'blue' | 'green';

export type Selector = Record<string, string>;

/**
 * The colour workloads of `<name>`: `<name>-blue` and `<name>-green`. The workload deploy created first
 * (`<name>`, no colour) counts as blue, so the first promote creates `<name>-green` beside it, the next
 * `<name>-blue` beside the then-active green, and so on: the new version always gets the idle colour.
 */
export function colourOf(workload: string, base: string): Colour {
  return workload === `${base}-green` ? 'green' : 'blue';
}

export function nextWorkload(active: string, base: string): { name: string; colour: Colour } {
  const colour: Colour = colourOf(active, base) === 'green' ? 'blue' : 'green';
  return { name: `${base}-${colour}`, colour };
}

/** The Service's selector while only `labels`' pods should receive its traffic. */
export function exclusiveSelector(base: Selector, pin: Selector): Selector {
  return { ...base, ...pin };
}

/**
 * A merge patch that turns selector `from` into exactly `to` (keys `to` lacks are set to null: removed).
 * Used for the switch: one write of the Service replaces the whole selector.
 */
export function selectorPatch(from: Selector, to: Selector): Record<string, string | null> {
  const patch: Record<string, string | null> = { ...to };
  for (const k of Object.keys(from)) if (!(k in to)) patch[k] = null;
  return patch;
}

/** Whether `selector` picks pods labelled `labels` (equality selectors, as a Service has). */
export function selects(selector: Selector, labels: Selector | undefined): boolean {
  return Object.entries(selector).every(([k, v]) => labels?.[k] === v);
}

interface DeploymentLike extends KubeObject {
  spec?: {
    replicas?: number;
    selector?: { matchLabels?: Selector; matchExpressions?: unknown[] };
    template?: { metadata?: { labels?: Selector; annotations?: Record<string, string> }; spec?: unknown };
    [key: string]: unknown;
  };
}

/**
 * The new colour's Deployment, from the release's Deployment: same template and pod labels (so
 * dashboards, NetworkPolicies and the Service's own selector keys still apply), plus the colour label in
 * the selector and on the pods, under the colour's name. Server-set fields are dropped.
 */
export function colourDeployment(
  manifest: KubeObject,
  name: string,
  colour: Colour,
  replicas: number | undefined,
  annotations: Record<string, string>,
): KubeObject {
  const d = structuredClone(manifest) as DeploymentLike;
  const spec = d.spec ?? {};
  const tmpl = spec.template ?? {};
  const metadata = d.metadata ?? {};
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name,
      namespace: metadata.namespace,
      labels: { ...(metadata.labels ?? {}), [COLOUR_LABEL]: colour },
      annotations: { ...(metadata.annotations ?? {}), ...annotations },
    },
    spec: {
      ...spec,
      ...(replicas !== undefined ? { replicas } : {}),
      selector: {
        ...spec.selector,
        matchLabels: { ...(spec.selector?.matchLabels ?? {}), [COLOUR_LABEL]: colour },
      },
      template: {
        ...tmpl,
        metadata: { ...tmpl.metadata, labels: { ...(tmpl.metadata?.labels ?? {}), [COLOUR_LABEL]: colour } },
      },
    },
  };
}
