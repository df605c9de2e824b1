import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import path from 'node:path';
import { ConfigurationError } from '@upgrade-actions/common';

export interface Credentials {
  username: string;
  password: string;
}

/** The keys docker writes for Docker Hub in `auths`, beside the host itself. */
const DOCKER_HUB_KEYS = [
  'https://index.docker.io/v1/',
  'index.docker.io',
  'docker.io',
  'registry-1.docker.io',
];

function keysFor(registry: string): string[] {
  if (DOCKER_HUB_KEYS.includes(registry)) return DOCKER_HUB_KEYS;
  return [
    registry,
    `https://${registry}`,
    `http://${registry}`,
    `https://${registry}/v1/`,
    `https://${registry}/v2/`,
  ];
}

/**
 * Credentials for a registry from a docker config (`~/.docker/config.json`, or `$DOCKER_CONFIG/config.json`):
 * `auths.<host>.auth` (base64 `user:password`) or `username`/`password`. Credential helpers are not run.
 * Returns undefined when the file or the entry is absent (anonymous access).
 */
export async function dockerConfigCredentials(
  registry: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<Credentials | undefined> {
  const file = path.join(env.DOCKER_CONFIG ?? path.join(env.HOME ?? homedir(), '.docker'), 'config.json');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return undefined;
  }
  let config: { auths?: Record<string, { auth?: string; username?: string; password?: string }> };
  try {
    config = JSON.parse(text) as typeof config;
  } catch (e) {
    throw new ConfigurationError(`docker config ${file} is not valid JSON: ${(e as Error).message}`);
  }
  for (const key of keysFor(registry)) {
    const entry = config.auths?.[key];
    if (!entry) continue;
    if (entry.auth) {
      const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon < 0)
        throw new ConfigurationError(
          `docker config ${file}: auths["${key}"].auth is not base64 of user:password`,
        );
      return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
    }
    if (entry.username !== undefined && entry.password !== undefined) {
      return { username: entry.username, password: entry.password };
    }
  }
  return undefined;
}
