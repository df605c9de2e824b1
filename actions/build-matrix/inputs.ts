import { defineAction, input } from '@upgrade-actions/toolkit';

export const buildMatrixAction = defineAction({
  name: 'build-matrix',
  description:
    'Multi-arch images by digest: the platform matrix and tags for the build jobs (mode matrix), then one image index merged from the per-platform digests through the registry API, without docker (mode merge)',
  inputs: {
    mode: input.choice(['matrix', 'merge'] as const, {
      description:
        'matrix: compute the build matrix, tags, labels and annotations. merge: push one index made of the per-platform digests under every tag.',
      default: 'matrix',
    }),
    images: input.list({
      description:
        'Image names without tag, one per line (ghcr.io/acme/web). In merge mode the digests are read from the first.',
      required: true,
    }),
    platforms: input.list({
      description:
        'Platforms to build (matrix) or that must each be in the index once (merge), comma- or newline-separated.',
      default: 'linux/amd64,linux/arm64',
      separator: 'newline-or-comma',
    }),
    tags: input.list({
      description:
        "Tag rules, one per line, in docker/metadata-action's syntax: type=sha, type=ref,event=branch|pr|tag, type=semver,pattern={{version}}, type=raw,value=…; a plain value is raw. latest is never added implicitly.",
      default: 'type=sha',
    }),
    labels: input.list({
      description:
        'Extra OCI labels and annotations, one key=value per line, over the generated org.opencontainers.image.* ones.',
      default: '',
    }),
    runners: input.list({
      description:
        'platform=runner lines. Default: linux/amd64=ubuntu-latest, linux/arm64=ubuntu-24.04-arm (native, no QEMU).',
      default: '',
    }),
    'forbid-latest': input.boolean({
      description: 'Fail when a tag rule yields latest: production never runs latest.',
      default: 'true',
    }),
    digests: input.string({
      description:
        "merge: the per-platform digests (sha256:…), one per line, or a directory of files named after them (docker's guide writes /tmp/digests/<hex>).",
      default: '',
    }),
    username: input.string({
      description: 'Registry username for merge. Empty: the runner’s ~/.docker/config.json, else anonymous.',
      default: '',
    }),
    password: input.string({
      description: 'Registry password or token for merge. Masked.',
      default: '',
      secret: true,
    }),
  },
  outputs: {
    matrix: 'JSON for strategy.matrix: {"include":[{platform, runner, slug, cache-scope}]}',
    tags: 'Full image references, one per line (every image with every tag)',
    labels: 'OCI labels, one key=value per line',
    annotations: 'OCI annotations (index level), one key=value per line',
    version: 'The version: the first semver tag, else the first tag',
    json: 'JSON of {tags, labels, annotations, version}',
    digest: 'merge: the digest of the index, the sha256 of the bytes the registry serves',
    references: 'merge: image@digest, one per line (deploy’s images input takes it as it is)',
    platforms: 'merge: JSON of platform to image manifest digest',
  },
});
