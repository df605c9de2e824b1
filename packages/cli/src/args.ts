import { parseArgs, type ParseArgsConfig } from 'node:util';
import { ConfigurationError } from '@upgrade-actions/common';

/**
 * `util.parseArgs` for a subcommand: a bad flag is a user error (one line, no stack) followed by the
 * command's usage, so every command answers a typo the same way.
 */
export function parseCommandArgs<T extends ParseArgsConfig>(
  config: T,
  usage: string,
): ReturnType<typeof parseArgs<T>> {
  try {
    return parseArgs(config);
  } catch (e) {
    throw new ConfigurationError(`${(e as Error).message}\n\n${usage}`);
  }
}
