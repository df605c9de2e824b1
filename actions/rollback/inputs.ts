import { kubeNameProblem, kubeconfigContentSecrets, workloadRefProblem } from '@upgrade-actions/common';
import { defineAction, input } from '@upgrade-actions/toolkit';

export const rollbackAction = defineAction({
  name: 'rollback',
  description:
    'Roll back every workload of a release (or named workloads) with kubectl rollout undo semantics, wait, verify, mark the failed revision, and notify',
  inputs: {
    release: input.string({
      description:
        'The release output of the deploy step (JSON). Rolls back each workload it changed to its revision before the release.',
      default: '',
    }),
    workloads: input.list({
      description:
        'Instead of a release: workloads as TYPE/NAME or NAMESPACE/TYPE/NAME (deployment, statefulset, daemonset), one per line or comma-separated.',
      default: '',
      separator: 'newline-or-comma',
      check: workloadRefProblem,
    }),
    namespace: input.string({
      check: (v) => kubeNameProblem(v, 'label', 'a namespace name'),
      description:
        "Namespace of workloads given without one. Default: the kubeconfig context's namespace, else default.",
      default: '',
    }),
    'to-revision': input.integer({
      description:
        'Revision to roll back to, as kubectl rollout history numbers it. 0: the revision before the release (or the previous one).',
      default: '0',
      min: 0,
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
    reason: input.string({
      description: 'Why: recorded in the failed-revision mark on each workload and in every notification.',
      default: 'rollback requested',
    }),
    wait: input.boolean({ description: 'Wait for the restored rollouts and verify them.', default: 'true' }),
    timeout: input.duration({
      description: 'How long to wait for each restored rollout, e.g. 5m. 0: no limit.',
      default: '5m',
    }),
    'lock-timeout': input.duration({
      description: "How long to wait for another run's Lease on the same workload before failing.",
      default: '2m',
    }),
    'slack-webhook': input.string({
      description: 'Slack (or Mattermost, Rocket.Chat) incoming webhook URL to notify. Masked. Empty: none.',
      default: '',
      secret: true,
    }),
    webhook: input.string({
      description: 'Generic webhook URL that receives a JSON rollback event. Masked. Empty: none.',
      default: '',
      secret: true,
    }),
    'github-token': input.string({
      description: 'Token for the sticky pull request comment and the deployment status. Empty: neither.',
      default: '',
      secret: true,
    }),
    comment: input.boolean({
      description: 'With a token, write the outcome as a sticky comment on the pull request of the event.',
      default: 'true',
    }),
    'deployment-id': input.string({
      description: 'GitHub Deployment id to set a status on (needs github-token). Empty: none.',
      default: '',
      pattern: /^\d*$/,
      patternHint: 'a deployment id (digits)',
    }),
    'deployment-state': input.choice(['failure', 'inactive', 'error'] as const, {
      description: 'The status to set on that deployment.',
      default: 'failure',
    }),
  },
  outputs: {
    'rolled-back':
      'JSON of workload to {from, to, revision}: the failed revision, the revision restored, and the revision number it now has',
    'duration-seconds': 'Seconds from the start of the rollback to the restored revisions verified',
    result:
      'rolled-back, already-rolled-back (nothing left to do), nothing (skipped), failed, or cancelled (the step was stopped; rolled-back says what it had done)',
  },
});
