import { ConfigurationError } from '@upgrade-actions/common';
import { Discovery, isNotFound, resourcePath, type KubeObject } from '@upgrade-actions/kube';
import { checkWeight } from '../annotations';
import { editInPlace, originalSpec, readInPlace } from '../edit-in-place';
import type { Match, RouterType, TrafficRouter, TrafficState, TrafficTarget } from '../types';

export interface InPlaceKind<S> {
  type: RouterType;
  /** The input that names the object, for errors. */
  input: string;
  /** `virtualservices.networking.istio.io`: found through discovery, so any served version works. */
  resourceType: string;
  /** What to install when the cluster does not serve the type. */
  provider: string;
  /** Throws a ConfigurationError when the spec cannot carry the canary. */
  check(spec: S): void;
  render(original: S, state: TrafficState): S;
}

/** A router that edits one object of the user's in place (Istio's VirtualService, Gateway API's HTTPRoute). */
export function inPlaceRouter<S>(
  target: TrafficTarget,
  name: string | undefined,
  kind: InPlaceKind<S>,
): TrafficRouter {
  if (!name) throw new ConfigurationError(`${kind.input}: the ${kind.type} traffic router needs it`);
  const { client, namespace } = target;
  let path: string | undefined;
  const locate = async () => {
    if (path) return path;
    let info;
    try {
      info = await new Discovery(client).forType(kind.resourceType);
    } catch (e) {
      if (e instanceof ConfigurationError) {
        throw new ConfigurationError(
          `${kind.input}: the cluster does not serve ${kind.resourceType} (is ${kind.provider} installed?)`,
        );
      }
      throw e;
    }
    path = resourcePath(info, namespace, name);
    return path;
  };
  const get = async () => {
    try {
      return await client.get<KubeObject & { spec?: S }>(await locate());
    } catch (e) {
      if (isNotFound(e)) throw new ConfigurationError(`${kind.input}: ${namespace}/${name} does not exist`);
      throw e;
    }
  };
  const edit = async (next: (s: TrafficState) => TrafficState) => {
    const p = await locate();
    const state = next(await readInPlace(client, p));
    await editInPlace<S>(client, p, kind.render, state);
  };
  return {
    type: kind.type,
    async check() {
      kind.check(originalSpec(await get()));
    },
    async setWeight(weight: number) {
      checkWeight(weight);
      await edit((s) => ({ ...s, weight }));
    },
    async setMatches(matches: Match[]) {
      await edit((s) => ({ ...s, matches }));
    },
    async read() {
      await get();
      return readInPlace(client, await locate());
    },
    async restore() {
      await editInPlace<S>(client, await locate(), kind.render, 'restore');
    },
  };
}
