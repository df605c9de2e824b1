import { createHash } from 'node:crypto';
import { isConfigurationError } from '@upgrade-actions/common';
import { computeTags, mergeIndex, ociAnnotations, type BuildContext } from '@upgrade-actions/build-matrix';
import { platformConfig, pushImage, RegistryClient, type Descriptor } from '@upgrade-actions/registry';
import { shortDigest, withDemoRegistry } from './demo-registry';
import { stageLogger, type DemoContext, type DemoStage } from './stage';

const REPOSITORY = 'acme/shop-api';
const PLATFORMS = ['linux/amd64', 'linux/arm64'];
/** The tag rules a release workflow gives build-matrix, in docker/metadata-action's syntax. */
const TAG_RULES = ['type=semver,pattern={{version}}', 'type=semver,pattern={{major}}.{{minor}}', 'type=sha'];

/** Returns the error message `f` throws as a configuration error, or '' when it does not throw. */
async function refusal(f: () => unknown): Promise<string> {
  try {
    await f();
    return '';
  } catch (e) {
    if (!isConfigurationError(e)) throw e;
    return e.message;
  }
}

/**
 * build-matrix as a release runs it: one image per platform pushed by digest (build-push-action's
 * push-by-digest), then the merge job's index made of them and pushed under the release's tags, read back
 * from a real registry; a `latest` rule and a merge missing a platform are refused before any push.
 */
export const buildMatrixStage: DemoStage = {
  name: 'build-matrix',
  summary:
    'per-platform images pushed by digest, merged into one index under the release tags; latest refused',
  run: (ctx: DemoContext) =>
    withDemoRegistry(ctx, async (registry) => {
      const client = new RegistryClient({ registry: registry.host });
      const image = `${registry.host}/${REPOSITORY}`;
      ctx.say('');
      ctx.say('build jobs, one per platform, push by digest (no tag), as build-push-action push-by-digest:');
      const pushed: Record<string, string> = {};
      for (const platform of PLATFORMS) {
        const arch = platform.split('/')[1];
        const { digest } = await pushImage(client, REPOSITORY, {
          config: platformConfig(arch),
          layer: `shop-api 1.4.2 built for ${platform}\n`,
        });
        pushed[platform] = digest;
        ctx.say(`  ${platform.padEnd(12)} ${image}@${shortDigest(digest)}`);
      }

      const release: BuildContext = {
        eventName: 'push',
        ref: 'refs/tags/v1.4.2',
        sha: createHash('sha1').update('shop-api v1.4.2').digest('hex'),
        repositoryUrl: 'https://github.com/acme/shop-api',
        repositoryName: 'shop-api',
        created: new Date().toISOString(),
      };
      const { tags, version } = computeTags(TAG_RULES, release, true);
      ctx.say('');
      ctx.say(`tags for ${release.ref} from ${TAG_RULES.join(' · ')}: ${tags.join(', ')}`);
      ctx.say('');
      ctx.say('merge job (build-matrix mode: merge): one index from the digests, pushed under every tag');
      const merged = await mergeIndex({
        images: [image],
        tags,
        digests: Object.values(pushed),
        platforms: PLATFORMS,
        annotations: ociAnnotations(release, version),
        client: () => client,
        logger: stageLogger(ctx),
      });

      ctx.say('');
      ctx.say(`read back from the registry:`);
      const served = await Promise.all(tags.map((t) => client.getManifest(REPOSITORY, t)));
      const index = JSON.parse(served[0].bytes.toString('utf8')) as { manifests: Descriptor[] };
      for (const d of index.manifests)
        ctx.say(
          `  ${image}:${tags[0]}  ${d.platform?.os}/${d.platform?.architecture}  ${shortDigest(d.digest)}`,
        );
      const listed = (platform: string) =>
        index.manifests.filter((d) => `${d.platform?.os}/${d.platform?.architecture}` === platform);
      const repoTags = await client.tags(REPOSITORY);

      ctx.say('');
      ctx.say('a tag rule that yields latest, with forbid-latest (production never runs latest):');
      const latest = await refusal(() => computeTags([...TAG_RULES, 'type=raw,value=latest'], release, true));
      ctx.say(`  error: ${latest}`);
      ctx.say('a merge given the amd64 digest alone:');
      const partial = await refusal(() =>
        mergeIndex({
          images: [image],
          tags: ['1.4.3'],
          digests: [pushed['linux/amd64']],
          platforms: PLATFORMS,
          client: () => client,
          logger: stageLogger(ctx),
        }),
      );
      ctx.say(`  error: ${partial}`);
      const tagsAfter = await client.tags(REPOSITORY);

      ctx.say('');
      const verdicts = [
        [
          `the index ${shortDigest(merged.digest)} lists linux/amd64 and linux/arm64 once each, with the digests the build jobs pushed`,
          index.manifests.length === PLATFORMS.length &&
            PLATFORMS.every((p) => listed(p).length === 1 && listed(p)[0].digest === pushed[p]),
        ],
        [
          `${tags.join(', ')} all name that index; the registry holds no latest tag`,
          tags.join(',') === `1.4.2,1.4,sha-${release.sha.slice(0, 7)}` &&
            served.every((m) => m.digest === merged.digest) &&
            !repoTags.includes('latest'),
        ],
        ['forbid-latest refused the latest rule before anything was pushed', /forbid-latest/.test(latest)],
        [
          'the merge missing linux/arm64 was refused and pushed nothing',
          /no manifest for linux\/arm64/.test(partial) && tagsAfter.join(',') === repoTags.join(','),
        ],
      ] as const;
      for (const [what, ok] of verdicts) ctx.say(`${ok ? '✓' : '✗ expected:'} ${what}`);
      return verdicts.every(([, ok]) => ok);
    }),
};
