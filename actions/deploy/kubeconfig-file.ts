import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { KubectlAccess } from '@upgrade-actions/deploy';
import type { KubeConfigSource } from '@upgrade-actions/kube';

/**
 * Client-side apply runs kubectl, which reads a kubeconfig file: kubeconfig content is written to a
 * private temporary file for the duration of `fn` and removed afterwards, on failure too.
 */
export async function withKubeconfigFile<T>(
  source: KubeConfigSource,
  serverSide: boolean,
  fn: (kubectl: KubectlAccess) => Promise<T>,
): Promise<T> {
  if (serverSide || source.content === undefined)
    return fn({ kubeconfig: source.path, context: source.context });
  const dir = mkdtempSync(path.join(tmpdir(), 'kubeconfig-'));
  try {
    const file = path.join(dir, 'config');
    writeFileSync(file, source.content, { mode: 0o600 });
    return await fn({ kubeconfig: file, context: source.context });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
