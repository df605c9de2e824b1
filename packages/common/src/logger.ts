/**
 * Engines log through this interface so that the same code runs under the Actions runner
 * (toolkit's actionsLogger: groups fold in the log) and at a terminal (consoleLogger).
 */
export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warning(message: string): void;
  error(message: string): void;
  group<T>(name: string, fn: () => Promise<T>): Promise<T>;
}

export interface ConsoleLoggerOptions {
  verbose?: boolean;
  /** Where info goes; errors and warnings always go to stderr. */
  out?: (line: string) => void;
  err?: (line: string) => void;
}

export function consoleLogger(opts: ConsoleLoggerOptions = {}): Logger {
  const out = opts.out ?? ((l: string) => process.stdout.write(l + '\n'));
  const err = opts.err ?? ((l: string) => process.stderr.write(l + '\n'));
  return {
    debug: (m) => {
      if (opts.verbose) err(`debug: ${m}`);
    },
    info: (m) => out(m),
    warning: (m) => err(`warning: ${m}`),
    error: (m) => err(`error: ${m}`),
    async group(name, fn) {
      out(`── ${name}`);
      return fn();
    },
  };
}

/** A logger that remembers every line; for tests and for reports built after the fact. */
export function memoryLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    debug: (m) => lines.push(`debug: ${m}`),
    info: (m) => lines.push(m),
    warning: (m) => lines.push(`warning: ${m}`),
    error: (m) => lines.push(`error: ${m}`),
    async group(name, fn) {
      lines.push(`group: ${name}`);
      return fn();
    },
  };
}

export const silentLogger: Logger = {
  debug: () => {},
  info: () => {},
  warning: () => {},
  error: () => {},
  group: (_name, fn) => fn(),
};
