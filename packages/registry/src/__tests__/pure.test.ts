import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseChallenge } from '../challenge';
import { registryBaseUrl, retryAfterMs } from '../client';
import { dockerConfigCredentials } from '../credentials';

describe('parseChallenge', () => {
  test('a Docker Hub bearer challenge', () => {
    expect(
      parseChallenge(
        'Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/nginx:pull"',
      ),
    ).toEqual({
      scheme: 'bearer',
      params: {
        realm: 'https://auth.docker.io/token',
        service: 'registry.docker.io',
        scope: 'repository:library/nginx:pull',
      },
    });
  });
  test('basic, tokens without quotes, escapes and spaces', () => {
    expect(parseChallenge('Basic realm="test \\"registry\\""')).toEqual({
      scheme: 'basic',
      params: { realm: 'test "registry"' },
    });
    expect(parseChallenge('Bearer realm=https://x/token, service=x')).toEqual({
      scheme: 'bearer',
      params: { realm: 'https://x/token', service: 'x' },
    });
  });
  test('absent', () => expect(parseChallenge(null)).toBeUndefined());
});

test.each([
  ['ghcr.io', 'https://ghcr.io'],
  ['docker.io', 'https://registry-1.docker.io'],
  ['localhost:5000', 'http://localhost:5000'],
  ['127.0.0.1:41234', 'http://127.0.0.1:41234'],
  ['[::1]:5000', 'http://[::1]:5000'],
  ['registry.local:5000', 'https://registry.local:5000'],
  ['127.example.com', 'https://127.example.com'],
])('registryBaseUrl(%s) = %s: plain HTTP on loopback only, as docker does', (registry, url) => {
  expect(registryBaseUrl(registry)).toBe(url);
});

test('retryAfterMs reads seconds and HTTP dates', () => {
  expect(retryAfterMs('3')).toBe(3000);
  expect(retryAfterMs('Sat, 05 Dec 2026 10:00:02 GMT', Date.parse('2026-12-05T10:00:00Z'))).toBe(2000);
  expect(retryAfterMs(null)).toBeUndefined();
  expect(retryAfterMs('soon')).toBeUndefined();
});

describe('dockerConfigCredentials', () => {
  const config = (auths: unknown) => {
    const dir = mkdtempSync(path.join(tmpdir(), 'docker-config-'));
    mkdirSync(path.join(dir, '.docker'));
    writeFileSync(path.join(dir, '.docker', 'config.json'), JSON.stringify({ auths }));
    return { HOME: dir };
  };
  test('base64 auth of the host', async () => {
    const env = config({
      'ghcr.io': { auth: Buffer.from('octo:ghp_secret:with:colons').toString('base64') },
    });
    expect(await dockerConfigCredentials('ghcr.io', env)).toEqual({
      username: 'octo',
      password: 'ghp_secret:with:colons',
    });
  });
  test('Docker Hub under the legacy index key', async () => {
    const env = config({ 'https://index.docker.io/v1/': { username: 'me', password: 'pw' } });
    expect(await dockerConfigCredentials('docker.io', env)).toEqual({ username: 'me', password: 'pw' });
  });
  test('no file, or no entry: anonymous', async () => {
    expect(
      await dockerConfigCredentials('ghcr.io', { HOME: mkdtempSync(path.join(tmpdir(), 'none-')) }),
    ).toBeUndefined();
    expect(await dockerConfigCredentials('quay.io', config({ 'ghcr.io': { auth: 'eDp5' } }))).toBeUndefined();
  });
  test('DOCKER_CONFIG wins over HOME', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'docker-config-'));
    writeFileSync(
      path.join(dir, 'config.json'),
      JSON.stringify({ auths: { 'localhost:5000': { auth: Buffer.from('a:b').toString('base64') } } }),
    );
    expect(
      await dockerConfigCredentials('localhost:5000', { DOCKER_CONFIG: dir, HOME: '/nonexistent' }),
    ).toEqual({ username: 'a', password: 'b' });
  });
  test('a broken file is an error naming it', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'docker-config-'));
    writeFileSync(path.join(dir, 'config.json'), '{ not json');
    await expect(dockerConfigCredentials('ghcr.io', { DOCKER_CONFIG: dir })).rejects.toThrow(
      `docker config ${dir}/config.json is not valid JSON`,
    );
  });
});
