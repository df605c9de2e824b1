export * from './types';
export {
  STATE_ANNOTATION,
  ORIGINAL_SPEC_ANNOTATION,
  MANAGED_BY_LABEL,
  MANAGED_BY,
  checkWeight,
  readState,
} from './annotations';
export { replicaSplit, type ReplicaSplit } from './replica-split';
export { renderCanaryIngress, checkStableIngress, type Ingress } from './render-nginx';
export {
  renderVirtualService,
  findIstioRoute,
  ISTIO_MATCH_ROUTE_PREFIX,
  type VirtualServiceSpec,
} from './render-istio';
export { renderHTTPRoute, findGatewayRules, type HTTPRouteSpec } from './render-gateway-api';
export { canaryService, type Service } from './services';
export { createRouter, parseRouterType } from './routers/index';
export { TOTAL_REPLICAS_ANNOTATION } from './routers/replicas';
