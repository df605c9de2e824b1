import { ConfigurationError } from '@upgrade-actions/common';
import { kindRelease, normalizeVersion } from './versions';

export interface NodeImageChoice {
  /** The `--image` to pass, or undefined to leave the choice to kind (or to the config's nodes). */
  image?: string;
  /** `v1.36.1`, or '' when it cannot be known before the cluster answers. */
  kubernetesVersion: string;
}

const VERSION = /^v?(\d+)\.(\d+)(?:\.(\d+))?$/;

/**
 * `kubernetes-version` (`1.31`, `v1.31`, `1.31.14`) → the `kindest/node` image, with its digest, that
 * the chosen kind release was built and tested with. `node-image` overrides the table entirely.
 */
export function resolveNodeImage(opts: {
  kindVersion: string;
  kubernetesVersion: string;
  nodeImage: string;
}): NodeImageChoice {
  const nodeImage = opts.nodeImage.trim();
  if (nodeImage) {
    const tag = /:(v\d+\.\d+\.\d+)(?:@|$)/.exec(nodeImage);
    return { image: nodeImage, kubernetesVersion: tag ? tag[1] : '' };
  }
  const kindVersion = normalizeVersion(opts.kindVersion);
  const release = kindRelease(kindVersion);
  const wanted = opts.kubernetesVersion.trim();
  if (!release) {
    if (wanted)
      throw new ConfigurationError(
        `Input 'kubernetes-version' cannot be mapped for kind ${kindVersion}: this action has no image table for ` +
          `that release; pass 'node-image' (kindest/node:<tag>@sha256:<digest> from its release notes)`,
      );
    return { kubernetesVersion: '' };
  }
  if (!wanted) {
    const def = release.nodeImages.find((n) => n.kubernetes === release.defaultKubernetes)!;
    return { image: def.image, kubernetesVersion: def.kubernetes };
  }
  const m = VERSION.exec(wanted);
  if (!m)
    throw new ConfigurationError(
      `Input 'kubernetes-version' must be a version such as 1.31 or 1.31.14, got ${JSON.stringify(wanted)}`,
    );
  const prefix = m[3] === undefined ? `v${m[1]}.${m[2]}.` : undefined;
  const exact = m[3] === undefined ? undefined : normalizeVersion(wanted);
  // nodeImages are newest first, so a minor picks its newest patch.
  const hit = release.nodeImages.find((n) =>
    exact ? n.kubernetes === exact : n.kubernetes.startsWith(prefix!),
  );
  if (!hit) {
    const available = release.nodeImages.map((n) => n.kubernetes.slice(1)).join(', ');
    throw new ConfigurationError(
      `Input 'kubernetes-version' ${wanted} has no kindest/node image built for kind ${kindVersion} ` +
        `(available: ${available}); choose one of them, another 'kind-version', or pass 'node-image'`,
    );
  }
  return { image: hit.image, kubernetesVersion: hit.kubernetes };
}
