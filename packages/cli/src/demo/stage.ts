import type { Logger } from '@upgrade-actions/common';

/**
 * The demo is a list of stages run in order, each on what the demo created. Later issues add stages
 * (build, cluster, deploy, probe, …) by appending to the list in commands/demo.ts.
 */
export interface DemoContext {
  /** The demo's temp folder; everything a stage creates goes under it. */
  root: string;
  /** Prints a line of the demo's story (already indented by the runner). */
  say: (line: string) => void;
}

export interface DemoStage {
  name: string;
  /** One line for the usage text: what the stage shows. */
  summary: string;
  /** Returns whether the stage behaved as expected; throws only on a broken demo. */
  run(ctx: DemoContext): Promise<boolean>;
}

/** The engines' log as a stage tells it: indented under the stage, groups as ▸, lines matching `quiet` left out. */
export function stageLogger(ctx: DemoContext, quiet?: RegExp): Logger {
  return {
    debug: () => {},
    info: (m) => {
      if (!quiet?.test(m)) ctx.say(`  ${m}`);
    },
    warning: (m) => ctx.say(`  warning: ${m}`),
    error: (m) => ctx.say(`  error: ${m}`),
    group: (name, fn) => {
      ctx.say(`  ▸ ${name}`);
      return fn();
    },
  };
}
