import { ConfigurationError } from '@upgrade-actions/common';
import { parseCommandArgs } from '../args';
import type { Command } from '../command';

const usage = `upgrade-actions build-matrix matrix|merge [options]

matrix: prints the build matrix (JSON for strategy.matrix), the tags and the OCI labels.
merge:  builds one image index from per-platform digests through the registry API (no docker) and pushes
        it under every tag; prints image@digest. See docs/build-matrix.md.

Options:
  --image NAME        image name without tag (repeatable; merge reads the digests from the first)
  --tag RULE          tag rule in docker/metadata-action's syntax (repeatable; default type=sha)
  --platform P        platform (repeatable; default linux/amd64 and linux/arm64)
  --digest D          merge: a per-platform digest sha256:… (repeatable)
  --runner P=LABEL    matrix: the runner of a platform (repeatable)
  --ref REF           the git ref the tag rules read (default $GITHUB_REF)
  --sha SHA           the commit the tag rules read (default $GITHUB_SHA, else git rev-parse HEAD)
  --allow-latest      let a rule yield latest (refused by default)
  --json              print the result as JSON

Credentials for merge come from REGISTRY_USERNAME and REGISTRY_PASSWORD, else ~/.docker/config.json.

Exit codes: 0 done, 1 an error (bad option, bad rule, a platform missing, a registry refusing).`;

async function headCommit(cwd: string): Promise<string> {
  const { execFile } = await import('node:child_process');
  const { promisify } = await import('node:util');
  try {
    return (await promisify(execFile)('git', ['rev-parse', 'HEAD'], { cwd })).stdout.trim();
  } catch {
    return '';
  }
}

export const buildMatrixCommand: Command = {
  name: 'build-matrix',
  summary: 'Compute a multi-arch build matrix and tags, or merge per-platform digests into one index',
  usage,
  async run(ctx) {
    const { values, positionals } = parseCommandArgs(
      {
        args: ctx.argv,
        allowPositionals: true,
        options: {
          image: { type: 'string', multiple: true, default: [] },
          tag: { type: 'string', multiple: true, default: [] },
          platform: { type: 'string', multiple: true, default: [] },
          digest: { type: 'string', multiple: true, default: [] },
          runner: { type: 'string', multiple: true, default: [] },
          ref: { type: 'string' },
          sha: { type: 'string' },
          'allow-latest': { type: 'boolean', default: false },
          json: { type: 'boolean', default: false },
        },
      },
      usage,
    );
    const mode = positionals[0];
    if (positionals.length !== 1 || (mode !== 'matrix' && mode !== 'merge')) {
      throw new ConfigurationError(`give matrix or merge\n\n${usage}`);
    }
    if (values.image.length === 0)
      throw new ConfigurationError(`--image: give at least one image name\n\n${usage}`);
    const bm = await import('@upgrade-actions/build-matrix');
    const { parseImageReference } = await import('@upgrade-actions/images');
    const platforms = bm.parsePlatforms(values.platform, '--platform');
    const images = values.image.map((name) => {
      const ref = parseImageReference(name, '--image');
      if (ref.tag || ref.digest)
        throw new ConfigurationError(`--image: "${name}" has a tag or digest; give the name alone`);
      return `${ref.registry}/${ref.repository}`;
    });
    const fromEnv = bm.contextFromEnv(ctx.env);
    const context = {
      ...fromEnv,
      ref: values.ref ?? fromEnv.ref,
      // Outside GitHub the commit is the checkout's HEAD, so the default type=sha rule still yields a tag.
      sha: values.sha ?? (fromEnv.sha || (await headCommit(ctx.cwd))),
    };
    const rules = values.tag.length > 0 ? values.tag : ['type=sha'];
    const named = <T>(f: () => T): T => {
      try {
        return f();
      } catch (e) {
        if (e instanceof ConfigurationError)
          throw new ConfigurationError(e.message.replace(/^tags:/, '--tag:'));
        throw e;
      }
    };
    const { tags, version } = named(() => bm.computeTags(rules, context, !values['allow-latest']));
    const annotations = bm.ociAnnotations(context, version);
    if (mode === 'matrix') {
      const matrix = bm.buildMatrix(
        platforms,
        bm.parseRunners(values.runner, platforms, '--runner'),
        images[0].split('/').pop()!,
      );
      const fullTags = images.flatMap((i) => tags.map((t) => `${i}:${t}`));
      if (values.json)
        ctx.stdout(JSON.stringify({ matrix, tags: fullTags, version, annotations }, null, 2) + '\n');
      else ctx.stdout([JSON.stringify(matrix), ...fullTags].join('\n') + '\n');
      return 0;
    }
    const digests = bm.parseDigests(values.digest, '--digest');
    const { RegistryClient, dockerConfigCredentials } = await import('@upgrade-actions/registry');
    const clients = new Map<string, InstanceType<typeof RegistryClient>>();
    for (const img of images) {
      const registry = parseImageReference(img).registry;
      if (clients.has(registry)) continue;
      const user = ctx.env.REGISTRY_USERNAME;
      const credentials = user
        ? { username: user, password: ctx.env.REGISTRY_PASSWORD ?? '' }
        : await dockerConfigCredentials(registry, ctx.env);
      clients.set(registry, new RegistryClient({ registry, credentials, logger: ctx.logger }));
    }
    const result = await bm.mergeIndex({
      images,
      tags,
      digests,
      platforms,
      annotations,
      client: (r) => clients.get(r)!,
      logger: ctx.logger,
    });
    if (values.json) {
      ctx.stdout(
        JSON.stringify(
          { digest: result.digest, references: result.references, platforms: result.platforms },
          null,
          2,
        ) + '\n',
      );
    } else ctx.stdout(result.references.join('\n') + '\n');
    return 0;
  },
};
