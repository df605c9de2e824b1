import { KubeConfig } from '@kubernetes/client-node/dist/config.js';
import { isKubeconfigContent } from '@upgrade-actions/common';
import { kubeconfigSecrets } from './auth';

export { isKubeconfigContent };

/**
 * What to mask for a `kubeconfig` input: a path is not a secret (the user must see which file is
 * missing); content is masked whole and each credential in it on its own (token, client key,
 * password, auth-provider tokens, exec env), since a value can appear alone in later output.
 */
export function kubeconfigInputSecrets(value: string): string[] {
  if (!isKubeconfigContent(value)) return [];
  const kc = new KubeConfig();
  try {
    kc.loadFromString(value);
  } catch {
    return [value]; // not parseable: the loader reports it later; mask the whole text meanwhile
  }
  return [value, ...kubeconfigSecrets({ kubeConfig: kc })];
}
