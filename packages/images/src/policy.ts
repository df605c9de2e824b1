import { parseImageReference } from './reference';

export interface ImagePolicy {
  /** SEEDS §2: forbid the `latest` tag in production (an image with neither tag nor digest is `latest` too). */
  forbidLatest: boolean;
  /** Require a pinned digest, so what was verified is what runs. */
  requireDigest: boolean;
}

export interface PolicyViolation {
  image: string;
  rule: 'latest-tag' | 'missing-digest';
  message: string;
}

/** Checks image references against the production policy; returns every violation (pure). */
export function checkImagePolicy(images: string[], policy: ImagePolicy): PolicyViolation[] {
  const out: PolicyViolation[] = [];
  for (const image of images) {
    const ref = parseImageReference(image);
    const isLatest = ref.tag === 'latest' || (ref.tag === undefined && ref.digest === undefined);
    if (policy.forbidLatest && isLatest && !ref.digest) {
      out.push({
        image,
        rule: 'latest-tag',
        message: `image ${image} uses the latest tag${ref.tag ? '' : ' (no tag means latest)'}; production deploys need a version tag or digest`,
      });
    }
    if (policy.requireDigest && !ref.digest) {
      out.push({
        image,
        rule: 'missing-digest',
        message: `image ${image} has no digest; pin it as name@sha256:<digest>`,
      });
    }
  }
  return out;
}
