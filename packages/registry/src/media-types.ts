export const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
export const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
export const DOCKER_MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json';
export const DOCKER_LIST = 'application/vnd.docker.distribution.manifest.list.v2+json';

/** Everything a manifest GET accepts, indexes first, as docker and skopeo ask. */
export const ACCEPT_ANY = [OCI_INDEX, DOCKER_LIST, OCI_MANIFEST, DOCKER_MANIFEST].join(', ');

export const isIndex = (mediaType: string | undefined) =>
  mediaType === OCI_INDEX || mediaType === DOCKER_LIST;
export const isImageManifest = (mediaType: string | undefined) =>
  mediaType === OCI_MANIFEST || mediaType === DOCKER_MANIFEST;

export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  platform?: Platform;
  annotations?: Record<string, string>;
  [key: string]: unknown;
}

export interface Platform {
  architecture: string;
  os: string;
  variant?: string;
  'os.version'?: string;
}

/** `linux/arm64/v8` → the platform; the same spelling docker's --platform takes. */
export function formatPlatform(p: Platform): string {
  return [p.os, p.architecture, p.variant].filter(Boolean).join('/');
}
