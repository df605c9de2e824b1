import type { RegistryClient } from './client';
import { sha256Digest } from './digest';
import { OCI_MANIFEST } from './media-types';

/**
 * Pushes a small image made in code (by the demo and the tests) through the distribution API: a config blob (the platform lives
 * there), at most one layer, an OCI manifest — under `tag`, or by digest as build-push-action's
 * push-by-digest does when no tag is given.
 */
export async function pushImage(
  client: RegistryClient,
  repository: string,
  opts: { config: object; layer?: string | Buffer; tag?: string },
): Promise<{ digest: string; size: number }> {
  const config = Buffer.from(JSON.stringify(opts.config));
  const layers =
    opts.layer === undefined
      ? []
      : [
          {
            mediaType: 'application/vnd.oci.image.layer.v1.tar',
            digest: await client.pushBlob(repository, Buffer.from(opts.layer)),
            size: Buffer.from(opts.layer).length,
          },
        ];
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: OCI_MANIFEST,
      config: {
        mediaType: 'application/vnd.oci.image.config.v1+json',
        digest: await client.pushBlob(repository, config),
        size: config.length,
      },
      layers,
    }),
  );
  const digest = await client.putManifest(
    repository,
    opts.tag ?? sha256Digest(manifest),
    manifest,
    OCI_MANIFEST,
  );
  return { digest, size: manifest.length };
}

/** A linux image of one architecture, `rootfs` included as image configs have it. */
export const platformConfig = (architecture: string, variant?: string, extra: object = {}) => ({
  os: 'linux',
  architecture,
  ...(variant ? { variant } : {}),
  rootfs: { type: 'layers', diff_ids: [] },
  ...extra,
});
