import type { Command } from '../command';

/**
 * A subcommand as `--help` lists it, and how to load it. Each command's module (and so its engine:
 * git, client-node, yaml, the simulator…) is imported only when that command runs, so `--version`,
 * `--help` and a command's own start-up do not pay for the others. `summary` repeats the command's own
 * summary so the top-level help needs no module at all; test/cli-commands.test.ts keeps them equal.
 */
export interface CommandEntry {
  name: string;
  summary: string;
  load: () => Promise<Command>;
}

/** Every subcommand, in the order `--help` lists them. Each lives in its own file. */
export const commands: CommandEntry[] = [
  {
    name: 'demo',
    summary: 'Run the pipeline demo on repositories and a cluster it creates itself',
    load: async () => (await import('./demo')).demoCommand,
  },
  {
    name: 'merge-check',
    summary: 'Check that a branch merges cleanly into its base, without a checkout',
    load: async () => (await import('./merge-check')).mergeCheckCommand,
  },
  {
    name: 'api-check',
    summary: 'Find deprecated and removed Kubernetes APIs in manifests or a cluster',
    load: async () => (await import('./api-check')).apiCheckCommand,
  },
  {
    name: 'build-matrix',
    summary: 'Compute a multi-arch build matrix and tags, or merge per-platform digests into one index',
    load: async () => (await import('./build-matrix')).buildMatrixCommand,
  },
  {
    name: 'rollout',
    summary: 'Show rollout status, history, or undo a rollout, exactly as kubectl rollout does',
    load: async () => (await import('./rollout')).rolloutCommand,
  },
  {
    name: 'deploy',
    summary: 'Apply manifests, follow the rollouts, print the release descriptor; roll back on failure',
    load: async () => (await import('./deploy')).deployCommand,
  },
  {
    name: 'rollback',
    summary: 'Roll back a release or workloads: undo, wait, verify, mark the failed revision (idempotent)',
    load: async () => (await import('./rollback')).rollbackCommand,
  },
  {
    name: 'patch-sweep',
    summary: 'Find newer patch releases of the images in manifests; report them, or write them in place',
    load: async () => (await import('./patch-sweep')).patchSweepCommand,
  },
  {
    name: 'stages',
    summary: 'Roll a release out stage by stage (deploy, soak, smoke), rolling back the stage that fails',
    load: async () => (await import('./stages')).stagesCommand,
  },
  {
    name: 'canary',
    summary: 'Canary a release step by step through a traffic router with metric gates; promote or abort',
    load: async () => (await import('./canary')).canaryCommand,
  },
  {
    name: 'probe',
    summary: 'Health-check a release (HTTP, service proxy, Prometheus) once or for a watch window',
    load: async () => (await import('./probe')).probeCommand,
  },
  {
    name: 'smoke',
    summary: 'Run a YAML file of smoke tests against a release, with a JUnit report',
    load: async () => (await import('./smoke')).smokeCommand,
  },
  {
    name: 'promote',
    summary:
      'Blue-green promotion: validate green beside blue, switch the Service, watch, switch back on failure',
    load: async () => (await import('./promote')).promoteCommand,
  },
  {
    name: 'sim',
    summary: 'Start the Kubernetes simulator as a cluster kubectl and the actions can use',
    load: async () => (await import('./sim')).simCommand,
  },
];
