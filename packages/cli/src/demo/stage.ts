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
  /** Returns whether the stage behaved as expected; throws only on a broken demo. */
  run(ctx: DemoContext): Promise<boolean>;
}
