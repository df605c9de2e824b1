import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { ConfigurationError, type Logger } from '@upgrade-actions/common';
import { parseImageReference } from '@upgrade-actions/images';
import type { RegistryClient } from '@upgrade-actions/registry';
import { glob } from 'tinyglobby';
import { applyBumps, type Bump } from './edit';
import { findImages, type ImageSite } from './find';
import { newestPatch } from './versions';

export interface SweepOptions {
  /** The checkout. */
  root: string;
  /** Globs relative to root; default every .yaml/.yml file. */
  paths: string[];
  /** Image patterns (`ghcr.io/acme/*`) to sweep; empty: all. */
  include: string[];
  exclude: string[];
  pinDigest: boolean;
  /** A client per registry host (`docker.io`, `ghcr.io`, `127.0.0.1:5000`); may look up credentials first. */
  client: (registry: string) => RegistryClient | Promise<RegistryClient>;
  /** Tag lists fetched at once (default 8): a sweep over many repositories is not one round trip after another. */
  concurrency?: number;
  logger: Logger;
}

export interface Update {
  file: string;
  line: number;
  image: string;
  from: string;
  to: string;
  digest?: string;
}

export interface SweepResult {
  updates: Update[];
  /** File (relative) → its new text, for the files that change. */
  files: Map<string, string>;
  /** Tag lists fetched: one per repository, whatever the number of references. */
  tagLists: number;
}

/** A registry the sweep could not read: the sweep stops before anything is written. */
export class SweepError extends Error {
  override name = 'SweepError';
}

function globToRegExp(glob: string): RegExp {
  return new RegExp(
    '^' +
      glob
        .split('*')
        .map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
        .join('.*') +
      '$',
  );
}

export function checkPatterns(patterns: string[], input: string): RegExp[] {
  return patterns.map((p) => {
    if (!/^[\w.\-/:*@]+$/.test(p)) {
      throw new ConfigurationError(
        `${input}: "${p}" is not an image pattern; use names with * wildcards, e.g. ghcr.io/acme/*`,
      );
    }
    return globToRegExp(p);
  });
}

/**
 * Finds every image reference under the paths, asks each registry once per repository for its tags, and
 * computes the newest patch release of each reference (variants kept, pre-releases never). Pure of side
 * effects on the checkout: the caller writes `files`.
 */
export async function sweep(opts: SweepOptions): Promise<SweepResult> {
  const include = checkPatterns(opts.include, 'include');
  const exclude = checkPatterns(opts.exclude, 'exclude');
  const patterns = opts.paths.length > 0 ? opts.paths : ['**/*.yaml', '**/*.yml'];
  const files = (
    await glob(patterns, { cwd: opts.root, ignore: ['**/node_modules/**', '.git/**'], dot: false })
  ).sort();
  const sites: { site: ImageSite; registry: string; repository: string; name: string }[] = [];
  const texts = new Map<string, string>();
  for (const file of files) {
    const text = await readFile(path.join(opts.root, file), 'utf8');
    texts.set(file, text);
    for (const site of findImages(text, file)) {
      if (!site.tag) continue;
      let ref;
      try {
        ref = parseImageReference(site.image);
      } catch {
        continue; // templated or otherwise not a reference (`{{ .Values.image }}`): not ours to bump
      }
      const name = `${ref.registry}/${ref.repository}`;
      const short = site.repository;
      const wanted = (res: RegExp[]) => res.some((re) => re.test(name) || re.test(short));
      if (include.length > 0 && !wanted(include)) continue;
      if (wanted(exclude)) continue;
      sites.push({ site, registry: ref.registry, repository: ref.repository, name });
    }
  }
  opts.logger.info(`found ${sites.length} image reference(s) in ${files.length} file(s)`);

  // One tag list per repository, whatever the number of references; several repositories at once.
  const clients = new Map<string, Promise<RegistryClient>>();
  const clientOf = (registry: string) => {
    let c = clients.get(registry);
    if (!c) clients.set(registry, (c = Promise.resolve(opts.client(registry))));
    return c;
  };
  const firstSite = new Map<string, (typeof sites)[number]>();
  for (const s of sites) if (!firstSite.has(s.name)) firstSite.set(s.name, s);
  const tagLists = new Map<string, string[]>();
  await inBatches([...firstSite.values()], opts.concurrency ?? 8, async (s) => {
    try {
      tagLists.set(s.name, await (await clientOf(s.registry)).tags(s.repository));
    } catch (e) {
      // A sweep that silently skipped a registry would report "nothing to update" for images it never saw.
      throw new SweepError(`${s.name} (${s.site.file}:${s.site.line}): ${(e as Error).message}`);
    }
  });

  const digests = new Map<string, Promise<string | undefined>>();
  const digestOf = (s: (typeof sites)[number], tag: string) => {
    const key = `${s.name}:${tag}`;
    let d = digests.get(key);
    if (!d) digests.set(key, (d = clientOf(s.registry).then((c) => c.manifestDigest(s.repository, tag))));
    return d;
  };
  const bumpsByFile = new Map<string, Bump[]>();
  const updates: Update[] = [];
  for (const s of sites) {
    const to = newestPatch(s.site.tag!, tagLists.get(s.name)!);
    if (!to) continue;
    // A reference pinned to a digest stays pinned: the old digest names the old image, so keeping it
    // (or dropping it) would deploy something other than the bump says.
    let digest: string | undefined;
    if (opts.pinDigest || s.site.digest) {
      try {
        digest = await digestOf(s, to);
      } catch (e) {
        throw new SweepError(`${s.name}:${to} (${s.site.file}:${s.site.line}): ${(e as Error).message}`);
      }
      if (!digest)
        throw new SweepError(
          `${s.name}:${to} (${s.site.file}:${s.site.line}): the registry listed the tag but gave no digest for it`,
        );
    }
    const bump: Bump = { site: s.site, to, digest };
    bumpsByFile.set(s.site.file, [...(bumpsByFile.get(s.site.file) ?? []), bump]);
    updates.push({
      file: s.site.file,
      line: s.site.line,
      image: s.site.repository,
      from: s.site.tag!,
      to,
      ...(digest ? { digest } : {}),
    });
  }
  const changed = new Map<string, string>();
  for (const [file, bumps] of bumpsByFile) changed.set(file, applyBumps(texts.get(file)!, bumps));
  opts.logger.info(
    `${updates.length} patch update(s) in ${changed.size} file(s); ${tagLists.size} tag list(s) read`,
  );
  return { updates, files: changed, tagLists: tagLists.size };
}

/** Runs `f` over `items`, at most `limit` at a time; the first failure is thrown once all have settled. */
async function inBatches<T>(items: T[], limit: number, f: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failure: unknown;
  const worker = async () => {
    while (next < items.length && failure === undefined) {
      const item = items[next++];
      try {
        await f(item);
      } catch (e) {
        failure ??= e;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (failure !== undefined) throw failure;
}
