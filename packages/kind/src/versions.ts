/**
 * What this repository pins, so that a run installs exactly the bytes somebody reviewed.
 *
 * Sources (read 2026-11): kind's release notes ("Images pre-built for this release", the only images
 * guaranteed to work with that kind release, always by digest), kind's `pkg/apis/config/defaults/image.go`
 * at each tag (the release's default image), and the published `kind-linux-<arch>.sha256sum` /
 * `kubectl.sha256` values as repeated, identically, by several independent public repositories that pin
 * them. A checksum we could not find stays `null` with a note: the installer then refuses that
 * version/arch instead of installing unverified bytes (pass `kind-sha256` / `kubectl-sha256` to vouch for
 * one yourself).
 */
export type Arch = 'amd64' | 'arm64';
export const ARCHES: readonly Arch[] = ['amd64', 'arm64'];

export interface Pin {
  sha256: string | null;
  /** Why the checksum is missing, shown to the user. */
  note?: string;
}

export interface NodeImage {
  /** Full Kubernetes version, `v1.36.1`. */
  kubernetes: string;
  /** `kindest/node:<tag>@sha256:<digest>`. */
  image: string;
}

export interface KindRelease {
  version: string;
  binaries: Record<Arch, Pin>;
  /** The release's default node image (kind's own default when no image is given). */
  defaultKubernetes: string;
  /** Newest first. */
  nodeImages: NodeImage[];
}

export const KIND_RELEASES: readonly KindRelease[] = [
  {
    version: 'v0.32.0',
    binaries: {
      amd64: { sha256: '50030de23cf40a18505f20426f6a8506bedf13c6e509244bd1fa9463721b0f54' },
      arm64: { sha256: 'b92cd615e97585de8ddade28ed5cd7feb4248d717c233eea5b03c37298900f5d' },
    },
    defaultKubernetes: 'v1.36.1',
    nodeImages: [
      {
        kubernetes: 'v1.36.1',
        image: 'kindest/node:v1.36.1@sha256:3489c7674813ba5d8b1a9977baea8a6e553784dab7b84759d1014dbd78f7ebd5',
      },
      {
        kubernetes: 'v1.35.5',
        image: 'kindest/node:v1.35.5@sha256:ce977ae6d65918d0b58a5f8b5e940429c2ce42fa3a5619ec2bbc60b949c0ac95',
      },
      {
        kubernetes: 'v1.34.8',
        image: 'kindest/node:v1.34.8@sha256:02722c2dedddcfc00febf5d27fbeb9b7b2c14294c82109ff4a85d89ac9ba3256',
      },
      {
        kubernetes: 'v1.33.12',
        image:
          'kindest/node:v1.33.12@sha256:3f5c8443c620245e4d355cfe09e96a91ead32ceaa569d3f1ca9edf0cb2fe2ff4',
      },
    ],
  },
  {
    version: 'v0.31.0',
    binaries: {
      amd64: { sha256: 'eb244cbafcc157dff60cf68693c14c9a75c4e6e6fedaf9cd71c58117cb93e3fa' },
      arm64: { sha256: '8e1014e87c34901cc422a1445866835d1e666f2a61301c27e722bdeab5a1f7e4' },
    },
    defaultKubernetes: 'v1.35.0',
    nodeImages: [
      {
        kubernetes: 'v1.35.0',
        image: 'kindest/node:v1.35.0@sha256:452d707d4862f52530247495d180205e029056831160e22870e37e3f6c1ac31f',
      },
      {
        kubernetes: 'v1.34.3',
        image: 'kindest/node:v1.34.3@sha256:08497ee19eace7b4b5348db5c6a1591d7752b164530a36f855cb0f2bdcbadd48',
      },
      {
        kubernetes: 'v1.33.7',
        image: 'kindest/node:v1.33.7@sha256:d26ef333bdb2cbe9862a0f7c3803ecc7b4303d8cea8e814b481b09949d353040',
      },
      {
        kubernetes: 'v1.32.11',
        image:
          'kindest/node:v1.32.11@sha256:5fc52d52a7b9574015299724bd68f183702956aa4a2116ae75a63cb574b35af8',
      },
      {
        kubernetes: 'v1.31.14',
        image:
          'kindest/node:v1.31.14@sha256:6f86cf509dbb42767b6e79debc3f2c32e4ee01386f0489b3b2be24b0a55aac2b',
      },
    ],
  },
];

export interface KubectlRelease {
  version: string;
  binaries: Record<Arch, Pin>;
}

export const KUBECTL_RELEASES: readonly KubectlRelease[] = [
  {
    version: 'v1.36.1',
    binaries: {
      amd64: { sha256: '629d3f410e09bf49b64ae7079f7f0bda1191efed311f7d37fdbab0ad5b0ec2b7' },
      arm64: {
        sha256: null,
        note: 'no reviewed copy of dl.k8s.io/release/v1.36.1/bin/linux/arm64/kubectl.sha256 was available when this table was written',
      },
    },
  },
  {
    version: 'v1.35.5',
    binaries: {
      amd64: { sha256: '90f75ea6ecc9ea5633262e1c0b83a40560003b30fc94a04cb099404fcef0c224' },
      arm64: { sha256: 'ac69e06fd6860d69786692f5af1c3a1208ed54f8366a4d97ab15c172e99765ee' },
    },
  },
  {
    version: 'v1.35.0',
    binaries: {
      amd64: { sha256: 'a2e984a18a0c063279d692533031c1eff93a262afcc0afdc517375432d060989' },
      arm64: { sha256: '58f82f9fe796c375c5c4b8439850b0f3f4d401a52434052f2df46035a8789e25' },
    },
  },
];

/** The defaults of the action: the newest kind release and a kubectl pinned for both architectures. */
export const DEFAULT_KIND_VERSION = 'v0.32.0';
export const DEFAULT_KUBECTL_VERSION = 'v1.35.5';

export const DEFAULT_KIND_BASE_URL = 'https://github.com/kubernetes-sigs/kind/releases/download';
export const DEFAULT_KUBECTL_BASE_URL = 'https://dl.k8s.io/release';

/** `0.32.0`, `v0.32.0` → `v0.32.0`. */
export function normalizeVersion(v: string): string {
  const t = v.trim();
  return t.startsWith('v') ? t : `v${t}`;
}

export function kindRelease(version: string): KindRelease | undefined {
  return KIND_RELEASES.find((r) => r.version === normalizeVersion(version));
}

export function kubectlRelease(version: string): KubectlRelease | undefined {
  return KUBECTL_RELEASES.find((r) => r.version === normalizeVersion(version));
}

/** Node's `process.arch` as the download sites name it; anything else has no kind build for Linux. */
export function archOf(nodeArch: string): Arch | undefined {
  if (nodeArch === 'x64') return 'amd64';
  if (nodeArch === 'arm64') return 'arm64';
  return undefined;
}
