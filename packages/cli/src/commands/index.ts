import type { Command } from '../command';
import { apiCheckCommand } from './api-check';
import { demoCommand } from './demo';
import { mergeCheckCommand } from './merge-check';
import { rolloutCommand } from './rollout';
import { probeCommand } from './probe';
import { smokeCommand } from './smoke';

/** Every subcommand, in the order `--help` lists them. Each lives in its own file. */
export const commands: Command[] = [
  demoCommand,
  mergeCheckCommand,
  apiCheckCommand,
  rolloutCommand,
  probeCommand,
  smokeCommand,
];
