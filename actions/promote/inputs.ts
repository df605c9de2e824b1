import { kubeNameProblem, kubeconfigContentSecrets } from '@upgrade-actions/common';
import { imageOverridesProblem } from '@upgrade-actions/images';
import { defineAction, input } from '@upgrade-actions/toolkit';
import { analysisInputs, notificationInputs } from '../canary/analysis-inputs';

export const promoteAction = defineAction({
  name: 'promote',
  description:
    'Blue-green to production: green beside blue, validated through <service>-preview, traffic switched with one Service selector write, watched and switched back at once on failure; merges the pull request after validation and records a GitHub Deployment',
  inputs: {
    manifests: input.list({
      description:
        "The release's Deployment (and its Service): files, directories or globs, one per line or comma-separated. Promote applies only the Deployment, as the new colour.",
      required: true,
      separator: 'newline-or-comma',
    }),
    images: input.string({
      check: imageOverridesProblem,
      description:
        'Image overrides as deploy takes them: name=reference lines, references with a tag or digest, or a JSON object.',
      default: '',
    }),
    namespace: input.string({
      check: (v) => kubeNameProblem(v, 'label', 'a namespace name'),
      description: "Namespace of objects that name none. Default: the kubeconfig context's namespace.",
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
    service: input.string({
      check: (v) => kubeNameProblem(v, 'label', 'a Service name', ['-preview']),
      description:
        "The Service whose selector switches between colours. Default: the manifests' Service that selects the Deployment's pods.",
      default: '',
    }),
    ...analysisInputs,
    validation: input.duration({
      description: 'How long green is analysed through <service>-preview before the switch, e.g. 1m.',
      default: '1m',
    }),
    watch: input.duration({
      description: 'How long green is watched after the switch; a failed gate switches back to blue at once.',
      default: '30m',
    }),
    'scale-down-delay': input.duration({
      description: 'How long the old colour stays up after a successful watch, for connections to drain.',
      default: '30s',
    }),
    'max-duration': input.duration({
      description:
        'How long this run may take before it saves its place and exits 0 with phase progressing; the next run resumes. 0: until done.',
      default: '0',
    }),
    action: input.choice(['run', 'abort'] as const, {
      description:
        'run: start or resume the promotion. abort: stop the one in flight, traffic back on blue, exit 0.',
      default: 'run',
    }),
    timeout: input.duration({
      description: "How long green's rollout may take to become ready, e.g. 5m.",
      default: '5m',
    }),
    'lock-timeout': input.duration({
      description: "How long to wait for another run's Lease on the same workload before failing.",
      default: '2m',
    }),
    'forbid-latest': input.boolean({
      description: 'Refuse images tagged latest or untagged, as deploy does for production.',
      default: 'true',
    }),
    'require-digest': input.boolean({
      description: 'Refuse images not pinned by digest (name@sha256:…).',
      default: 'false',
    }),
    'merge-pull-request': input.string({
      description:
        'After validation and before the switch, merge the pull request of the event (or pull-request) with this method: merge, squash or rebase; refused when a required check is not green. Empty: no merge.',
      default: '',
      pattern: /^(merge|squash|rebase)?$/,
      patternHint: 'merge, squash or rebase (empty: no merge)',
    }),
    'pull-request': input.string({
      description: 'Pull request number to merge. Default: the pull request of the event.',
      default: '',
      pattern: /^\d*$/,
      patternHint: 'a pull request number (digits)',
    }),
    environment: input.string({
      description:
        'GitHub Environment to record a Deployment in (needs token): in_progress, then success or failure. Empty: none.',
      default: '',
    }),
    'environment-url': input.string({
      description: 'URL shown on the GitHub Deployment (the environment_url of its statuses).',
      default: '',
    }),
    ...notificationInputs,
  },
  outputs: {
    phase:
      'promoted | aborted (failed before the switch, traffic never moved) | rolled-back (failed after the switch, traffic back on blue) | progressing (stopped by max-duration)',
    active: 'The workload serving when the run ended',
    previous: 'The other colour',
    release: 'The release descriptor of the promoted (or attempted) workload',
    'deployment-id': 'The GitHub Deployment created for environment, or empty',
  },
});
