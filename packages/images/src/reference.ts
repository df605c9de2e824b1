import { ConfigurationError } from '@upgrade-actions/common';

/**
 * An image reference split as the distribution reference grammar splits it:
 * `[registry/]repository[:tag][@digest]`. Docker Hub names are normalised the way docker does
 * (`nginx` → `docker.io/library/nginx`), so that policies see one spelling.
 */
export interface ImageReference {
  /** The text as given. */
  original: string;
  registry: string;
  repository: string;
  tag?: string;
  digest?: string;
}

const COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]{32,}$/;
const SHA256 = /^sha256:[a-f0-9]{64}$/;
/** The grammar's domain: host names (letters, digits, inner '-', dot-separated) or [IPv6], and an optional port. */
const DOMAIN =
  /^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*|\[[a-fA-F0-9:]+\])(?::[0-9]+)?$/;
/** The grammar's limit on a name (domain and path, without tag or digest). */
const NAME_MAX = 255;

export function parseImageReference(text: string, what = 'image reference'): ImageReference {
  const bad = (why: string) =>
    new ConfigurationError(
      `${what} "${text}" is not a valid image reference (${why}); expected [registry/]name[:tag][@sha256:<64 hex>]`,
    );
  const s = text.trim();
  if (!s) throw bad('empty');
  let rest = s;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest) || (digest.startsWith('sha256:') && !SHA256.test(digest)))
      throw bad(`bad digest "${digest}"`);
  }
  let tag: string | undefined;
  const lastSlash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  if (colon > lastSlash) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag)) throw bad(`bad tag "${tag}"`);
  }
  const parts = rest.split('/');
  let registry = 'docker.io';
  if (parts.length > 1 && (/[.:]/.test(parts[0]) || parts[0] === 'localhost' || /[A-Z]/.test(parts[0]))) {
    registry = parts.shift()!;
  }
  if (!DOMAIN.test(registry)) throw bad(`bad registry "${registry}"`);
  if (rest.length > NAME_MAX) throw bad(`name longer than ${NAME_MAX} characters`);
  if (registry === 'index.docker.io') registry = 'docker.io';
  if (registry === 'docker.io' && parts.length === 1) parts.unshift('library');
  for (const p of parts) if (!COMPONENT.test(p)) throw bad(`bad name component "${p}"`);
  return { original: text, registry, repository: parts.join('/'), tag, digest };
}

/** The canonical full form: `docker.io/library/nginx:1.27@sha256:…`. */
export function formatImageReference(ref: Omit<ImageReference, 'original'>): string {
  return `${ref.registry}/${ref.repository}${ref.tag ? `:${ref.tag}` : ''}${ref.digest ? `@${ref.digest}` : ''}`;
}

/** Name without tag or digest, canonical: two spellings of one image compare equal. */
export function imageName(ref: ImageReference): string {
  return `${ref.registry}/${ref.repository}`;
}
