import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { memoryLogger } from '@upgrade-actions/common';
import { sweep } from '@upgrade-actions/patch-sweep';
import {
  dockerConfigCredentials,
  RegistryClient,
  platformConfig,
  pushImage,
} from '@upgrade-actions/registry';
import { freePort, startRegistry, type RunningRegistry } from './registry/registry';

// The sweep against a real registry holding several tags per repository, variants and pre-releases included.

let reg: RunningRegistry;
let client: RegistryClient;

const tag = async (repo: string, t: string) =>
  (await pushImage(client, repo, { config: platformConfig('amd64', undefined, { tag: t }), tag: t })).digest;

beforeAll(async () => {
  reg = await startRegistry();
  client = new RegistryClient({ registry: reg.host });
  for (const t of [
    '1.25.0',
    '1.25.1',
    '1.25.3',
    '1.25.4-rc.1',
    '1.25.1-alpine',
    '1.25.5-alpine',
    '1.26.0',
    '1.25',
  ])
    await tag('library/nginx', t);
  for (const t of ['2.1.0', '2.1.7', '2.2.0', '3.0.0-beta2']) await tag('acme/web', t);
  for (const t of ['0.9.1', '0.9.2']) await tag('acme/excluded', t);
});
afterAll(() => reg?.stop());

function checkout(): string {
  const root = mkdtempSync(path.join(tmpdir(), 'sweep-'));
  mkdirSync(path.join(root, 'deploy'));
  mkdirSync(path.join(root, 'chart'));
  const h = reg.host;
  writeFileSync(
    path.join(root, 'deploy', 'app.yaml'),
    `# keep this comment
apiVersion: apps/v1
kind: Deployment
metadata: { name: web }
spec:
  template:
    spec:
      initContainers:
        - { name: init, image: "${h}/library/nginx:1.25.1-alpine" }
      containers:
        - name: web
          image: ${h}/acme/web:2.1.0
        - name: proxy
          image: '${h}/library/nginx:1.25.1'
        - name: floating
          image: ${h}/library/nginx:1.25
        - name: other
          image: ${h}/acme/excluded:0.9.1
`,
  );
  writeFileSync(
    path.join(root, 'chart', 'values.yaml'),
    `image:\n  repository: ${h}/acme/web\n  tag: "2.1.0"  # the chart's default\n`,
  );
  writeFileSync(
    path.join(root, 'deploy', 'kustomization.yaml'),
    `kind: Kustomization\nimages:\n  - name: ${h}/library/nginx\n    newTag: 1.25.0\n`,
  );
  return root;
}

test('bumps patches within major.minor, keeps variants and every other byte, and asks for each tag list once', async () => {
  const root = checkout();
  const before = readFileSync(path.join(root, 'deploy', 'app.yaml'), 'utf8');
  const r = await sweep({
    root,
    paths: [],
    include: [],
    exclude: ['*/acme/excluded'],
    pinDigest: false,
    client: () => client,
    logger: memoryLogger(),
  });
  const h = reg.host;
  expect(r.updates).toEqual([
    { file: 'chart/values.yaml', line: 3, image: `${h}/acme/web`, from: '2.1.0', to: '2.1.7' },
    {
      file: 'deploy/app.yaml',
      line: 9,
      image: `${h}/library/nginx`,
      from: '1.25.1-alpine',
      to: '1.25.5-alpine',
    },
    { file: 'deploy/app.yaml', line: 12, image: `${h}/acme/web`, from: '2.1.0', to: '2.1.7' },
    { file: 'deploy/app.yaml', line: 14, image: `${h}/library/nginx`, from: '1.25.1', to: '1.25.3' },
    { file: 'deploy/kustomization.yaml', line: 4, image: `${h}/library/nginx`, from: '1.25.0', to: '1.25.3' },
  ]);
  expect(r.tagLists).toBe(2); // nginx and web: once each, however many references
  expect(r.files.get('deploy/app.yaml')).toBe(
    before
      .replace(`"${h}/library/nginx:1.25.1-alpine"`, `"${h}/library/nginx:1.25.5-alpine"`)
      .replace(`${h}/acme/web:2.1.0`, `${h}/acme/web:2.1.7`)
      .replace(`'${h}/library/nginx:1.25.1'`, `'${h}/library/nginx:1.25.3'`),
  );
  expect(r.files.get('chart/values.yaml')).toContain('tag: "2.1.7"  # the chart\'s default');
});

test('pin-digest pins tag@digest of the new tag', async () => {
  const root = checkout();
  const r = await sweep({
    root,
    paths: ['deploy/app.yaml'],
    include: [`${reg.host}/acme/*`],
    exclude: ['*excluded'],
    pinDigest: true,
    client: () => client,
    logger: memoryLogger(),
  });
  const digest = await client.manifestDigest('acme/web', '2.1.7');
  expect(r.updates).toEqual([
    { file: 'deploy/app.yaml', line: 12, image: `${reg.host}/acme/web`, from: '2.1.0', to: '2.1.7', digest },
  ]);
  expect(r.files.get('deploy/app.yaml')).toContain(`image: ${reg.host}/acme/web:2.1.7@${digest}`);
});

test('nothing newer: no updates, no files', async () => {
  const root = mkdtempSync(path.join(tmpdir(), 'sweep-'));
  writeFileSync(path.join(root, 'a.yaml'), `image: ${reg.host}/acme/web:2.1.7\n`);
  const r = await sweep({
    root,
    paths: [],
    include: [],
    exclude: [],
    pinDigest: false,
    client: () => client,
    logger: memoryLogger(),
  });
  expect(r.updates).toEqual([]);
  expect(r.files.size).toBe(0);
});

