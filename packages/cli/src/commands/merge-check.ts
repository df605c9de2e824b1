import path from 'node:path';
import { ConfigurationError } from '@upgrade-actions/common';
import { checkMerge, isManifestReason, textReport, type MergeCheckResult } from '@upgrade-actions/git';
import { parseCommandArgs } from '../args';
import type { Command } from '../command';

const usage = `upgrade-actions merge-check --base REF [--head REF] [options]

Merges HEAD into BASE in git's object store (git merge-tree --write-tree, git >= 2.38): no checkout,
the work tree and index are not touched. Lists every conflicting file with git's reason and the line
of the first conflict marker; after a clean merge, parses YAML/JSON files changed on both sides.
Missing commits are fetched from the remote (deepening a shallow clone until the merge base appears).

Options:
  --base REF             branch, tag or commit merged into (required), e.g. origin/main
  --head REF             branch, tag or commit to merge (default: HEAD)
  -C, --dir DIR          the repository (default: the current folder)
  --remote NAME          where missing commits are fetched from (default: origin)
  --fetch-depth N        first fetch depth in a shallow clone, doubled on each deepening (default: 50)
  --no-manifests         skip the YAML/JSON check
  --no-fail              exit 0 even when the merge conflicts
  --json                 print the result as JSON instead of a table

Exit codes: 0 clean, 2 textually clean but a YAML/JSON file is broken, 3 git conflicts,
1 an error (a ref that does not exist, not a git repository): as api-check, 1 is never a verdict.`;

export const mergeCheckCommand: Command = {
  name: 'merge-check',
  summary: 'Check that a branch merges cleanly into its base, without a checkout',
  usage,
  flags: { 'working-directory': '--dir', remote: '--remote', 'fetch-depth': '--fetch-depth' },
  async run(ctx) {
    const { values } = parseCommandArgs(
      {
        args: ctx.argv,
        allowPositionals: false,
        options: {
          base: { type: 'string' },
          head: { type: 'string', default: 'HEAD' },
          dir: { type: 'string', short: 'C', default: '.' },
          remote: { type: 'string', default: 'origin' },
          'fetch-depth': { type: 'string', default: '50' },
          'no-manifests': { type: 'boolean', default: false },
          'no-fail': { type: 'boolean', default: false },
          json: { type: 'boolean', default: false },
        },
      },
      usage,
    );
    if (values.base === undefined)
      throw new ConfigurationError(
        '--base is required: the branch, tag or commit to merge into (e.g. origin/main)',
      );
    const depth = Number(values['fetch-depth']);
    if (!/^\d+$/.test(values['fetch-depth']) || depth < 1)
      throw new ConfigurationError(
        `--fetch-depth must be a whole number of at least 1, got "${values['fetch-depth']}"`,
      );
    const result = await checkMerge({
      cwd: path.resolve(ctx.cwd, values.dir),
      base: values.base,
      head: values.head,
      checkManifests: !values['no-manifests'],
      fetch: { remote: values.remote, depth },
      logger: ctx.logger,
    });
    ctx.stdout(values.json ? JSON.stringify(result, null, 2) + '\n' : textReport(result));
    return values['no-fail'] ? 0 : mergeExitCode(result);
  },
};

/** Pure: the verdict as an exit code, kept apart from 1 (an error) so a script can tell them apart. */
export function mergeExitCode(r: MergeCheckResult): 0 | 2 | 3 {
  if (!r.conflicted) return 0;
  return r.files.some((f) => !isManifestReason(f.reason)) ? 3 : 2;
}
