import type { KubeObject } from './types';

export const REVISION_ANNOTATION = 'deployment.kubernetes.io/revision';

/**
 * The `deployment.kubernetes.io/revision` annotation as a number, 0 when absent (kubectl's
 * deploymentutil.Revision). Throws Go's strconv.ParseInt text when the annotation is not an integer.
 */
export function revisionOf(obj: KubeObject): number {
  const v = obj.metadata?.annotations?.[REVISION_ANNOTATION];
  if (v === undefined) return 0;
  if (!/^[+-]?\d+$/.test(v))
    throw new Error(`strconv.ParseInt: parsing ${JSON.stringify(v)}: invalid syntax`);
  const n = BigInt(v);
  if (n > 9223372036854775807n || n < -9223372036854775808n)
    throw new Error(`strconv.ParseInt: parsing ${JSON.stringify(v)}: value out of range`);
  return Number(n);
}

/** `Kind` or `Kind.group`, as Go prints a schema.GroupKind. */
export function groupKindOf(obj: KubeObject): string {
  const apiVersion = obj.apiVersion ?? '';
  const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
  return group ? `${obj.kind}.${group}` : `${obj.kind ?? ''}`;
}
