import { ConfigurationError, type Logger } from '@upgrade-actions/common';
import { parseImageReference } from '@upgrade-actions/images';
import {
  OCI_INDEX,
  SHA256_DIGEST,
  isImageManifest,
  isIndex,
  type Descriptor,
  type RegistryClient,
} from '@upgrade-actions/registry';
import { platformString } from './platforms';

const REFERENCE_TYPE = 'vnd.docker.reference.type';
const REFERENCE_DIGEST = 'vnd.docker.reference.digest';

export interface MergeOptions {
  /** Image names without tag (`ghcr.io/acme/web`); the per-platform manifests are in the first one. */
  images: string[];
  tags: string[];
  /** Per-platform digests (`sha256:…`), as the build jobs pushed them by digest. */
  digests: string[];
  /** Platforms that must each be present exactly once. */
  platforms: string[];
  /** Index-level annotations (OCI). */
  annotations?: Record<string, string>;
  /** A client per registry host. */
  client: (registry: string) => RegistryClient;
  logger: Logger;
}

export interface MergeResult {
  /** Digest of the index: the sha256 of the bytes pushed (and served back). */
  digest: string;
  /** `image@digest`, one per image. */
  references: string[];
  /** Platform → image manifest digest. */
  platforms: Record<string, string>;
  /** Attestation manifests kept (BuildKit provenance/SBOM), by the image digest they describe. */
  attestations: Record<string, string>;
  index: Buffer;
}

interface Part {
  descriptor: Descriptor;
  /** The digest the build job handed over that brought it. */
  source: string;
}

export function parseDigests(lines: string[], input = 'digests'): string[] {
  const digests = lines
    .map((l) => l.trim())
    .filter(Boolean)
    .map((d) => (/^[a-f0-9]{64}$/.test(d) ? `sha256:${d}` : d));
  if (digests.length === 0)
    throw new ConfigurationError(`${input}: give the per-platform digests (sha256:<64 hex>), one per line`);
  for (const d of digests) {
    if (!SHA256_DIGEST.test(d))
      throw new ConfigurationError(
        `${input}: "${d}" is not a digest; expected sha256: followed by 64 hex characters`,
      );
  }
  return [...new Set(digests)];
}

/** What each digest contributes: image manifests with their platforms, and attestation manifests. */
async function collect(
  client: RegistryClient,
  repository: string,
  digests: string[],
): Promise<{ images: Part[]; attestations: Part[] }> {
  const images: Part[] = [];
  const attestations: Part[] = [];
  const platformOf = async (digest: string): Promise<string> => {
    const m = JSON.parse((await client.getManifest(repository, digest)).bytes.toString('utf8')) as {
      config?: Descriptor;
    };
    if (!m.config)
      throw new ConfigurationError(`digests: ${digest} has no config blob to read its platform from`);
    const cfg = JSON.parse((await client.getBlob(repository, m.config.digest)).toString('utf8')) as {
      os?: string;
      architecture?: string;
      variant?: string;
    };
    if (!cfg.os || !cfg.architecture)
      throw new ConfigurationError(`digests: the config of ${digest} names no os/architecture`);
    return platformString({ os: cfg.os, architecture: cfg.architecture, variant: cfg.variant });
  };
  for (const digest of digests) {
    const m = await client.getManifest(repository, digest).catch((e: Error) => {
      throw new ConfigurationError(`digests: ${digest} is not in ${repository}: ${e.message}`);
    });
    if (isImageManifest(m.mediaType)) {
      const platform = await platformOf(digest);
      const [os, architecture, variant] = platform.split('/');
      images.push({
        source: digest,
        descriptor: {
          mediaType: m.mediaType,
          digest,
          size: m.bytes.length,
          platform: { os, architecture, ...(variant ? { variant } : {}) },
        },
      });
    } else if (isIndex(m.mediaType)) {
      const index = JSON.parse(m.bytes.toString('utf8')) as { manifests?: Descriptor[] };
      for (const d of index.manifests ?? []) {
        if (d.annotations?.[REFERENCE_TYPE] === 'attestation-manifest')
          attestations.push({ source: digest, descriptor: d });
        else if (d.platform && d.platform.os !== 'unknown') images.push({ source: digest, descriptor: d });
        else images.push({ source: digest, descriptor: { ...d, platform: undefined } });
      }
    } else {
      throw new ConfigurationError(
        `digests: ${digest} is a ${m.mediaType || 'manifest of unknown type'}, not an image or index`,
      );
    }
  }
  for (const p of images) {
    if (!p.descriptor.platform) {
      const platform = await platformOf(p.descriptor.digest);
      const [os, architecture, variant] = platform.split('/');
      p.descriptor = { ...p.descriptor, platform: { os, architecture, ...(variant ? { variant } : {}) } };
    }
  }
  return { images, attestations };
}

