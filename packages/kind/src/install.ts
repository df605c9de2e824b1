import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { chmod, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as tc from '@actions/tool-cache';
import type { Logger } from '@upgrade-actions/common';
import type { Download } from './downloads';

/** The part of @actions/tool-cache the installer uses; injected so the CLI and tests can swap it. */
export interface ToolCache {
  find(tool: string, version: string, arch: string): string;
  download(url: string): Promise<string>;
  cacheFile(file: string, target: string, tool: string, version: string, arch: string): Promise<string>;
}

/** The runner's tool cache: RUNNER_TOOL_CACHE (per version and arch), downloads into RUNNER_TEMP. */
export const runnerToolCache: ToolCache = {
  find: (tool, version, arch) => tc.find(tool, version, arch),
  download: (url) => tc.downloadTool(url),
  cacheFile: (file, target, tool, version, arch) => tc.cacheFile(file, target, tool, version, arch),
};

/**
 * @actions/tool-cache keeps tools in RUNNER_TOOL_CACHE and downloads into RUNNER_TEMP, and asserts both.
 * Off a GitHub runner (act, a self-hosted runner without them, a script) each missing one is replaced
 * by a fresh private temporary directory — the tool is then downloaded and verified for this run only —
 * and the log says so. Returns the variables it set.
 */
export function ensureToolCacheDirs(env: NodeJS.ProcessEnv, log: Logger): string[] {
  const set: string[] = [];
  for (const name of ['RUNNER_TOOL_CACHE', 'RUNNER_TEMP'] as const) {
    if (env[name]) continue;
    env[name] = mkdtempSync(path.join(tmpdir(), `${name.toLowerCase().replaceAll('_', '-')}-`));
    log.info(`${name} is not set (not on a GitHub runner?): using ${env[name]} for this run`);
    set.push(name);
  }
  return set;
}

export class ChecksumMismatchError extends Error {
  override name = 'ChecksumMismatchError';
}

export async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** The tool cache names architectures as Node does (x64, arm64); the download sites as Go does. */
function cacheArch(arch: Download['arch']): string {
  return arch === 'amd64' ? 'x64' : 'arm64';
}

export interface Installed {
  /** Absolute path of the executable. */
  file: string;
  dir: string;
  cached: boolean;
}

/**
 * Installs one pinned tool: a cache hit is used as is (the cache holds only what passed this check);
 * otherwise the download is hashed and must match before it is made executable and cached. A mismatch
 * deletes the download and fails, so nothing unverified is ever cached or run.
 */
export async function installTool(d: Download, cache: ToolCache, log: Logger): Promise<Installed> {
  const version = d.version.replace(/^v/, '');
  const arch = cacheArch(d.arch);
  const hit = cache.find(d.tool, version, arch);
  if (hit) {
    log.info(`${d.tool} ${d.version} linux/${d.arch} found in the tool cache: ${hit}`);
    return { file: path.join(hit, d.tool), dir: hit, cached: true };
  }
  log.info(`Downloading ${d.tool} ${d.version} linux/${d.arch} from ${d.url}`);
  let downloaded: string;
  try {
    downloaded = await cache.download(d.url);
  } catch (e) {
    const base = d.tool === 'kind' ? 'kind-download-url' : 'kubectl-download-url';
    throw new Error(
      `downloading ${d.tool} ${d.version} from ${d.url} failed: ${(e as Error).message}. ` +
        `Check '${d.tool}-version' and '${base}' (a mirror must serve that path) and that the runner can reach the host`,
      { cause: e },
    );
  }
  const actual = await sha256File(downloaded);
  if (actual !== d.sha256) {
    await rm(downloaded, { force: true });
    throw new ChecksumMismatchError(
      `${d.tool} ${d.version} linux/${d.arch} from ${d.url} has sha256 ${actual}, but ${d.sha256} is pinned: ` +
        `refusing to install it (nothing was cached)`,
    );
  }
  log.info(`sha256 ${actual} verified`);
  await chmod(downloaded, 0o755);
  const dir = await cache.cacheFile(downloaded, d.tool, d.tool, version, arch);
  await rm(downloaded, { force: true });
  return { file: path.join(dir, d.tool), dir, cached: false };
}
