import type { BuildContext } from '../context';
import { computeTags, parseTagRule } from '../tag-rules';
import { buildMatrix, parseRunners } from '../matrix';
import { parsePlatforms } from '../platforms';

const ctx = (over: Partial<BuildContext>): BuildContext => ({
  eventName: 'push',
  ref: 'refs/heads/main',
  sha: '860c1904a1ce19322e91ac35af1ab07466440c37',
  created: '2026-12-05T10:00:00.000Z',
  ...over,
});

describe('computeTags: docker/metadata-action rules', () => {
  test.each<[string, string[], Partial<BuildContext>, string[]]>([
    ['sha on a push', ['type=sha'], {}, ['sha-860c190']],
    [
      'long sha, own prefix',
      ['type=sha,format=long,prefix='],
      {},
      ['860c1904a1ce19322e91ac35af1ab07466440c37'],
    ],
    [
      'branch, sanitised',
      ['type=ref,event=branch'],
      { ref: 'refs/heads/feature/new-ui' },
      ['feature-new-ui'],
    ],
    [
      'branch rule on a tag push yields nothing; raw still does',
      ['type=ref,event=branch', '1.4.2'],
      { ref: 'refs/tags/v1.4.2' },
      ['1.4.2'],
    ],
    [
      'pr',
      ['type=ref,event=pr'],
      { eventName: 'pull_request', ref: 'refs/pull/12/merge', prNumber: 12 },
      ['pr-12'],
    ],
    [
      'sha of the PR head on pull_request',
      ['type=sha'],
      { eventName: 'pull_request', ref: 'refs/pull/12/merge', prNumber: 12, prHeadSha: 'abcdef0123456789' },
      ['sha-abcdef0'],
    ],
    [
      'semver from the tag',
      ['type=semver,pattern={{version}}', 'type=semver,pattern={{major}}.{{minor}}'],
      { ref: 'refs/tags/v1.4.2' },
      ['1.4.2', '1.4'],
    ],
    [
      'a pre-release yields only {{version}}',
      ['type=semver,pattern={{version}}', 'type=semver,pattern={{major}}.{{minor}}'],
      { ref: 'refs/tags/v2.0.0-rc.1' },
      ['2.0.0-rc.1'],
    ],
    ['semver from value=', ['type=semver,pattern=v{{major}},value=3.1.0'], {}, ['v3']],
    ['suffix and duplicates', ['type=raw,value=1.0,suffix=-alpine', '1.0-alpine'], {}, ['1.0-alpine']],
    ['enable=false', ['type=sha,enable=false', 'x'], {}, ['x']],
  ])('%s', (_name, lines, over, tags) => {
    expect(computeTags(lines, ctx(over), true).tags).toEqual(tags);
  });

  test('version is the first semver tag', () => {
    expect(
      computeTags(['type=sha', 'type=semver,pattern={{version}}'], ctx({ ref: 'refs/tags/v1.2.3' }), true)
        .version,
    ).toBe('1.2.3');
  });

  test('latest is refused by forbid-latest, and never added on its own', () => {
    expect(() => computeTags(['type=raw,value=latest'], ctx({}), true)).toThrow(
      'a rule yields "latest", which forbid-latest refuses',
    );
    expect(computeTags(['latest'], ctx({}), false).tags).toEqual(['latest']);
    expect(
      computeTags(['type=semver,pattern={{version}}'], ctx({ ref: 'refs/tags/v1.0.0' }), true).tags,
    ).not.toContain('latest');
  });

  test.each([
    ['type=edge', 'type must be one of sha, ref, semver, raw'],
    ['type=ref,event=push', 'event must be branch, pr or tag'],
    ['type=semver', 'type=semver needs pattern='],
    ['type=semver,pattern=v1', 'pattern uses none of'],
    ['type=raw', 'type=raw needs value='],
    ['type=sha,colour=blue', 'unknown attribute "colour" for type=sha'],
    ['type=sha,enable=maybe', 'enable must be true or false'],
    ['type=raw,value=a b', '"a b" is not a valid tag'],
  ])('malformed rule %s → %s', (line, message) => {
    expect(() => computeTags([line], ctx({}), true)).toThrow(message);
  });

  test('no tag at all is an error naming the event and ref', () => {
    expect(() => computeTags(['type=ref,event=pr'], ctx({}), true)).toThrow(
      'no rule yields a tag for this run (event push, ref refs/heads/main)',
    );
  });

  test('a {{ }} value keeps its commas', () => {
    expect(parseTagRule('type=semver,pattern={{major}}.{{minor}},prefix=v')).toMatchObject({
      pattern: '{{major}}.{{minor}}',
      prefix: 'v',
    });
  });
});

describe('platforms and the matrix', () => {
  test('defaults, normalisation and errors', () => {
    expect(parsePlatforms([])).toEqual(['linux/amd64', 'linux/arm64']);
    expect(parsePlatforms(['linux/arm64/v8', 'linux/arm/v7'])).toEqual(['linux/arm64', 'linux/arm/v7']);
    expect(() => parsePlatforms(['linux/amd65'])).toThrow(
      'platforms: "linux/amd65" is not a platform; accepted: linux/amd64',
    );
    expect(() => parsePlatforms(['linux/arm64', 'linux/arm64/v8'])).toThrow(
      'platforms: linux/arm64/v8 is listed twice',
    );
  });

  test('native runners by default, overridable, with slugs and cache scopes', () => {
    const platforms = ['linux/amd64', 'linux/arm64', 'linux/arm/v7'];
    const runners = parseRunners(['linux/arm64=my-arm-runner'], platforms);
    expect(buildMatrix(platforms, runners, 'web')).toEqual({
      include: [
        {
          platform: 'linux/amd64',
          runner: 'ubuntu-latest',
          slug: 'linux-amd64',
          'cache-scope': 'web-linux-amd64',
        },
        {
          platform: 'linux/arm64',
          runner: 'my-arm-runner',
          slug: 'linux-arm64',
          'cache-scope': 'web-linux-arm64',
        },
        {
          platform: 'linux/arm/v7',
          runner: 'ubuntu-latest',
          slug: 'linux-arm-v7',
          'cache-scope': 'web-linux-arm-v7',
        },
      ],
    });
    expect(() => parseRunners(['linux/s390x=big'], platforms)).toThrow(
      'runners: linux/s390x is not among the platforms',
    );
    expect(() => parseRunners(['ubuntu-latest'], platforms)).toThrow('is not platform=runner');
  });
});
