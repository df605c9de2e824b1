import { ConfigurationError } from '@upgrade-actions/common';
import {
  KIND_RELEASES,
  KUBECTL_RELEASES,
  kindRelease,
  kubectlRelease,
  normalizeVersion,
  type Arch,
} from './versions';

export type Tool = 'kind' | 'kubectl';

/** One verified download: where from, what it must hash to, and where the tool cache files it. */
export interface Download {
  tool: Tool;
  version: string;
  arch: Arch;
  url: string;
  sha256: string;
}

export interface DownloadRequest {
  tool: Tool;
  version: string;
  arch: Arch;
  baseUrl: string;
  /** A checksum the user vouches for (input `<tool>-sha256`), used instead of the table. */
  sha256?: string;
}

/** The download URL exactly as the release sites lay them out. */
export function downloadUrl(tool: Tool, version: string, arch: Arch, baseUrl: string): string {
  const base = baseUrl.replace(/\/+$/, '');
  return tool === 'kind'
    ? `${base}/${version}/kind-linux-${arch}`
    : `${base}/${version}/bin/linux/${arch}/kubectl`;
}

/**
 * Decides what to download and which sha256 it must have. A version or architecture without a pinned
 * checksum is refused here, before anything is fetched, naming the input that would vouch for one.
 */
export function resolveDownload(req: DownloadRequest): Download {
  const version = normalizeVersion(req.version);
  const input = `${req.tool}-version`;
  if (!/^v\d+\.\d+\.\d+$/.test(version))
    throw new ConfigurationError(
      `Input '${input}' must be a release such as v1.2.3, got ${JSON.stringify(req.version)}`,
    );
  const url = downloadUrl(req.tool, version, req.arch, req.baseUrl);
  if (req.sha256) return { tool: req.tool, version, arch: req.arch, url, sha256: req.sha256.toLowerCase() };

  const releases = req.tool === 'kind' ? KIND_RELEASES : KUBECTL_RELEASES;
  const release = req.tool === 'kind' ? kindRelease(version) : kubectlRelease(version);
  const pinnedFor = (arch: Arch) => releases.filter((r) => r.binaries[arch].sha256).map((r) => r.version);
  if (!release)
    throw new ConfigurationError(
      `no pinned checksum for ${req.tool} ${version}: it is not in this action's table ` +
        `(pinned for linux/${req.arch}: ${pinnedFor(req.arch).join(', ')}); pass '${req.tool}-sha256' ` +
        `with the checksum from its release page, or choose one of those in '${input}'`,
    );
  const pin = release.binaries[req.arch];
  if (!pin.sha256)
    throw new ConfigurationError(
      `no pinned checksum for ${req.tool} ${version} linux/${req.arch}${pin.note ? ` (${pin.note})` : ''}; ` +
        `pass '${req.tool}-sha256' or choose '${input}' among ${pinnedFor(req.arch).join(', ')}`,
    );
  return { tool: req.tool, version, arch: req.arch, url, sha256: pin.sha256 };
}
