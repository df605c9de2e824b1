import { ConfigurationError } from '@upgrade-actions/common';
import type { Platform } from '@upgrade-actions/registry';

/** The platforms BuildKit builds for (`docker buildx ls`), os/arch[/variant]. */
const KNOWN = [
  'linux/amd64',
  'linux/amd64/v2',
  'linux/amd64/v3',
  'linux/arm64',
  'linux/arm64/v8',
  'linux/arm/v7',
  'linux/arm/v6',
  'linux/386',
  'linux/ppc64le',
  'linux/s390x',
  'linux/riscv64',
  'windows/amd64',
];

export const DEFAULT_PLATFORMS = ['linux/amd64', 'linux/arm64'];

/** `linux/arm64/v8` and `linux/arm64` are one platform (v8 is arm64's only variant), as containerd normalises it. */
export function normalizePlatform(p: string): string {
  return p === 'linux/arm64/v8' ? 'linux/arm64' : p;
}

export function parsePlatforms(items: string[], input = 'platforms'): string[] {
  const list = items.map((s) => s.trim()).filter(Boolean);
  if (list.length === 0) return [...DEFAULT_PLATFORMS];
  const seen = new Set<string>();
  for (const p of list) {
    if (!KNOWN.includes(p)) {
      throw new ConfigurationError(`${input}: "${p}" is not a platform; accepted: ${KNOWN.join(', ')}`);
    }
    const n = normalizePlatform(p);
    if (seen.has(n)) throw new ConfigurationError(`${input}: ${p} is listed twice`);
    seen.add(n);
  }
  return [...seen];
}

export function platformString(p: Platform): string {
  return normalizePlatform([p.os, p.architecture, p.variant].filter(Boolean).join('/'));
}

/** `linux/arm/v7` → `linux-arm-v7`: safe in artifact names and cache scopes. */
export function platformSlug(p: string): string {
  return p.replace(/\//g, '-');
}
