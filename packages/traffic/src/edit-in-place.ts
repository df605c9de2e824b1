import { isConflict, type KubeClient, type KubeObject } from '@upgrade-actions/kube';
import { ORIGINAL_SPEC_ANNOTATION, STATE_ANNOTATION, readState, writeState } from './annotations';
import type { TrafficState } from './types';

/**
 * Edits a user's object (VirtualService, HTTPRoute) the way Argo Rollouts does — read, change, update with
 * the resourceVersion read, again on a conflict — and keeps the spec as it was in an annotation, so that
 * every later state is computed from the original and restore puts it back exactly.
 */
export async function editInPlace<S>(
  client: KubeClient,
  path: string,
  render: (original: S, state: TrafficState) => S,
  state: TrafficState | 'restore',
): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const obj = await client.get<KubeObject & { spec?: S }>(path);
    const annotations = { ...(obj.metadata?.annotations ?? {}) };
    const saved = annotations[ORIGINAL_SPEC_ANNOTATION];
    const original = saved ? (JSON.parse(saved) as S) : (obj.spec as S);
    if (state === 'restore') {
      if (!saved) return; // never changed by the router: nothing to put back
      delete annotations[ORIGINAL_SPEC_ANNOTATION];
      delete annotations[STATE_ANNOTATION];
      obj.spec = original;
    } else {
      obj.spec = render(original, state);
      annotations[ORIGINAL_SPEC_ANNOTATION] = JSON.stringify(original);
      annotations[STATE_ANNOTATION] = writeState(state);
    }
    obj.metadata = { ...obj.metadata, annotations };
    try {
      await client.request('PUT', path, { body: obj });
      return;
    } catch (e) {
      if (!isConflict(e) || attempt >= 5) throw e;
    }
  }
}

export async function readInPlace(client: KubeClient, path: string): Promise<TrafficState> {
  return readState(await client.get(path));
}

/** The original spec of an object the router edited, or its current spec when it never did. */
export function originalSpec<S>(obj: KubeObject & { spec?: S }): S {
  const saved = obj.metadata?.annotations?.[ORIGINAL_SPEC_ANNOTATION];
  return saved ? (JSON.parse(saved) as S) : (obj.spec as S);
}
