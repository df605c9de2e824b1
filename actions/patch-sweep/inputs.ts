import { kubeconfigContentSecrets } from '@upgrade-actions/common';
import { defineAction, input } from '@upgrade-actions/toolkit';

/** The patch-sweep action: its inputs and outputs, the single source of truth for patch-sweep/action.yml. */
export const patchSweepAction = defineAction({
  name: 'patch-sweep',
  description:
    'Scheduled security-patch sweeps: bump every image reference in manifests, Helm values and kustomizations to its newest patch release (same major.minor, same variant, never a pre-release), and open or update one pull request',
  inputs: {
    paths: input.list({
      description:
        'Files to sweep: globs relative to working-directory, one per line or comma-separated. Default: every .yaml and .yml file.',
      default: '',
      separator: 'newline-or-comma',
    }),
    include: input.list({
      description:
        'Only images matching these patterns (* matches anything, e.g. ghcr.io/acme/*), one per line or comma-separated. Default: all.',
      default: '',
      separator: 'newline-or-comma',
    }),
    exclude: input.list({
      description: 'Images matching these patterns are left alone, one per line or comma-separated.',
      default: '',
      separator: 'newline-or-comma',
    }),
    'pin-digest': input.boolean({
      description:
        'Also pin each bumped reference to the digest of its new tag (tag@sha256:…). References already pinned are re-pinned either way.',
      default: 'false',
    }),
    branch: input.string({
      description:
        'The branch the sweep commits to and force-pushes; its open pull request is edited on the next run.',
      default: 'upgrade-actions/patch-sweep',
    }),
    base: input.string({
      description: "The branch the pull request merges into. Default: the repository's default branch.",
      default: '',
    }),
    token: input.string({
      description:
        'GitHub token to push the branch (https remotes) and open the pull request; needs contents: write and pull-requests: write.',
      default: '${{ github.token }}',
      secret: true,
    }),
    'dry-run': input.boolean({
      description: 'Only report the updates: no commit, no push, no pull request.',
      default: 'false',
    }),
    'working-directory': input.string({
      description: 'The checkout to sweep (paths are relative to it), relative to the workspace.',
      default: '.',
    }),
    kubeconfig: input.string({
      description:
        "Kubeconfig path or content: also report the cluster's Kubernetes version against the N-2 policy. Empty: no cluster.",
      default: '',
      secret: kubeconfigContentSecrets,
    }),
    context: input.string({
      description: 'Kubeconfig context to use. Default: its current-context.',
      default: '',
    }),
  },
  outputs: {
    updates: 'JSON array of the bumps: [{file, line, image, from, to}] (and digest when pinned)',
    'pull-request-number':
      'The number of the pull request opened or updated; empty when there was nothing to do or in a dry run',
    'pull-request-url': 'Its URL; empty when there was nothing to do or in a dry run',
  },
});
