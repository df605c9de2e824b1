import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { memoryLogger } from '@upgrade-actions/common';
import { mergeIndex, parseDigests } from '@upgrade-actions/build-matrix';
import { OCI_INDEX, OCI_MANIFEST, RegistryClient, sha256Digest, pushImage } from '@upgrade-actions/registry';
import { startRegistry, type RunningRegistry } from './registry/registry';

// The merge of per-platform manifests into one index, against a real registry; skopeo checks the result.

const skopeo = async (...args: string[]) => (await promisify(execFile)('skopeo', args)).stdout;
let reg: RunningRegistry;
let client: RegistryClient;

const pushManifest = (repo: string, config: object, layer: string) =>
  pushImage(client, repo, { config, layer });

const image = (repo: string, arch: string, variant?: string) =>
  pushManifest(
    repo,
    {
      os: 'linux',
      architecture: arch,
      ...(variant ? { variant } : {}),
      rootfs: { type: 'layers', diff_ids: [] },
    },
    `app for ${arch}`,
  );

/** What BuildKit pushes with provenance on: an index of the image and its attestation manifest. */
async function imageWithAttestation(repo: string, arch: string) {
  const img = await image(repo, arch);
  const att = await pushManifest(
    repo,
    { architecture: 'unknown', os: 'unknown', rootfs: { type: 'layers', diff_ids: [] } },
    `{"_type":"https://in-toto.io/Statement/v0.1"}`,
  );
  const index = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: OCI_INDEX,
      manifests: [
        {
          mediaType: OCI_MANIFEST,
          digest: img.digest,
          size: img.size,
          platform: { architecture: arch, os: 'linux' },
        },
        {
          mediaType: OCI_MANIFEST,
          digest: att.digest,
          size: att.size,
          platform: { architecture: 'unknown', os: 'unknown' },
          annotations: {
            'vnd.docker.reference.digest': img.digest,
            'vnd.docker.reference.type': 'attestation-manifest',
          },
        },
      ],
    }),
  );
  const digest = await client.putManifest(repo, sha256Digest(index), index, OCI_INDEX);
  return { index: digest, image: img.digest, attestation: att.digest };
}

beforeAll(async () => {
  reg = await startRegistry();
  client = new RegistryClient({ registry: reg.host });
});
afterAll(() => reg?.stop());

const merge = (over: Partial<Parameters<typeof mergeIndex>[0]>) =>
  mergeIndex({
    images: [`${reg.host}/acme/web`],
    tags: ['1.4.2'],
    digests: [],
    platforms: ['linux/amd64', 'linux/arm64'],
    client: () => client,
    logger: memoryLogger(),
    ...over,
  });

test('merges an amd64 image and an arm64 index with its attestation into one index; skopeo agrees', async () => {
  const amd = await image('acme/web', 'amd64');
  const arm = await imageWithAttestation('acme/web', 'arm64');
  const r = await merge({
    images: [`${reg.host}/acme/web`, `${reg.host}/mirror/web`],
    tags: ['1.4.2', 'sha-860c190'],
    digests: [amd.digest, arm.index],
    annotations: { 'org.opencontainers.image.version': '1.4.2' },
  });
  expect(r.platforms).toEqual({ 'linux/amd64': amd.digest, 'linux/arm64': arm.image });
  expect(r.attestations).toEqual({ [arm.image]: arm.attestation });
  expect(r.references).toEqual([`${reg.host}/acme/web@${r.digest}`, `${reg.host}/mirror/web@${r.digest}`]);
  for (const ref of [
    `${reg.host}/acme/web:1.4.2`,
    `${reg.host}/acme/web:sha-860c190`,
    `${reg.host}/mirror/web:1.4.2`,
  ]) {
    const raw = await skopeo('inspect', '--raw', '--tls-verify=false', `docker://${ref}`);
    expect(sha256Digest(Buffer.from(raw))).toBe(r.digest);
    const index = JSON.parse(raw);
    expect(index.mediaType).toBe(OCI_INDEX);
    expect(index.annotations).toEqual({ 'org.opencontainers.image.version': '1.4.2' });
    expect(
      index.manifests.map(
        (m: { platform: { os: string; architecture: string } }) =>
          `${m.platform.os}/${m.platform.architecture}`,
      ),
    ).toEqual(['linux/amd64', 'linux/arm64', 'unknown/unknown']);
  }
  // Every platform resolves through the index in the mirror too (manifests and blobs were mounted there).
  for (const arch of ['amd64', 'arm64']) {
    const cfg = JSON.parse(
      await skopeo(
        'inspect',
        '--config',
        '--tls-verify=false',
        '--override-os',
        'linux',
        '--override-arch',
        arch,
        `docker://${reg.host}/mirror/web:1.4.2`,
      ),
    );
    expect(cfg.architecture).toBe(arch);
  }
});

test.each([
  [
    'a platform is missing',
    async () => [(await image('acme/miss', 'amd64')).digest],
    'acme/miss',
    'digests: no manifest for linux/arm64',
  ],
  [
    'a platform appears twice',
    async () => [
      (await image('acme/twice', 'amd64')).digest,
      (await pushManifest('acme/twice', { os: 'linux', architecture: 'amd64' }, 'other')).digest,
    ],
    'acme/twice',
    'digests: linux/amd64 appears twice',
  ],
  [
    'a digest does not exist',
    async () => [(await image('acme/gone', 'amd64')).digest, `sha256:${'0'.repeat(64)}`],
    'acme/gone',
    `digests: sha256:${'0'.repeat(64)} is not in acme/gone`,
  ],
  [
    'an extra platform',
    async () => [
      (await image('acme/extra', 'amd64')).digest,
      (await image('acme/extra', 'arm64')).digest,
      (await image('acme/extra', 's390x')).digest,
    ],
    'acme/extra',
    'brings linux/s390x, which is not among the platforms',
  ],
])('%s: a clear error and nothing pushed', async (_name, make, repo, message) => {
  const digests = await make();
  await expect(
    merge({ images: [`${reg.host}/${repo}`, `${reg.host}/${repo}-mirror`], digests }),
  ).rejects.toThrow(message);
  expect(await client.manifestDigest(repo, '1.4.2')).toBeUndefined();
  expect(await client.tags(`${repo}-mirror`).catch(() => [])).toEqual([]);
});

test('parseDigests: sha256 digests or bare hex (docker’s digest file names); anything else is refused', () => {
  const hex = 'a'.repeat(64);
  expect(parseDigests([`sha256:${hex}`, hex, ''])).toEqual([`sha256:${hex}`]);
  expect(() => parseDigests(['sha256:abc'])).toThrow(
    'digests: "sha256:abc" is not a digest; expected sha256: followed by 64 hex characters',
  );
  expect(() => parseDigests([])).toThrow('digests: give the per-platform digests');
});
