import { ConfigurationError } from '@upgrade-actions/common';
import { ROUTER_TYPES, type RouterOptions, type RouterType, type TrafficRouter } from '../types';
import { gatewayApiRouter } from './gateway-api';
import { istioRouter } from './istio';
import { nginxRouter } from './nginx';
import { replicasRouter } from './replicas';

const FACTORIES: Record<RouterType, (opts: RouterOptions) => TrafficRouter> = {
  replicas: replicasRouter,
  nginx: nginxRouter,
  istio: istioRouter,
  'gateway-api': gatewayApiRouter,
};

export function parseRouterType(value: string, what = 'traffic-router'): RouterType {
  if ((ROUTER_TYPES as readonly string[]).includes(value)) return value as RouterType;
  throw new ConfigurationError(
    `${what}: "${value}" is not a router; accepted: ${ROUTER_TYPES.join(', ')} ` +
      '(SMI is not offered: the project was archived in 2023; Gateway API is the portable choice)',
  );
}

/** The router for `opts.type`; the engine talks only to the TrafficRouter interface. */
export function createRouter(opts: RouterOptions): TrafficRouter {
  return FACTORIES[opts.type](opts);
}
