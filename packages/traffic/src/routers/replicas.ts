import { ConfigurationError } from '@upgrade-actions/common';
import { isNotFound, type KubeObject } from '@upgrade-actions/kube';
import { checkWeight, readState, writeState, STATE_ANNOTATION } from '../annotations';
import { replicaSplit } from '../replica-split';
import type { Match, RouterOptions, TrafficRouter } from '../types';

/** The stable workload's replicas before the canary began: what restore scales it back to. */
export const TOTAL_REPLICAS_ANNOTATION = 'traffic.upgrade-actions.io/total-replicas';

interface Deployment extends KubeObject {
  spec?: { replicas?: number };
}

const deploymentPath = (ns: string, name: string) =>
  `/apis/apps/v1/namespaces/${encodeURIComponent(ns)}/deployments/${encodeURIComponent(name)}`;

/**
 * No mesh: the canary Deployment runs beside the stable one behind the same Service, and the split is the
 * share of pods (see replica-split.ts for the rounding). State lives on the canary Deployment.
 */
export function replicasRouter(opts: RouterOptions): TrafficRouter {
  const { client, namespace } = opts;
  const get = async (name: string, what: string): Promise<Deployment> => {
    try {
      return await client.get<Deployment>(deploymentPath(namespace, name));
    } catch (e) {
      if (isNotFound(e))
        throw new ConfigurationError(`${what} Deployment ${namespace}/${name} does not exist`);
      throw e;
    }
  };
  const patch = (name: string, body: unknown) =>
    client.request('PATCH', deploymentPath(namespace, name), {
      body,
      contentType: 'application/merge-patch+json',
    });

  return {
    type: 'replicas',
    async check() {
      await get(opts.stableWorkload, 'the stable');
    },
    async setWeight(weight: number) {
      checkWeight(weight);
      const [stable, canary] = [
        await get(opts.stableWorkload, 'the stable'),
        await get(opts.canaryWorkload, 'the canary'),
      ];
      const saved = Number(canary.metadata?.annotations?.[TOTAL_REPLICAS_ANNOTATION]);
      const total = Number.isInteger(saved) && saved > 0 ? saved : (stable.spec?.replicas ?? 1);
      const split = replicaSplit(total, weight);
      const state = { ...readState(canary), weight };
      const canaryPatch = {
        metadata: {
          annotations: { [TOTAL_REPLICAS_ANNOTATION]: String(total), [STATE_ANNOTATION]: writeState(state) },
        },
        spec: { replicas: split.canary },
      };
      const stablePatch = { spec: { replicas: split.stable } };
      // Capacity first: grow the side that gains before shrinking the side that loses.
      if (split.canary >= (canary.spec?.replicas ?? 0)) {
        await patch(opts.canaryWorkload, canaryPatch);
        await patch(opts.stableWorkload, stablePatch);
      } else {
        await patch(opts.stableWorkload, stablePatch);
        await patch(opts.canaryWorkload, canaryPatch);
      }
    },
    async setMatches(matches: Match[]) {
      if (matches.length > 0) {
        throw new ConfigurationError(
          'header-match/cookie-match: the replicas router cannot route by header or cookie (kube-proxy ' +
            'balances connections); use traffic-router nginx, istio or gateway-api',
        );
      }
    },
    async read() {
      try {
        return readState(await client.get(deploymentPath(namespace, opts.canaryWorkload)));
      } catch (e) {
        if (isNotFound(e)) return { weight: 0, matches: [] };
        throw e;
      }
    },
    async restore() {
      let canary: Deployment;
      try {
        canary = await client.get<Deployment>(deploymentPath(namespace, opts.canaryWorkload));
      } catch (e) {
        if (isNotFound(e)) return;
        throw e;
      }
      const total = Number(canary.metadata?.annotations?.[TOTAL_REPLICAS_ANNOTATION]);
      if (!Number.isInteger(total) || total <= 0) return; // the router never split anything
      await patch(opts.stableWorkload, { spec: { replicas: total } });
      await patch(opts.canaryWorkload, {
        metadata: { annotations: { [STATE_ANNOTATION]: writeState({ weight: 0, matches: [] }) } },
        spec: { replicas: 0 },
      });
    },
  };
}
