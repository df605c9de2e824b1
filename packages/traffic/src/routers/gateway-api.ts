import { findGatewayRules, renderHTTPRoute, type HTTPRouteSpec } from '../render-gateway-api';
import type { RouterOptions, TrafficRouter } from '../types';
import { inPlaceRouter } from './in-place-router';

/** Gateway API v1: weighted backendRefs in the HTTPRoute's rules that send to the stable Service. */
export function gatewayApiRouter(opts: RouterOptions): TrafficRouter {
  const names = { namespace: opts.namespace, service: opts.service, canaryService: opts.canaryService };
  return inPlaceRouter<HTTPRouteSpec>(opts, opts.httpRoute, {
    type: 'gateway-api',
    input: 'http-route',
    resourceType: 'httproutes.gateway.networking.k8s.io',
    provider: 'the Gateway API (its CRDs)',
    check: (spec) => void findGatewayRules(spec, names),
    render: (original, state) => renderHTTPRoute(original, names, state),
  });
}
