import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { OCI_INDEX, RegistryClient, platformConfig, pushImage } from '@upgrade-actions/registry';
import { repoRoot, runAction } from './harness/run-action';
import { startRegistry, type RunningRegistry } from './registry/registry';

// The build-matrix action from dist/, as the runner runs it, against a real registry with basic auth.

let reg: RunningRegistry;
let client: RegistryClient;
const creds = { username: 'ci', password: 'p4ss-w0rd' };

const pushPlatform = async (repo: string, arch: string) =>
  (await pushImage(client, repo, { config: platformConfig(arch), layer: `bits for ${arch}` })).digest;

/** The log as the runner shows it: ::add-mask:: commands are consumed, not printed. */
const unmasked = (log: string) => log.replace(/^::add-mask::.*$/gm, '');

const env = {
  GITHUB_REPOSITORY: 'acme/web',
  GITHUB_SERVER_URL: 'https://github.com',
  GITHUB_REF: 'refs/tags/v1.4.2',
  GITHUB_SHA: '860c1904a1ce19322e91ac35af1ab07466440c37',
};

beforeAll(async () => {
  reg = await startRegistry({ kind: 'basic', ...creds });
  client = new RegistryClient({ registry: reg.host, credentials: creds });
});
afterAll(() => reg?.stop());

test('matrix mode: native runners per platform, tags from the rules, OCI labels', async () => {
  const r = await runAction('build-matrix', {
    inputs: {
      images: 'ghcr.io/acme/web',
      tags: 'type=semver,pattern={{version}}\ntype=semver,pattern={{major}}.{{minor}}\ntype=sha',
    },
    eventName: 'push',
    env,
  });
  expect(r.code).toBe(0);
  expect(JSON.parse(r.outputs.matrix)).toEqual({
    include: [
      {
        platform: 'linux/amd64',
        runner: 'ubuntu-latest',
        slug: 'linux-amd64',
        'cache-scope': 'web-linux-amd64',
      },
      {
        platform: 'linux/arm64',
        runner: 'ubuntu-24.04-arm',
        slug: 'linux-arm64',
        'cache-scope': 'web-linux-arm64',
      },
    ],
  });
  expect(r.outputs.tags.split('\n')).toEqual([
    'ghcr.io/acme/web:1.4.2',
    'ghcr.io/acme/web:1.4',
    'ghcr.io/acme/web:sha-860c190',
  ]);
  expect(r.outputs.version).toBe('1.4.2');
  expect(r.outputs.labels).toContain(
    'org.opencontainers.image.revision=860c1904a1ce19322e91ac35af1ab07466440c37',
  );
  expect(r.outputs.labels).toContain('org.opencontainers.image.source=https://github.com/acme/web');
  // The sample workflow the docs show hands this matrix to strategy.matrix with fromJSON.
  const sample = parse(
    readFileSync(path.join(repoRoot, 'examples', 'workflows', 'build-matrix.yml'), 'utf8'),
  );
  expect(sample.jobs.build.strategy.matrix).toBe('${{ fromJSON(needs.prepare.outputs.matrix) }}');
  expect(sample.jobs.build['runs-on']).toBe('${{ matrix.runner }}');
});

test('merge mode: one index from a directory of digest files, pushed under every tag; outputs for deploy', async () => {
  const amd = await pushPlatform('acme/web', 'amd64');
  const arm = await pushPlatform('acme/web', 'arm64');
  const workspace = mkdtempSync(path.join(tmpdir(), 'bm-'));
  mkdirSync(path.join(workspace, 'digests'));
  for (const d of [amd, arm]) writeFileSync(path.join(workspace, 'digests', d.slice(7)), '');
  const r = await runAction('build-matrix', {
    inputs: {
      mode: 'merge',
      images: `${reg.host}/acme/web`,
      tags: 'type=semver,pattern={{version}}\ntype=sha',
      digests: 'digests',
      ...creds,
    },
    eventName: 'push',
    workspace,
    env,
  });
  expect(r.code).toBe(0);
  const index = await client.getManifest('acme/web', '1.4.2');
  expect(index.mediaType).toBe(OCI_INDEX);
  expect(r.outputs.digest).toBe(index.digest);
  expect((await client.getManifest('acme/web', 'sha-860c190')).digest).toBe(index.digest);
  expect(r.outputs.references).toBe(`${reg.host}/acme/web@${index.digest}`);
  expect(JSON.parse(r.outputs.platforms)).toEqual({ 'linux/amd64': amd, 'linux/arm64': arm });
  expect(unmasked(r.stdout + r.stderr)).not.toContain(creds.password);
  expect(r.summary).toContain(index.digest);
});

test.each([
  [{ platforms: 'linux/amd65' }, 'platforms: "linux/amd65" is not a platform'],
  [{ tags: 'type=semver' }, 'tags: "type=semver": type=semver needs pattern='],
  [{ tags: 'latest' }, 'a rule yields "latest", which forbid-latest refuses'],
  [
    { mode: 'merge', digests: 'sha256:abc' },
    'digests: "sha256:abc" is not a digest; expected sha256: followed by 64 hex',
  ],
  [
    { mode: 'merge', digests: 'no-such-dir' },
    'digests: "no-such-dir" is neither a digest nor a directory of digest files',
  ],
  [{ mode: 'merge', digests: `sha256:${'f'.repeat(63)}x` }, 'is not a digest'],
  [{ images: 'ghcr.io/acme/web:1.0' }, 'images: "ghcr.io/acme/web:1.0" has a tag or digest'],
])('bad input %j: one clear error, no stack trace', async (inputs, message) => {
  const r = await runAction('build-matrix', { inputs: { images: 'ghcr.io/acme/web', ...inputs }, env });
  expect(r.code).toBe(1);
  expect(
    r.annotations
      .filter((a) => a.level === 'error')
      .map((a) => a.message)
      .join('\n'),
  ).toContain(message);
  expect(r.stdout).not.toMatch(/^\s+at /m);
});

test('a wrong password fails clearly and pushes nothing', async () => {
  const amd = await pushPlatform('acme/locked', 'amd64');
  const arm = await pushPlatform('acme/locked', 'arm64');
  const r = await runAction('build-matrix', {
    inputs: {
      mode: 'merge',
      images: `${reg.host}/acme/locked`,
      tags: '2.0.0',
      digests: `${amd}\n${arm}`,
      username: 'ci',
      password: 'wrong',
    },
    env,
  });
  expect(r.code).toBe(1);
  expect(r.annotations.find((a) => a.level === 'error')?.message).toContain(
    'the credentials of user "ci" were refused (401)',
  );
  expect(unmasked(r.stdout)).not.toContain('wrong');
  expect(await client.manifestDigest('acme/locked', '2.0.0')).toBeUndefined();
});

test('an unreachable registry fails clearly', async () => {
  const r = await runAction('build-matrix', {
    inputs: { mode: 'merge', images: '127.0.0.1:9/acme/web', digests: `sha256:${'a'.repeat(64)}` },
    env,
    timeoutMs: 60_000,
  });
  expect(r.code).toBe(1);
  expect(r.annotations.find((a) => a.level === 'error')?.message).toMatch(
    /cannot reach registry 127\.0\.0\.1:9/,
  );
  expect(r.stdout).not.toMatch(/^\s+at /m);
});
