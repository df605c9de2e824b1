import { ConfigurationError } from '@upgrade-actions/common';
import { isNotFound, type KubeObject } from '@upgrade-actions/kube';
import { checkWeight, readState } from '../annotations';
import { checkStableIngress, renderCanaryIngress, type Ingress } from '../render-nginx';
import type { Match, RouterOptions, TrafficRouter, TrafficState } from '../types';

const ingressPath = (ns: string, name?: string) =>
  `/apis/networking.k8s.io/v1/namespaces/${encodeURIComponent(ns)}/ingresses${name ? `/${encodeURIComponent(name)}` : ''}`;

/**
 * ingress-nginx: a canary Ingress `<ingress>-canary` beside the stable one, written whole by server-side
 * apply on every change (so it always equals what the state renders), deleted on restore.
 */
export function nginxRouter(opts: RouterOptions): TrafficRouter {
  const stableName = opts.ingress;
  if (!stableName) throw new ConfigurationError('ingress: the nginx traffic router needs the stable Ingress');
  const canaryName = `${stableName}-canary`;
  const { client, namespace } = opts;

  const stable = async (): Promise<Ingress> => {
    try {
      return await client.get<Ingress>(ingressPath(namespace, stableName));
    } catch (e) {
      if (isNotFound(e))
        throw new ConfigurationError(`ingress: Ingress ${namespace}/${stableName} does not exist`);
      throw e;
    }
  };
  const current = async (): Promise<KubeObject | undefined> => {
    try {
      return await client.get(ingressPath(namespace, canaryName));
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw e;
    }
  };
  const apply = async (state: TrafficState) => {
    const body = renderCanaryIngress(
      await stable(),
      { service: opts.service, canaryService: opts.canaryService, name: canaryName },
      state,
    );
    await client.request('PATCH', ingressPath(namespace, canaryName), {
      body,
      contentType: 'application/apply-patch+yaml',
      query: { fieldManager: opts.fieldManager ?? 'upgrade-actions', force: true },
    });
  };

  return {
    type: 'nginx',
    async check() {
      checkStableIngress(await stable(), opts.service);
    },
    async setWeight(weight: number) {
      const state = readState(await current());
      await apply({ ...state, weight: checkWeight(weight) });
    },
    async setMatches(matches: Match[]) {
      const state = readState(await current());
      await apply({ ...state, matches });
    },
    async read() {
      return readState(await current());
    },
    async restore() {
      try {
        await client.request('DELETE', ingressPath(namespace, canaryName));
      } catch (e) {
        if (!isNotFound(e)) throw e;
      }
    },
  };
}
