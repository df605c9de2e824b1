import { kubeconfigInputSecrets } from '@upgrade-actions/kube';
import { defineAction, input } from '@upgrade-actions/toolkit';

export const apiCheckAction = defineAction({
  name: 'api-check',
  description:
    'Find deprecated and removed Kubernetes API versions in manifests or a live cluster before an upgrade',
  inputs: {
    paths: input.list({
      description:
        'Manifests to check: files, directories (every .yaml, .yml, .json under them) or globs, one per line or comma-separated. Empty with a kubeconfig: check only the cluster.',
      default: '',
      separator: 'newline-or-comma',
    }),
    'target-version': input.string({
      description:
        "Kubernetes release to check against, e.g. 1.29. Default: the cluster's version when a kubeconfig is given, else the newest release known.",
      default: '',
    }),
    'latest-version': input.string({
      description:
        'The newest Kubernetes release, for the N-2 policy warning (cluster more than two minors behind). Default: the newest release known.',
      default: '',
    }),
    'component-versions': input.list({
      description:
        'Releases of CRD ecosystems to check their APIs against, e.g. cert-manager=1.5, istio=1.5. Default: their newest known.',
      default: '',
      separator: 'newline-or-comma',
    }),
    'fail-on': input.choice(['removed', 'deprecated', 'none'] as const, {
      description:
        'Fail the step when an API is removed at the target (removed), deprecated or removed (deprecated), or never (none).',
      default: 'removed',
    }),
    'sarif-file': input.string({
      description:
        'Write a SARIF 2.1.0 file here for github/codeql-action/upload-sarif (code scanning). Empty: none.',
      default: '',
    }),
    kubeconfig: input.string({
      description:
        "Kubeconfig path or content: also check the live objects' last-applied configuration, and default target-version to the cluster's version.",
      default: '',
      secret: kubeconfigInputSecrets,
    }),
    context: input.string({
      description: 'Kubeconfig context to use. Default: its current-context.',
      default: '',
    }),
  },
  outputs: {
    findings:
      'JSON array of findings: file, documentIndex, apiVersion, kind, name, namespace, deprecatedIn, removedIn, replacement, deprecated, removed',
    deprecated: 'Number of objects using an API deprecated (but still served) at the target',
    removed: 'Number of objects using an API removed at the target',
    'target-version': 'The Kubernetes release checked against, e.g. 1.29',
  },
});
