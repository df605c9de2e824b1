import { defineAction, input } from '@upgrade-actions/toolkit';

/** The merge-check action: its inputs and outputs, the single source of truth for merge-check/action.yml. */
export const mergeCheck = defineAction({
  name: 'merge-check',
  description:
    'Block merges that conflict: merge the pull request into its base with git merge-tree (no checkout), annotate every conflicting file with its reason and line, and catch YAML/JSON manifests a clean merge breaks',
  inputs: {
    base: input.string({
      description:
        'Branch, tag or commit the pull request merges into. Default: the base SHA of the pull_request, pull_request_target or merge_group event',
      default: '',
    }),
    head: input.string({
      description: 'Branch, tag or commit to merge into base. Default: the head SHA of the event',
      default: '',
    }),
    'working-directory': input.string({
      description: 'The repository to check (any folder inside it), relative to the workspace',
      default: '.',
    }),
    remote: input.string({
      description:
        'Remote to fetch missing commits from: after actions/checkout with fetch-depth 1 neither side has its history',
      default: 'origin',
    }),
    'fetch-depth': input.integer({
      description:
        'Commits fetched first into a shallow clone; the history is deepened by doubling steps until the merge base appears',
      default: '50',
      min: 1,
      max: 100000,
    }),
    'fail-on-conflict': input.boolean({
      description: 'Fail the step (exit 1) when the merge conflicts or breaks a manifest',
      default: 'true',
    }),
    'check-manifests': input.boolean({
      description:
        'After a clean merge, parse every YAML and JSON file the pull request (head) changes, as merged, and fail on an invalid document or a duplicate key',
      default: 'true',
    }),
    token: input.string({
      description:
        'GitHub token (e.g. github.token with pull-requests: write) for the sticky PR comment and the conflict label; empty: neither',
      default: '',
      secret: true,
    }),
    comment: input.boolean({
      description: 'With a token: keep one comment on the pull request up to date with the result',
      default: 'true',
    }),
    'conflict-label': input.string({
      description:
        'With a token: label added to a conflicting pull request and removed once it merges cleanly; empty: no label',
      default: 'merge-conflict',
    }),
  },
  outputs: {
    conflicted: 'true when the merge conflicts or breaks a manifest, false when it is clean',
    files: 'JSON array of {path, reason, line?, message} for every conflicting file or broken manifest',
    'merge-tree': 'SHA of the merged tree when the merge is clean; empty when it is not',
    'merge-base': 'SHA of the merge base of base and head',
  },
});
