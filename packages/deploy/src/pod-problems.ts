import { selectorString, type KubeClient, type KubeObject, type LabelSelector } from '@upgrade-actions/kube';

/** Waiting reasons after which a container does not start on its own, and what the user should check. */
const STUCK: Record<string, (image: string) => string> = {
  ErrImagePull: (image) => `image "${image}" cannot be pulled`,
  ImagePullBackOff: (image) => `image "${image}" cannot be pulled`,
  InvalidImageName: (image) => `image "${image}" is not a valid reference`,
  CreateContainerConfigError: () => 'the container configuration is incomplete',
};

const ADVICE: Record<string, string> = {
  ErrImagePull:
    'check the image name and tag, that it was pushed, and the registry credentials (imagePullSecrets)',
  ImagePullBackOff:
    'check the image name and tag, that it was pushed, and the registry credentials (imagePullSecrets)',
  InvalidImageName: 'fix the image reference in the manifest',
  CreateContainerConfigError: 'check the ConfigMaps, Secrets and keys the container refers to',
};

interface PodStatus {
  containerStatuses?: Array<{
    name?: string;
    image?: string;
    state?: { waiting?: { reason?: string; message?: string } };
  }>;
}

/**
 * Why the pods of a workload that did not become ready cannot start, as `kubectl describe pod` would
 * show it: an image that cannot be pulled (named), an invalid reference, a missing ConfigMap or Secret.
 * Said once per distinct cause; empty when the pods show none (the caller keeps its own message).
 */
export async function podProblems(client: KubeClient, workload: KubeObject): Promise<string[]> {
  const ns = workload.metadata?.namespace ?? 'default';
  // matchExpressions count too: a selector of matchLabels alone would pick the wrong pods.
  const selector = selectorString((workload.spec as { selector?: LabelSelector } | undefined)?.selector);
  if (!selector) return [];
  const pods = await client.get<{ items: Array<KubeObject & { status?: PodStatus }> }>(
    `/api/v1/namespaces/${encodeURIComponent(ns)}/pods`,
    { query: { labelSelector: selector } },
  );
  // One line per cause and image: ErrImagePull and the ImagePullBackOff after it are the same cause.
  const seen = new Map<string, string>();
  for (const pod of pods.items)
    for (const c of pod.status?.containerStatuses ?? []) {
      const w = c.state?.waiting;
      if (!w?.reason || !(w.reason in STUCK)) continue;
      const reason = w.reason === 'ImagePullBackOff' ? 'ErrImagePull' : w.reason;
      const detail = w.message && w.reason !== 'ImagePullBackOff' ? `: ${w.message}` : '';
      const key = `${reason} ${c.image}`;
      if (!seen.has(key) || detail)
        seen.set(
          key,
          `${STUCK[reason](c.image ?? '?')} (${w.reason}${detail}, pod ${pod.metadata?.name}); ${ADVICE[reason]}`,
        );
    }
  return [...seen.values()];
}
