import { findIstioRoute, renderVirtualService, type VirtualServiceSpec } from '../render-istio';
import type { RouterOptions, TrafficRouter } from '../types';
import { inPlaceRouter } from './in-place-router';

/** Istio: weights on one http route of the VirtualService, to the stable and the canary (per-version) Service. */
export function istioRouter(opts: RouterOptions): TrafficRouter {
  const names = {
    namespace: opts.namespace,
    service: opts.service,
    canaryService: opts.canaryService,
    route: opts.virtualServiceRoute,
  };
  return inPlaceRouter<VirtualServiceSpec>(opts, opts.virtualService, {
    type: 'istio',
    input: 'virtual-service',
    resourceType: 'virtualservices.networking.istio.io',
    provider: 'Istio',
    check: (spec) => void findIstioRoute(spec, names),
    render: (original, state) => renderVirtualService(original, names, state),
  });
}
