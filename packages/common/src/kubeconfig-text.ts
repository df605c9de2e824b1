/**
 * A `kubeconfig` input is the file's content when it has several lines or starts like YAML/JSON; anything
 * else is a path. Here, with no dependency, so an action can mask content while it parses its inputs
 * without loading the Kubernetes client (start-up): the whole content is masked at once, each credential
 * in it (kube's kubeconfigInputSecrets) once the engine is loaded, before anything connects.
 */
export function isKubeconfigContent(value: string): boolean {
  const v = value.trim();
  return v.includes('\n') || v.startsWith('apiVersion') || v.startsWith('{');
}

/** What to mask while inputs are parsed: kubeconfig content whole; a path is not a secret. */
export function kubeconfigContentSecrets(value: string): string[] {
  return isKubeconfigContent(value) ? [value] : [];
}
