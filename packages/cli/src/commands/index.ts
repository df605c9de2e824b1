import type { Command } from '../command';
import { apiCheckCommand } from './api-check';
import { buildMatrixCommand } from './build-matrix';
import { demoCommand } from './demo';
import { deployCommand } from './deploy';
import { mergeCheckCommand } from './merge-check';
import { rollbackCommand } from './rollback';
import { rolloutCommand } from './rollout';
import { probeCommand } from './probe';
import { simCommand } from './sim';
import { smokeCommand } from './smoke';

/** Every subcommand, in the order `--help` lists them. Each lives in its own file. */
export const commands: Command[] = [
  demoCommand,
  mergeCheckCommand,
  apiCheckCommand,
  buildMatrixCommand,
  rolloutCommand,
  deployCommand,
  rollbackCommand,
  probeCommand,
  smokeCommand,
  simCommand,
];
