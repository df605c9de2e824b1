import type { Logger } from '@upgrade-actions/common';

/** What a subcommand gets: its own arguments, a logger and where to print. */
export interface CommandContext {
  argv: string[];
  logger: Logger;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  cwd: string;
  env: NodeJS.ProcessEnv;
}

export interface Command {
  name: string;
  /** One line for `upgrade-actions --help`. */
  summary: string;
  /** Full usage for `upgrade-actions <name> --help`. */
  usage: string;
  /**
   * The engines' input names this command's errors may carry, and the flag that sets each
   * (`{ 'working-directory': '--dir' }`): the error then names the flag.
   */
  flags?: Record<string, string>;
  /** The command answers Ctrl-C / SIGTERM itself (the simulator stops; a staged rollout rolls its stage back). */
  handlesSignals?: true;
  /** Returns the process exit code. */
  run(ctx: CommandContext): Promise<number>;
}
