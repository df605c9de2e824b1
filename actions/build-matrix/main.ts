import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { ConfigurationError } from '@upgrade-actions/common';
import {
  actionsLogger,
  getInputs,
  mask,
  readEvent,
  run,
  setOutputs,
  Summary,
} from '@upgrade-actions/toolkit';
import { buildMatrixAction as def } from './inputs';

function keyValues(lines: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const l of lines) {
    const eq = l.indexOf('=');
    if (eq <= 0) throw new ConfigurationError(`labels: "${l}" is not key=value`);
    out[l.slice(0, eq).trim()] = l.slice(eq + 1).trim();
  }
  return out;
}

/** The digests input: lines of digests, or a directory whose file names are the digests. */
function digestLines(value: string, workspace: string): string[] {
  const v = value.trim();
  if (v && !v.includes('\n') && !v.startsWith('sha256:') && !/^[a-f0-9]{64}$/.test(v)) {
    const dir = path.resolve(workspace, v);
    if (!existsSync(dir) || !statSync(dir).isDirectory()) {
      throw new ConfigurationError(`digests: "${v}" is neither a digest nor a directory of digest files`);
    }
    return readdirSync(dir);
  }
  return v.split('\n');
}

await run(async () => {
  const i = getInputs(def);
  // Engines load once the inputs are valid: a step that fails on its input pays only for the toolkit.
  const {
    buildMatrix,
    computeTags,
    contextFromEnv,
    mergeIndex,
    ociAnnotations,
    parseDigests,
    parsePlatforms,
    parseRunners,
  } = await import('@upgrade-actions/build-matrix');
  const { parseImageReference } = await import('@upgrade-actions/images');
  const { RegistryClient, dockerConfigCredentials } = await import('@upgrade-actions/registry');
  const workspace = process.env.GITHUB_WORKSPACE ?? process.cwd();
  const platforms = parsePlatforms(i.platforms);
  const images = i.images.map((name) => {
    const ref = parseImageReference(name, 'images');
    if (ref.tag || ref.digest)
      throw new ConfigurationError(
        `images: "${name}" has a tag or digest; give the name alone (tags come from tags)`,
      );
    return `${ref.registry}/${ref.repository}`;
  });
  const ctx = contextFromEnv(process.env, readEvent());
  const { tags, version } = computeTags(i.tags, ctx, i.forbidLatest);
  const extra = keyValues(i.labels);
  const annotations = ociAnnotations(ctx, version, extra);
  const lines = (o: Record<string, string>) =>
    Object.entries(o)
      .map(([k, v]) => `${k}=${v}`)
      .join('\n');
  const fullTags = images.flatMap((img) => tags.map((t) => `${img}:${t}`));

  if (i.mode === 'matrix') {
    const runners = parseRunners(i.runners, platforms);
    const scope = images[0].split('/').pop()!;
    const matrix = buildMatrix(platforms, runners, scope);
    setOutputs(def, {
      matrix: JSON.stringify(matrix),
      tags: fullTags.join('\n'),
      labels: lines(annotations),
      annotations: lines(annotations),
      version,
      json: JSON.stringify({ tags: fullTags, labels: annotations, annotations, version }),
    });
    actionsLogger.info(`matrix: ${matrix.include.map((e) => `${e.platform} on ${e.runner}`).join(', ')}`);
    actionsLogger.info(`tags: ${fullTags.join(', ')}`);
    await new Summary()
      .heading('Build matrix', 2)
      .table(
        ['Platform', 'Runner', 'Cache scope'],
        matrix.include.map((e) => [e.platform, e.runner, e['cache-scope']]),
      )
      .table(
        ['Tag'],
        fullTags.map((t) => [t]),
      )
      .write();
    return;
  }

  const digests = parseDigests(digestLines(i.digests, workspace));
  if (i.password) mask(i.password);
  const clients = new Map<string, InstanceType<typeof RegistryClient>>();
  const credentialsFor = async (registry: string) =>
    i.username || i.password
      ? { username: i.username, password: i.password }
      : await dockerConfigCredentials(registry);
  for (const img of images) {
    const registry = parseImageReference(img).registry;
    if (!clients.has(registry)) {
      clients.set(
        registry,
        new RegistryClient({
          registry,
          credentials: await credentialsFor(registry),
          logger: actionsLogger,
          onSecret: mask,
        }),
      );
    }
  }
  const result = await mergeIndex({
    images,
    tags,
    digests,
    platforms,
    annotations,
    client: (r) => clients.get(r)!,
    logger: actionsLogger,
  });
  setOutputs(def, {
    tags: fullTags.join('\n'),
    labels: lines(annotations),
    annotations: lines(annotations),
    version,
    json: JSON.stringify({ tags: fullTags, labels: annotations, annotations, version }),
    digest: result.digest,
    references: result.references.join('\n'),
    platforms: JSON.stringify(result.platforms),
  });
  await new Summary()
    .heading(`Image index ${result.digest}`, 2)
    .table(
      ['Platform', 'Manifest'],
      Object.entries(result.platforms).map(([p, d]) => [p, d]),
    )
    .table(
      ['Pushed as'],
      fullTags.map((t) => [t]),
    )
    .write();
});
