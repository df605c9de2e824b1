import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  checkOutputFile,
  ConfigurationError,
  parseDuration,
  runCancelHandlers,
  writeOutputFile,
} from '@upgrade-actions/common';
import { loadManifests } from '@upgrade-actions/kube';
import { parseStages, stagedRollout } from '@upgrade-actions/verify';
import { stagesSummary, stagesJson, verdictLine } from './stages-summary';
import { parseCommandArgs } from '../args';
import type { Command } from '../command';

const USAGE = `upgrade-actions stages --stages FILE -f MANIFESTS [options]

Staged rollout across environments (SEEDS.md §5): for each stage in order, deploy the release, soak it under
the health probe (pods, the --url targets, no Warning events from the release's objects), run the smoke
tests, then go on. A stage that fails its gate, meets an error, or is interrupted (SIGTERM, Ctrl-C) is
rolled back and the rollout stops: later stages are not touched. Prints a summary per stage (promoted,
rolled back, failed, rollback failed, not reached; time in soak) and the same as JSON on standard output;
exits 1 when a stage did not pass.

      --stages FILE          YAML: stages: [{name, kubeconfig, context?, soak, timeout?}] (30m, 1800s, 0)
  -f, --filename PATH        manifests (repeatable)
  -n, --namespace NS         namespace for objects that name none
      --image NAME=REF       image override (repeatable)
      --url TARGET           health target during the soak: URL or svc[.ns]:port/path (repeatable)
      --interval D           round interval during a soak (default 30s)
      --failure-threshold N  consecutive failed rounds that fail a soak (default 3)
      --timeout D            deploy timeout of a stage whose entry sets none (default 5m; 0: no limit)
      --smoke-file FILE      smoke tests after each soak
      --smoke-base-url URL   their base URL (a URL or svc[.ns]:port)
  -o, --output FILE          also write the JSON summary to FILE (checked before the first stage)`;

export const stagesCommand: Command = {
  name: 'stages',
  summary: 'Roll a release out stage by stage (deploy, soak, smoke), rolling back the stage that fails',
  usage: USAGE,
  handlesSignals: true,
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
          timeout: { type: 'string' },
          output: { type: 'string', short: 'o' },
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
    const deployTimeoutMs = parseDuration(v.timeout ?? '5m', '--timeout');
    const intervalMs = parseDuration(v.interval ?? '30s', '--interval');
    const output = v.output ? checkOutputFile(v.output, '--output', ctx.cwd) : undefined;
    const manifests = loadManifests(v.filename, { cwd: ctx.cwd });
    const smokeFile = v['smoke-file'] ? read(v['smoke-file'], '--smoke-file') : undefined;
    // A signal stops the stage running and rolls it back (the engine); a second one does not wait for
    // that rollback: the cancel handlers give its Leases back and the process ends.
    const interrupt = new AbortController();
    const onSignal = (signal: NodeJS.Signals) => {
      if (!interrupt.signal.aborted) {
        ctx.logger.warning(`${signal}: interrupting the stage running; it is rolled back before exit`);
        interrupt.abort(signal);
        return;
      }
      ctx.stderr(
        `error: ${signal} again: the rollback was cut short; check the stage with upgrade-actions rollback\n`,
      );
      void runCancelHandlers(3000).finally(() => process.exit(1));
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
    let outcomes;
    try {
      outcomes = await stagedRollout({
        stages,
        manifests,
        namespace: v.namespace ?? '',
        images: (v.image ?? []).join('\n'),
        healthUrls: v.url ?? [],
        intervalMs,
        failureThreshold: Number(threshold),
        smokeFile,
        smokeBaseUrl: v['smoke-base-url'],
        deployTimeoutMs,
        signal: interrupt.signal,
        logger: ctx.logger,
      });
    } finally {
      process.off('SIGTERM', onSignal);
      process.off('SIGINT', onSignal);
    }
    for (const line of stagesSummary(outcomes)) ctx.logger.info(line);
    const json = JSON.stringify(stagesJson(outcomes));
    ctx.stdout(json + '\n');
    if (output) writeOutputFile(output, json + '\n', '--output');
    const stopped = outcomes.find((o) => o.result !== 'promoted' && o.result !== 'not reached');
    if (stopped) ctx.stderr(`error: ${verdictLine(stopped)}\n`);
    if (stopped?.interrupted) {
      // Nothing of the stopped stage may keep the process alive (a soak's timers): it ends once the
      // output is out.
      setTimeout(() => process.exit(1), 1000).unref();
    }
    return outcomes.every((o) => o.result === 'promoted') ? 0 : 1;
  },
};
