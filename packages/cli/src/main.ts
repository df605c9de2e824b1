#!/usr/bin/env node
import {
  consoleLogger,
  isConfigurationError,
  onFirstSignal,
  runCancelHandlers,
  wrapError,
} from '@upgrade-actions/common';
import { inFlags } from './args';
import { commands } from './commands/index';
import { VERSION } from './version';

export function helpText(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    'upgrade-actions — carry an upgrade pull request safely to production on Kubernetes',
    '',
    'Usage: upgrade-actions <command> [options]',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Options:',
    '  -h, --help     show help (also: upgrade-actions <command> --help)',
    '  -V, --version  print the version',
    '',
  ].join('\n');
}

/**
 * Ctrl-C or SIGTERM (a CI job cancelled) while a command works: say so once, run the engines' cancel
 * handlers (a Lease given back, a canary's place saved) for at most 5 s, and exit 130 as shells expect of
 * an interrupted program. Without this Node's default ended the process at once and left the Lease held
 * until it expired. Later signals are ignored, so a second Ctrl-C does not cut the cleanup short.
 */
function cancelOnSignal(command: string, err: (t: string) => void): () => void {
  return onFirstSignal((signal) => {
    err(`cancelled (${signal}): ${command} stopped; what it had done so far stays as printed above\n`);
    void runCancelHandlers(5000).finally(() => process.exit(130));
  });
}

export async function main(argv: string[]): Promise<number> {
  const out = (t: string) => process.stdout.write(t);
  const err = (t: string) => process.stderr.write(t);
  const [first, ...rest] = argv;
  if (first === undefined || first === '-h' || first === '--help' || first === 'help') {
    out(helpText());
    return first === undefined ? 1 : 0;
  }
  if (first === '-V' || first === '--version') {
    out(`upgrade-actions ${VERSION}\n`);
    return 0;
  }
  const entry = commands.find((c) => c.name === first);
  if (!entry) {
    err(`error: unknown command "${first}"; commands: ${commands.map((c) => c.name).join(', ')}\n`);
    return 1;
  }
  const cmd = await entry.load();
  if (rest.includes('-h') || rest.includes('--help')) {
    out(cmd.usage + '\n');
    return 0;
  }
  const verbose = rest.includes('--verbose');
  const stopCancelling = cmd.handlesSignals ? () => {} : cancelOnSignal(entry.name, err);
  try {
    return await cmd.run({
      argv: rest.filter((a) => a !== '--verbose'),
      logger: consoleLogger({ verbose, out: (l) => err(l + '\n'), err: (l) => err(l + '\n') }),
      stdout: out,
      stderr: err,
      cwd: process.cwd(),
      env: process.env,
    });
  } catch (thrown) {
    const e = wrapError(thrown);
    err(`error: ${isConfigurationError(thrown) ? inFlags(e.message, cmd.flags) : e.message}\n`);
    if (!isConfigurationError(thrown) && verbose && e.stack) err(e.stack + '\n');
    return 1;
  } finally {
    stopCancelling();
  }
}

// Run when executed as the bin (the bundle), not when imported by tests.
const invoked = process.argv[1] ?? '';
if (/(?:dist[\\/]cli[\\/]index\.js|upgrade-actions)$/.test(invoked)) {
  main(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (e) => {
      process.stderr.write(`error: ${wrapError(e).message}\n`);
      process.exitCode = 1;
    },
  );
}
