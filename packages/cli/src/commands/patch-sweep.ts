import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { checkPatterns, sweep } from '@upgrade-actions/patch-sweep';
import { dockerConfigCredentials, RegistryClient } from '@upgrade-actions/registry';
import { parseCommandArgs } from '../args';
import type { Command } from '../command';

const USAGE = `upgrade-actions patch-sweep [options] [GLOB...]

Finds the image references in manifests, Helm values and kustomizations (default: every .yaml/.yml file
under --dir), asks each registry once per repository for its tags, and reports the newest patch release of
each within the same major.minor (variants such as -alpine kept, pre-releases never). Prints the bumps as
JSON; with --write, edits the files in place (nothing else in them changes). Registry credentials come
from ~/.docker/config.json ($DOCKER_CONFIG). The action does the same and opens one pull request.

  -C, --dir DIR          the checkout to sweep (default: the current directory)
      --include PATTERN  only images matching it (* wildcards, e.g. ghcr.io/acme/*; repeatable)
      --exclude PATTERN  leave images matching it alone (repeatable)
      --pin-digest       also pin each bumped reference to its new tag's digest
      --write            edit the files in place`;

export const patchSweepCommand: Command = {
  name: 'patch-sweep',
  summary: 'Find newer patch releases of the images in manifests; report them, or write them in place',
  usage: USAGE,
  flags: { include: '--include', exclude: '--exclude', 'working-directory': '--dir', paths: 'GLOB' },
  async run(ctx) {
    const { values: v, positionals } = parseCommandArgs(
      {
        args: ctx.argv,
        allowPositionals: true,
        options: {
          dir: { type: 'string', short: 'C' },
          include: { type: 'string', multiple: true },
          exclude: { type: 'string', multiple: true },
          'pin-digest': { type: 'boolean', default: false },
          write: { type: 'boolean', default: false },
        },
      },
      USAGE,
    );
    checkPatterns(v.include ?? [], '--include');
    checkPatterns(v.exclude ?? [], '--exclude');
    const root = path.resolve(ctx.cwd, v.dir ?? '.');
    const logger = ctx.logger;
    const result = await sweep({
      root,
      paths: positionals,
      include: v.include ?? [],
      exclude: v.exclude ?? [],
      pinDigest: v['pin-digest'] ?? false,
      client: async (registry) =>
        new RegistryClient({
          registry,
          credentials: await dockerConfigCredentials(registry, ctx.env),
          logger,
        }),
      logger,
    });
    if (v.write) {
      for (const [file, text] of result.files) writeFileSync(path.join(root, file), text);
      logger.info(`${result.files.size} file(s) written`);
    }
    ctx.stdout(JSON.stringify(result.updates) + '\n');
    return 0;
  },
};
