import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseCommandArgs } from '../args';
import type { Command } from '../command';
import { ConfigurationError } from '@upgrade-actions/common';
import { apiCheckStage } from '../demo/api-check-stage';
import { buildMatrixStage } from '../demo/build-matrix-stage';
import { canaryStage } from '../demo/canary-stage';
import { clusterStage } from '../demo/cluster-stage';
import { mergeCheckStage } from '../demo/merge-check-stage';
import { patchSweepStage } from '../demo/patch-sweep-stage';
import { promoteStage } from '../demo/promote-stage';
import type { DemoStage } from '../demo/stage';

/** The pipeline demo's stages, in order; later issues append theirs. */
export const demoStages: DemoStage[] = [
  mergeCheckStage,
  buildMatrixStage,
  apiCheckStage,
  clusterStage,
  canaryStage,
  promoteStage,
  patchSweepStage,
];

const STAGE_WIDTH = Math.max(...demoStages.map((s) => s.name.length));

export const demoCommand: Command = {
  name: 'demo',
  summary: 'Run the pipeline demo on repositories and a cluster it creates itself',
  usage:
    'upgrade-actions demo [--stage NAME]... [--keep]\n\n' +
    'Runs the pipeline stage by stage on what it creates in a temp folder: git repositories, a local registry\n' +
    '(docker-registry), the embedded Kubernetes simulator and a local pull-request API. Each stage ends with\n' +
    '✓ or ✗ lines; exits 0 when every stage behaved as expected.\n\n' +
    'Stages, in order:\n' +
    demoStages.map((s) => `  ${s.name.padEnd(STAGE_WIDTH)}  ${s.summary}\n`).join('') +
    '\nbuild-matrix and patch-sweep need docker-registry: npm run demo installs it when run as root\n' +
    '(scripts/install-system-deps.sh demo); otherwise sudo apt-get install docker-registry.\n\n' +
    '  --stage NAME   run only this stage (repeatable)\n' +
    '  --keep         keep the demo folders and print where they are',
  async run(ctx) {
    const { keep, stage: only } = parseCommandArgs(
      {
        args: ctx.argv,
        options: { keep: { type: 'boolean', default: false }, stage: { type: 'string', multiple: true } },
      },
      demoCommand.usage,
    ).values;
    const unknown = (only ?? []).filter((n) => !demoStages.some((s) => s.name === n));
    if (unknown.length) {
      throw new ConfigurationError(
        `--stage: no stage named ${unknown.join(', ')}; the stages are ${demoStages.map((s) => s.name).join(', ')}`,
      );
    }
    const stages = only?.length ? demoStages.filter((s) => only.includes(s.name)) : demoStages;
    const root = mkdtempSync(path.join(tmpdir(), 'upgrade-actions-demo-'));
    ctx.stdout(
      `upgrade-actions demo in ${root}${keep ? ' (kept)' : ' (removed at the end; --keep keeps it)'}\n`,
    );
    const failed: string[] = [];
    try {
      for (const [i, stage] of stages.entries()) {
        ctx.stdout(`\n── ${i + 1}. ${stage.name}\n`);
        const ok = await stage.run({
          root: path.join(root, stage.name),
          say: (l) => ctx.stdout(l ? `   ${l}\n` : '\n'),
        });
        if (!ok) failed.push(stage.name);
      }
    } finally {
      if (!keep) rmSync(root, { recursive: true, force: true });
    }
    ctx.stdout(
      failed.length
        ? `\ndemo: ${failed.join(', ')} did not behave as expected\n`
        : `\ndemo: all ${stages.length} stage(s) behaved as expected\n`,
    );
    return failed.length ? 1 : 0;
  },
};
