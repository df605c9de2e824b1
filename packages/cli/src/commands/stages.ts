import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigurationError, parseDuration } from '@upgrade-actions/common';
import { loadManifests } from '@upgrade-actions/kube';
import { parseStages, stagedRollout } from '@upgrade-actions/verify';
import { parseCommandArgs } from '../args';
import type { Command } from '../command';

const USAGE = `upgrade-actions stages --stages FILE -f MANIFESTS [options]

Staged rollout across environments (SEEDS.md §5): for each stage in order, deploy the release, soak it under
the health probe (pods, the --url targets, no Warning events from the release's objects), run the smoke
tests, then go on; a failed gate rolls that stage back and stops. Prints each stage's outcome as JSON;
exits 1 when a stage failed.

      --stages FILE          YAML: stages: [{name, kubeconfig, context?, soak}] (soak: 30m, 1800s, 0)
  -f, --filename PATH        manifests (repeatable)
  -n, --namespace NS         namespace for objects that name none
      --image NAME=REF       image override (repeatable)
      --url TARGET           health target during the soak: URL or svc[.ns]:port/path (repeatable)
      --interval D           round interval during a soak (default 30s)
      --failure-threshold N  consecutive failed rounds that fail a soak (default 3)
      --smoke-file FILE      smoke tests after each soak
      --smoke-base-url URL   their base URL (a URL or svc[.ns]:port)`;

export const stagesCommand: Command = {
  name: 'stages',
  summary: 'Roll a release out stage by stage (deploy, soak, smoke), rolling back the stage that fails',
  usage: USAGE,
  flags: { stages: '--stages', manifests: '--filename', images: '--image', urls: '--url' },
  async run(ctx) {
    const { values: v } = parseCommandArgs(
      {
        args: ctx.argv,
        options: {
          stages: { type: 'string' },
          filename: { type: 'string', short: 'f', multiple: true },
          namespace: { type: 'string', short: 'n' },
          image: { type: 'string', multiple: true },
          url: { type: 'string', multiple: true },
          interval: { type: 'string' },
          'failure-threshold': { type: 'string' },
          'smoke-file': { type: 'string' },
          'smoke-base-url': { type: 'string' },
        },
      },
      USAGE,
    );
    if (!v.stages) throw new ConfigurationError(`--stages: give the stages file\n\n${USAGE}`);
    if (!v.filename?.length)
      throw new ConfigurationError(`--filename: give the release's manifests\n\n${USAGE}`);
    const threshold = v['failure-threshold'] ?? '3';
    if (!/^[1-9]\d*$/.test(threshold))
      throw new ConfigurationError(
        `--failure-threshold: must be a whole number of at least 1, got "${threshold}"`,
      );
    const read = (file: string, flag: string) => {
      try {
        return readFileSync(path.resolve(ctx.cwd, file), 'utf8');
      } catch (e) {
        throw new ConfigurationError(
          `${flag}: cannot read ${file} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`,
        );
      }
    };
    // A kubeconfig path is relative to the working directory, as kubectl's --kubeconfig; `~/` is the home
    // directory, as a shell would have expanded it on the command line (YAML is not expanded by one).
    const home = ctx.env.HOME || os.homedir();
    const stages = parseStages(read(v.stages, '--stages'), '--stages').map((s) => ({
      ...s,
      kubeconfig: path.resolve(ctx.cwd, s.kubeconfig.replace(/^~(?=$|\/)/, home)),
    }));
    const outcomes = await stagedRollout({
      stages,
      manifests: loadManifests(v.filename, { cwd: ctx.cwd }),
      namespace: v.namespace ?? '',
      images: (v.image ?? []).join('\n'),
      healthUrls: v.url ?? [],
      intervalMs: parseDuration(v.interval ?? '30s', '--interval'),
      failureThreshold: Number(threshold),
      smokeFile: v['smoke-file'] ? read(v['smoke-file'], '--smoke-file') : undefined,
      smokeBaseUrl: v['smoke-base-url'],
      logger: ctx.logger,
    });
    ctx.stdout(
      JSON.stringify(
        outcomes.map((o) => ({
          name: o.name,
          result: o.result,
          message: o.message,
          rolledBack: o.rolledBack,
        })),
      ) + '\n',
    );
    return outcomes.some((o) => o.result === 'failed') ? 1 : 0;
  },
};
