import { ConfigurationError } from '@upgrade-actions/common';

/** A release line, major.minor: patch levels never change which APIs are served. */
export interface Minor {
  major: number;
  minor: number;
}

const VERSION = /^v?(\d+)\.(\d+)(?:\.\d+)?(?:[-+].*)?$/;

/** Reads `1.25`, `v1.25`, `1.25.3`, `v1.29.2-gke.100` (what /version's gitVersion looks like); null otherwise. */
export function parseMinor(text: string): Minor | null {
  const m = VERSION.exec(text.trim());
  return m ? { major: Number(m[1]), minor: Number(m[2]) } : null;
}

/** Like parseMinor, but a bad value is the user's to fix: the error names the input. */
export function requireMinor(text: string, inputName: string): Minor {
  const v = parseMinor(text);
  if (!v)
    throw new ConfigurationError(
      `${inputName} must be a Kubernetes version such as 1.29 or v1.29.3, got ${JSON.stringify(text)}`,
    );
  return v;
}

export function compareMinor(a: Minor, b: Minor): number {
  return a.major - b.major || a.minor - b.minor;
}

export function formatMinor(v: Minor): string {
  return `${v.major}.${v.minor}`;
}

/** How many minor releases `older` is behind `newer` (same major assumed, as for all of Kubernetes 1.x). */
export function minorsBehind(older: Minor, newer: Minor): number {
  return (newer.major - older.major) * 100 + (newer.minor - older.minor);
}
