import path from 'node:path';
import { isKubeconfigContent, type KubeConfigSource } from '@upgrade-actions/kube';

/**
 * A `kubeconfig` input is a path or the file's content (a secret): content has several lines or
 * starts like YAML/JSON; anything else is a path, relative to the workspace. Empty: kubectl's
 * defaults ($KUBECONFIG, ~/.kube/config, or in-cluster).
 */
export function kubeconfigSource(value: string, context: string, cwd: string): KubeConfigSource {
  const v = value.trim();
  const ctx = context.trim() || undefined;
  if (!v) return { context: ctx, inCluster: 'auto' };
  if (isKubeconfigContent(v)) return { content: v, context: ctx };
  return { path: path.resolve(cwd, v), context: ctx };
}
