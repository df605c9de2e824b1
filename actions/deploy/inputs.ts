import { changeCauseProblem, kubeNameProblem, kubeconfigContentSecrets } from '@upgrade-actions/common';
import { imageOverridesProblem } from '@upgrade-actions/images';
import { defineAction, input } from '@upgrade-actions/toolkit';

export const deployAction = defineAction({
  name: 'deploy',
  description:
    "Apply Kubernetes manifests, follow every rollout with kubectl's messages, output the release descriptor, and roll back automatically when a rollout fails",
  inputs: {
    manifests: input.list({
      description:
        'Manifests to apply: files, directories (every .yaml, .yml, .json in them) or globs, one per line or comma-separated.',
      required: true,
      separator: 'newline-or-comma',
    }),
    namespace: input.string({
      check: (v) => kubeNameProblem(v, 'label', 'a namespace name'),
      description:
        "Namespace for objects that name none. Default: the kubeconfig context's namespace, else default.",
      default: '',
    }),
    images: input.string({
      check: imageOverridesProblem,
      description:
        'Image overrides, one name=reference per line (ghcr.io/acme/web=ghcr.io/acme/web@sha256:...), or a JSON object of name to reference (a build step output). Replaces the image of every container and init container running that image.',
      default: '',
    }),
    kubeconfig: input.string({
      description:
        'Kubeconfig path or content. Default: $KUBECONFIG, ~/.kube/config, or the pod service account.',
      default: '',
      secret: kubeconfigContentSecrets,
    }),
    context: input.string({
      description: 'Kubeconfig context to use. Default: its current-context.',
      default: '',
    }),
    'server-side': input.boolean({
      description:
        'Server-side apply (true), or kubectl client-side apply with its last-applied-configuration (false; needs kubectl on PATH).',
      default: 'true',
    }),
    'field-manager': input.string({
      description: 'Field manager name recorded for applied fields.',
      default: 'upgrade-actions',
      pattern: /^[\x20-\x7e]{1,128}$/,
      patternHint: '1 to 128 printable ASCII characters',
    }),
    'change-cause': input.string({
      check: changeCauseProblem,
      description:
        'Recorded as kubernetes.io/change-cause on each workload, shown by kubectl rollout history. Empty: none.',
      default: '',
    }),
    timeout: input.duration({
      description: 'How long to wait for all rollouts together, e.g. 5m. 0: no limit.',
      default: '5m',
    }),
    wait: input.boolean({
      description: 'Wait for every Deployment, StatefulSet and DaemonSet rollout to finish.',
      default: 'true',
    }),
    'api-check': input.boolean({
      description:
        "Before applying, refuse objects whose API is removed at the cluster's Kubernetes version (deprecated ones are warnings).",
      default: 'true',
    }),
    'rollback-on-failure': input.boolean({
      description:
        'When a rollout fails (progress deadline, pods never ready, timeout), roll the whole release back and fail the step.',
      default: 'true',
    }),
    'forbid-latest': input.boolean({
      description: 'Refuse images tagged latest or with no tag (production policy).',
      default: 'true',
    }),
    'require-digest': input.boolean({
      description: 'Refuse images not pinned by digest (name@sha256:...).',
      default: 'false',
    }),
    'allow-failed-revision': input.boolean({
      description:
        'Deploy a pod template that a rollback marked failed (upgrade-actions.io/failed-template) anyway.',
      default: 'false',
    }),
    'lock-timeout': input.duration({
      description: "How long an automatic rollback waits for another run's Lease on the same workload.",
      default: '2m',
    }),
  },
  outputs: {
    release:
      'Release descriptor (JSON, version v1): cluster, namespace, images, and each workload with its revision before and after',
    'rolled-back':
      'When a rollout failed and the release was rolled back: JSON of workload to {from, to, revision}; else empty',
    applied: 'JSON array of the applied objects: name, namespace, action (created, configured, unchanged)',
  },
});