/** Copies a manifest and its blobs into another repository (mounted on the same registry), by digest. */
async function copyManifest(
  from: { client: RegistryClient; repository: string; registry: string },
  to: { client: RegistryClient; repository: string; registry: string },
  digest: string,
): Promise<void> {
  if (from.registry === to.registry && from.repository === to.repository) return;
  if (await to.client.manifestDigest(to.repository, digest)) return;
  const m = await from.client.getManifest(from.repository, digest);
  const parsed = JSON.parse(m.bytes.toString('utf8')) as { config?: Descriptor; layers?: Descriptor[] };
  for (const blob of [parsed.config, ...(parsed.layers ?? [])].filter((b): b is Descriptor => !!b)) {
    if (await to.client.blobExists(to.repository, blob.digest)) continue;
    const mounted =
      from.registry === to.registry &&
      (await to.client.mountBlob(to.repository, blob.digest, from.repository));
    if (!mounted)
      await to.client.pushBlob(to.repository, await from.client.getBlob(from.repository, blob.digest));
  }
  await to.client.putManifest(to.repository, digest, m.bytes, m.mediaType);
}

/**
 * Builds one image index from the per-platform manifests through the distribution API — no docker, no
 * buildx — keeping BuildKit's attestation manifests beside the images they describe, and pushes it under
 * every tag of every image. Everything is checked (each platform once, every digest present) before the
 * first write, so a failed merge pushes nothing.
 */
export async function mergeIndex(opts: MergeOptions): Promise<MergeResult> {
  const targets = opts.images.map((i) => {
    const ref = parseImageReference(i, 'images');
    if (ref.tag || ref.digest)
      throw new ConfigurationError(
        `images: give image names without tag or digest ("${i}"); tags come from tags`,
      );
    return { registry: ref.registry, repository: ref.repository, name: `${ref.registry}/${ref.repository}` };
  });
  if (targets.length === 0) throw new ConfigurationError('images: give at least one image name');
  const source = { ...targets[0], client: opts.client(targets[0].registry) };
  opts.logger.info(`reading ${opts.digests.length} digest(s) from ${source.name}`);
  const { images, attestations } = await collect(source.client, source.repository, opts.digests);

  const byPlatform = new Map<string, Part>();
  for (const p of images) {
    const platform = platformString(p.descriptor.platform!);
    const other = byPlatform.get(platform);
    if (other) {
      throw new ConfigurationError(
        `digests: ${platform} appears twice (${other.descriptor.digest} from ${other.source}, ${p.descriptor.digest} from ${p.source})`,
      );
    }
    if (!opts.platforms.includes(platform)) {
      throw new ConfigurationError(
        `digests: ${p.source} brings ${platform}, which is not among the platforms (${opts.platforms.join(', ')})`,
      );
    }
    byPlatform.set(platform, p);
  }
  const missing = opts.platforms.filter((p) => !byPlatform.has(p));
  if (missing.length > 0) {
    throw new ConfigurationError(
      `digests: no manifest for ${missing.join(', ')}; each platform needs its digest (got ${opts.digests.length})`,
    );
  }
  const kept = new Set([...byPlatform.values()].map((p) => p.descriptor.digest));
  const attached = attestations.filter((a) => kept.has(a.descriptor.annotations?.[REFERENCE_DIGEST] ?? ''));

  const manifests = [
    ...opts.platforms.map((p) => byPlatform.get(p)!.descriptor),
    ...attached.map((a) => a.descriptor),
  ];
  const index = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: OCI_INDEX,
      manifests,
      ...(opts.annotations && Object.keys(opts.annotations).length > 0
        ? { annotations: opts.annotations }
        : {}),
    }),
  );

  let digest = '';
  for (const t of targets) {
    const client = opts.client(t.registry);
    for (const d of manifests) await copyManifest(source, { ...t, client }, d.digest);
    for (const tag of opts.tags) {
      digest = await client.putManifest(t.repository, tag, index, OCI_INDEX);
      opts.logger.info(`pushed ${t.name}:${tag} → ${digest}`);
    }
  }
  return {
    digest,
    references: targets.map((t) => `${t.name}@${digest}`),
    platforms: Object.fromEntries(opts.platforms.map((p) => [p, byPlatform.get(p)!.descriptor.digest])),
    attestations: Object.fromEntries(
      attached.map((a) => [a.descriptor.annotations![REFERENCE_DIGEST], a.descriptor.digest]),
    ),
    index,
  };
}
