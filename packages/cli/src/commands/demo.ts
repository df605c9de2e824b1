import type { Command } from '../command';

export const demoCommand: Command = {
  name: 'demo',
  summary: 'Run the pipeline demo on repositories and a cluster it creates itself',
  usage: 'upgrade-actions demo [--keep]\n\n  --keep   keep the demo folders and print where they are',
  async run(ctx) {
    ctx.stdout('demo: nothing to run yet\n');
    return 0;
  },
};