test('an unreachable registry stops the sweep with the reference that needed it', async () => {
  const port = await freePort();
  const root = mkdtempSync(path.join(tmpdir(), 'sweep-'));
  writeFileSync(path.join(root, 'a.yaml'), `image: 127.0.0.1:${port}/acme/web:1.0.0\n`);
  await expect(
    sweep({
      root,
      paths: [],
      include: [],
      exclude: [],
      pinDigest: false,
      client: (r) => new RegistryClient({ registry: r, attempts: 1 }),
      logger: memoryLogger(),
    }),
  ).rejects.toThrow(`127.0.0.1:${port}/acme/web (a.yaml:1): cannot reach registry 127.0.0.1:${port}`);
});

test('a malformed pattern is refused naming the input', async () => {
  await expect(
    sweep({
      root: tmpdir(),
      paths: [],
      include: ['ghcr.io/$(x)'],
      exclude: [],
      pinDigest: false,
      client: () => client,
      logger: memoryLogger(),
    }),
  ).rejects.toThrow('include: "ghcr.io/$(x)" is not an image pattern');
});

test('a reference already pinned to a digest gets the digest of its new tag, without pin-digest', async () => {
  const h = reg.host;
  const old = await client.manifestDigest('acme/web', '2.1.0');
  const root = mkdtempSync(path.join(tmpdir(), 'sweep-'));
  writeFileSync(path.join(root, 'pod.yaml'), `image: ${h}/acme/web:2.1.0@${old} # pinned\n`);
  writeFileSync(
    path.join(root, 'kustomization.yaml'),
    `kind: Kustomization\nimages:\n  - name: ${h}/acme/web\n    newTag: 2.1.0\n    digest: ${old}\n`,
  );
  const r = await sweep({
    root,
    paths: [],
    include: [],
    exclude: [],
    pinDigest: false,
    client: () => client,
    logger: memoryLogger(),
  });
  const digest = await client.manifestDigest('acme/web', '2.1.7');
  expect(r.updates.map((u) => [u.file, u.to, u.digest])).toEqual([
    ['kustomization.yaml', '2.1.7', digest],
    ['pod.yaml', '2.1.7', digest],
  ]);
  expect(r.files.get('pod.yaml')).toBe(`image: ${h}/acme/web:2.1.7@${digest} # pinned\n`);
  expect(r.files.get('kustomization.yaml')).toBe(
    `kind: Kustomization\nimages:\n  - name: ${h}/acme/web\n    newTag: 2.1.7\n    digest: ${digest}\n`,
  );
});

test('credentials from a docker config reach a registry that requires them, and a wrong password names the user', async () => {
  const creds = { username: 'ci', password: 's3cret' };
  const locked = await startRegistry({ kind: 'basic', ...creds });
  try {
    const writer = new RegistryClient({ registry: locked.host, credentials: creds });
    for (const t of ['3.1.0', '3.1.2'])
      await pushImage(writer, 'acme/api', { config: platformConfig('amd64', undefined, { t }), tag: t });
    const root = mkdtempSync(path.join(tmpdir(), 'sweep-'));
    writeFileSync(path.join(root, 'a.yaml'), `image: ${locked.host}/acme/api:3.1.0\n`);
    const home = mkdtempSync(path.join(tmpdir(), 'docker-'));
    const config = (password: string) =>
      writeFileSync(
        path.join(home, 'config.json'),
        JSON.stringify({
          auths: { [locked.host]: { auth: Buffer.from(`ci:${password}`).toString('base64') } },
        }),
      );
    const run = () =>
      sweep({
        root,
        paths: [],
        include: [],
        exclude: [],
        pinDigest: false,
        client: async (registry) =>
          new RegistryClient({
            registry,
            credentials: await dockerConfigCredentials(registry, { DOCKER_CONFIG: home }),
          }),
        logger: memoryLogger(),
      });
    config(creds.password);
    expect((await run()).updates.map((u) => u.to)).toEqual(['3.1.2']);
    config('wrong');
    await expect(run()).rejects.toThrow('the credentials of user "ci" were refused (401)');
  } finally {
    await locked.stop();
  }
});

test('upgrade-actions patch-sweep: reports the bumps as JSON, --write edits in place, bad patterns name the flag', async () => {
  const { commands } = await import('../packages/cli/src/commands/index');
  const cmd = await commands.find((c) => c.name === 'patch-sweep')!.load();
  const root = mkdtempSync(path.join(tmpdir(), 'sweep-cli-'));
  const file = path.join(root, 'web.yaml');
  const before = `# web\napiVersion: v1\nkind: Pod\nmetadata: {name: web}\nspec:\n  containers:\n    - name: web\n      image: "${reg.host}/acme/web:2.1.0" # pinned by hand\n`;
  writeFileSync(file, before);
  const run = async (...argv: string[]) => {
    let stdout = '';
    const code = await cmd.run({
      argv,
      logger: memoryLogger(),
      stdout: (t) => (stdout += t),
      stderr: () => {},
      cwd: root,
      env: {},
    });
    return { code, stdout };
  };
  const report = await run();
  expect(report.code).toBe(0);
  expect(JSON.parse(report.stdout)).toEqual([
    { file: 'web.yaml', line: 8, image: `${reg.host}/acme/web`, from: '2.1.0', to: '2.1.7' },
  ]);
  expect(readFileSync(file, 'utf8')).toBe(before); // a report changes nothing
  await run('--write');
  expect(readFileSync(file, 'utf8')).toBe(before.replace(':2.1.0"', ':2.1.7"'));
  await expect(run('--include', 'bad pattern!')).rejects.toThrow(
    /^--include: "bad pattern!" is not an image pattern/,
  );
});
