#!/usr/bin/env node
import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);

// packages/common/src/errors.ts
var ConfigurationError = class extends Error {
  name = "ConfigurationError";
};
function wrapError(thrown) {
  if (thrown instanceof Error) return thrown;
  return new Error(typeof thrown === "string" ? thrown : JSON.stringify(thrown));
}
function isConfigurationError(err) {
  return err instanceof ConfigurationError || err instanceof Error && err.name === "ConfigurationError";
}

// packages/common/src/logger.ts
function consoleLogger(opts = {}) {
  const out = opts.out ?? ((l) => process.stdout.write(l + "\n"));
  const err = opts.err ?? ((l) => process.stderr.write(l + "\n"));
  return {
    debug: (m) => {
      if (opts.verbose) err(`debug: ${m}`);
    },
    info: (m) => out(m),
    warning: (m) => err(`warning: ${m}`),
    error: (m) => err(`error: ${m}`),
    async group(name, fn) {
      out(`\u2500\u2500 ${name}`);
      return fn();
    }
  };
}

// packages/cli/src/commands/demo.ts
var demoCommand = {
  name: "demo",
  summary: "Run the pipeline demo on repositories and a cluster it creates itself",
  usage: "upgrade-actions demo [--keep]\n\n  --keep   keep the demo folders and print where they are",
  async run(ctx) {
    ctx.stdout("demo: nothing to run yet\n");
    return 0;
  }
};

// packages/cli/src/commands/index.ts
var commands = [demoCommand];

// packages/cli/src/version.ts
var VERSION = "0.1.0";

// packages/cli/src/main.ts
function helpText() {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    "upgrade-actions \u2014 carry an upgrade pull request safely to production on Kubernetes",
    "",
    "Usage: upgrade-actions <command> [options]",
    "",
    "Commands:",
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    "",
    "Options:",
    "  -h, --help     show help (also: upgrade-actions <command> --help)",
    "  -V, --version  print the version",
    ""
  ].join("\n");
}
async function main(argv) {
  const out = (t) => process.stdout.write(t);
  const err = (t) => process.stderr.write(t);
  const [first, ...rest] = argv;
  if (first === void 0 || first === "-h" || first === "--help" || first === "help") {
    out(helpText());
    return first === void 0 ? 1 : 0;
  }
  if (first === "-V" || first === "--version") {
    out(`upgrade-actions ${VERSION}
`);
    return 0;
  }
  const cmd = commands.find((c) => c.name === first);
  if (!cmd) {
    err(`error: unknown command "${first}"; commands: ${commands.map((c) => c.name).join(", ")}
`);
    return 1;
  }
  if (rest.includes("-h") || rest.includes("--help")) {
    out(cmd.usage + "\n");
    return 0;
  }
  const verbose = rest.includes("--verbose");
  try {
    return await cmd.run({
      argv: rest.filter((a) => a !== "--verbose"),
      logger: consoleLogger({ verbose, out: (l) => err(l + "\n"), err: (l) => err(l + "\n") }),
      stdout: out,
      stderr: err,
      cwd: process.cwd(),
      env: process.env
    });
  } catch (thrown) {
    const e = wrapError(thrown);
    err(`error: ${e.message}
`);
    if (!isConfigurationError(thrown) && verbose && e.stack) err(e.stack + "\n");
    return 1;
  }
}
var invoked = process.argv[1] ?? "";
if (/(?:dist[\\/]cli[\\/]index\.js|upgrade-actions)$/.test(invoked)) {
  main(process.argv.slice(2)).then(
    (code) => process.exitCode = code,
    (e) => {
      process.stderr.write(`error: ${wrapError(e).message}
`);
      process.exitCode = 1;
    }
  );
}
export {
  helpText,
  main
};
