import { parseArgs, type ParseArgsConfig } from 'node:util';
import { ConfigurationError } from '@upgrade-actions/common';

/**
 * Node's parseArgs messages, said in our words: `Unknown option '--release'. To specify a positional
 * argument starting with a '-', place it at the end …` becomes `unknown option --release`.
 */
export function parserMessage(message: string): string {
  const unknown = /^Unknown option '([^']+)'/.exec(message);
  if (unknown) return `unknown option ${unknown[1]}`;
  const missing = /^Option '(-\w, )?(--[\w-]+)[^']*' argument missing/.exec(message);
  if (missing) return `${missing[2]} needs a value`;
  const bool = /^Option '(-\w, )?(--[\w-]+)' does not take an argument/.exec(message);
  if (bool) return `${bool[2]} takes no value`;
  const positional = /^Unexpected argument '([^']+)'/.exec(message);
  if (positional) return `unexpected argument ${positional[1]}`;
  return message.replace(/\.$/, '');
}

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
    throw new ConfigurationError(`${parserMessage((e as Error).message)}\n\n${usage}`);
  }
}

/**
 * The engines name the action's inputs in their errors (`working-directory: … is not a folder`); at a
 * terminal the same error names the flag (`--dir: …`). Each command lists its inputs → flags.
 */
export function inFlags(message: string, flags: Record<string, string> | undefined): string {
  if (!flags) return message;
  let out = message;
  for (const [input, flag] of Object.entries(flags)) {
    const escaped = input.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    // Only where the word names the input: `input:` leading a clause, or `set input` / `give input`.
    out = out
      .replace(new RegExp(`(?<![\\w-])${escaped}(?=:)`, 'g'), flag)
      .replace(new RegExp(`(?<=\\b(?:set|give) )${escaped}(?![\\w-])`, 'g'), flag);
  }
  return out;
}
