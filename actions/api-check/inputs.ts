import { kubeconfigContentSecrets } from '@upgrade-actions/common';
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
        'Fail the step when an API is not served at the target: removed or not yet available (removed); also when deprecated (deprecated); or never (none).',
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
      secret: kubeconfigContentSecrets,
    }),
    context: input.string({
      description: 'Kubeconfig context to use. Default: its current-context.',
      default: '',
    }),
  },
  outputs: {
    findings:
      'JSON array of findings: status, file, line, documentIndex, apiVersion, kind, name, namespace, target, availableIn, deprecatedIn, removedIn, replacement, advice, deprecated, removed, notYetAvailable',
    deprecated: 'Number of objects using an API deprecated (but still served) at the target',
    removed: 'Number of objects using an API removed at the target',
    'not-yet-available':
      'Number of objects using an API the target does not serve yet (introduced in a later release)',
    'target-version': 'The Kubernetes release checked against, e.g. 1.29',
  },
});
