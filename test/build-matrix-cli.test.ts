import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { OCI_INDEX, RegistryClient, platformConfig, pushImage } from '@upgrade-actions/registry';
import { node24, repoRoot } from './harness/run-action';
import { startRegistry, type RunningRegistry } from './registry/registry';

const cli = path.join(repoRoot, 'dist', 'cli', 'index.js');
const run = (...args: string[]) =>
  promisify(execFile)(node24, [cli, 'build-matrix', ...args], {
    env: { ...process.env, GITHUB_REF: '', GITHUB_SHA: '' },
  }).then(
    (r) => ({ code: 0, ...r }),
    (e: { code: number; stdout: string; stderr: string }) => ({
      code: e.code,
      stdout: e.stdout,
      stderr: e.stderr,
    }),
  );

let reg: RunningRegistry;
beforeAll(async () => {
  reg = await startRegistry();
});
afterAll(() => reg?.stop());

test('matrix prints the strategy matrix and the tags', async () => {
  const r = await run(
    'matrix',
    '--image',
    'ghcr.io/acme/web',
    '--tag',
    'type=semver,pattern={{version}}',
    '--ref',
    'refs/tags/v1.2.3',
    '--platform',
    'linux/amd64',
  );
  expect(r.code).toBe(0);
  const [matrix, tag] = r.stdout.trim().split('\n');
  expect(JSON.parse(matrix).include).toHaveLength(1);
  expect(tag).toBe('ghcr.io/acme/web:1.2.3');
});

test('merge pushes one index and prints image@digest', async () => {
  const client = new RegistryClient({ registry: reg.host });
  const digests: string[] = [];
  for (const arch of ['amd64', 'arm64'])
    digests.push((await pushImage(client, 'acme/cli', { config: platformConfig(arch) })).digest);
  const r = await run(
    'merge',
    '--image',
    `${reg.host}/acme/cli`,
    '--tag',
    '3.0.0',
    '--digest',
    digests[0],
    '--digest',
    digests[1],
  );
  expect(r.code).toBe(0);
  const index = await client.getManifest('acme/cli', '3.0.0');
  expect(index.mediaType).toBe(OCI_INDEX);
  expect(r.stdout).toBe(`${reg.host}/acme/cli@${index.digest}\n`);
});

test.each([
  [['matrix', '--image', 'ghcr.io/acme/web', '--tag', 'latest'], 'error: --tag: a rule yields "latest"'],
  [
    ['matrix', '--image', 'ghcr.io/acme/web', '--platform', 'linux/mips'],
    'error: --platform: "linux/mips" is not a platform',
  ],
  [['merge', '--image', 'ghcr.io/acme/web', '--digest', 'abc'], 'error: --digest: "abc" is not a digest'],
  [['build'], 'error: give matrix or merge'],
  [['matrix'], 'error: --image: give at least one image name'],
])('%j → %s', async (args, message) => {
  const r = await run(...args);
  expect(r.code).toBe(1);
  expect(r.stderr).toContain(message);
});
