import { ConfigurationError } from '@upgrade-actions/common';
import type { KubeObject } from '@upgrade-actions/kube';
import { COOKIE_ALWAYS, MANAGED_BY, MANAGED_BY_LABEL, STATE_ANNOTATION, writeState } from './annotations';
import type { TrafficState } from './types';

const NGINX = 'nginx.ingress.kubernetes.io/';

interface IngressBackend {
  service?: { name?: string; port?: { number?: number; name?: string } };
}
interface IngressPath {
  path?: string;
  pathType?: string;
  backend?: IngressBackend;
}
interface IngressRule {
  host?: string;
  http?: { paths?: IngressPath[] };
}
export interface Ingress extends KubeObject {
  spec?: {
    ingressClassName?: string;
    defaultBackend?: IngressBackend;
    rules?: IngressRule[];
    tls?: unknown[];
  };
}

/** The rules of the stable Ingress that send to the stable Service, re-pointed at the canary Service. */
function canaryRules(stable: Ingress, service: string, canaryService: string): IngressRule[] {
  const rules: IngressRule[] = [];
  for (const rule of stable.spec?.rules ?? []) {
    const paths = (rule.http?.paths ?? [])
      .filter((p) => p.backend?.service?.name === service)
      .map((p) => ({ ...p, backend: { service: { ...p.backend!.service, name: canaryService } } }));
    if (paths.length > 0) rules.push({ ...rule, http: { paths } });
  }
  return rules;
}

/** Whether the stable Ingress can carry a canary for `service` (some rule or the default backend sends to it). */
export function checkStableIngress(stable: Ingress, service: string): void {
  const name = stable.metadata?.name ?? '';
  if ((stable.metadata?.annotations ?? {})[`${NGINX}canary`] === 'true') {
    throw new ConfigurationError(`ingress: ${name} is itself a canary Ingress; give the stable one`);
  }
  const viaRules = canaryRules(stable, service, service).length > 0;
  const viaDefault = stable.spec?.defaultBackend?.service?.name === service;
  if (!viaRules && !viaDefault) {
    throw new ConfigurationError(
      `ingress: no rule of Ingress ${name} sends traffic to Service ${service}; give the Ingress that routes to it`,
    );
  }
}

/**
 * The canary Ingress ingress-nginx expects beside the stable one: the same hosts and paths (only those that
 * send to the stable Service), pointing at the canary Service, with `canary: "true"` and the weight and
 * header/cookie annotations as ingress-nginx documents them. Weights with decimals use `canary-weight-total`.
 */
export function renderCanaryIngress(
  stable: Ingress,
  opts: { service: string; canaryService: string; name: string },
  state: TrafficState,
): Ingress {
  checkStableIngress(stable, opts.service);
  const headers = state.matches.filter((m) => m.kind === 'header');
  const cookies = state.matches.filter((m) => m.kind === 'cookie');
  if (headers.length > 1 || cookies.length > 1) {
    throw new ConfigurationError(
      'header-match/cookie-match: ingress-nginx routes a canary by at most one header and one cookie',
    );
  }
  const integer = Number.isInteger(state.weight);
  const annotations: Record<string, string> = {
    [`${NGINX}canary`]: 'true',
    [`${NGINX}canary-weight`]: String(integer ? state.weight : Math.round(state.weight * 100)),
    [STATE_ANNOTATION]: writeState(state),
  };
  if (!integer) annotations[`${NGINX}canary-weight-total`] = '10000';
  const header = headers[0];
  if (header?.kind === 'header') {
    annotations[`${NGINX}canary-by-header`] = header.name;
    annotations[`${NGINX}canary-by-header-value`] = header.value;
  }
  const cookie = cookies[0];
  if (cookie?.kind === 'cookie') annotations[`${NGINX}canary-by-cookie`] = cookie.name;
  // The legacy class annotation, when the stable Ingress uses it instead of ingressClassName.
  const legacyClass = stable.metadata?.annotations?.['kubernetes.io/ingress.class'];
  if (legacyClass) annotations['kubernetes.io/ingress.class'] = legacyClass;

  const spec: NonNullable<Ingress['spec']> = {};
  if (stable.spec?.ingressClassName) spec.ingressClassName = stable.spec.ingressClassName;
  const rules = canaryRules(stable, opts.service, opts.canaryService);
  if (rules.length > 0) spec.rules = rules;
  if (stable.spec?.defaultBackend?.service?.name === opts.service) {
    spec.defaultBackend = {
      service: { ...stable.spec.defaultBackend.service, name: opts.canaryService },
    };
  }
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: {
      name: opts.name,
      namespace: stable.metadata?.namespace,
      labels: { [MANAGED_BY_LABEL]: MANAGED_BY },
      annotations,
    },
    spec,
  };
}

export { COOKIE_ALWAYS };
