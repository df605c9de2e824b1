import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigurationError } from './errors';

export interface OutputPathOptions {
  /** Refuse a path outside this directory (the workspace), by its resolved form. */
  within?: string;
  /** Create the missing parent directories (a report path); otherwise they are only checked. */
  createDirs?: boolean;
}

/**
 * Checks a file path the step will write (a report, a kubeconfig) before any work, so that a run does
 * not end on a raw ENOENT/EISDIR/ENOTDIR after doing everything else: the path must not be a directory
 * nor lie under a file, and, with `within`, must stay inside that directory. `input` names the input
 * (or the CLI flag) in the error. Returns the absolute path.
 */
export function checkOutputFile(
  file: string,
  input: string,
  base: string,
  opts: OutputPathOptions = {},
): string {
  const abs = path.resolve(base, file);
  if (opts.within !== undefined) {
    const rel = path.relative(path.resolve(opts.within), abs);
    if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel))
      throw new ConfigurationError(
        `${input}: ${file} is outside the workspace ${opts.within}; give a path inside it (relative paths are resolved there)`,
      );
  }
  const kind = (p: string) => {
    try {
      return statSync(p).isDirectory() ? 'dir' : 'file';
    } catch {
      return undefined;
    }
  };
  if (kind(abs) === 'dir')
    throw new ConfigurationError(`${input}: ${file} is a directory; give the path of a file`);
  // The nearest existing ancestor must be a directory: a file there makes every path under it impossible.
  let parent = path.dirname(abs);
  while (kind(parent) === undefined && path.dirname(parent) !== parent) parent = path.dirname(parent);
  if (kind(parent) === 'file')
    throw new ConfigurationError(`${input}: ${file} is under ${parent}, which is a file, not a directory`);
  if (opts.createDirs) makeDirs(path.dirname(abs));
  return abs;
}

/**
 * Writes a report file the step's outputs and summary do not depend on. Call it after they are written:
 * a failure here (a full disk, a path that changed since it was checked) then loses nothing else, and
 * says which input named the file.
 */
export function writeOutputFile(abs: string, text: string, input: string): void {
  try {
    makeDirs(path.dirname(abs));
    writeFileSync(abs, text);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    throw new ConfigurationError(
      `${input}: could not write ${abs}: ${err.code ? `${err.code} ` : ''}${err.message.replace(/^\w+: /, '')}; the outputs and the summary were written`,
    );
  }
}

/**
 * `mkdir -p`, one level at a time from the nearest existing ancestor: each failure is the real one (ENOENT,
 * EACCES, EROFS). Node's `mkdirSync(…, { recursive: true })` never returns under /proc, where mkdir answers
 * ENOENT for a parent that exists, so a report path there would hang the step.
 */
export function makeDirs(dir: string): void {
  const missing: string[] = [];
  let cur = path.resolve(dir);
  while (!exists(cur)) {
    missing.unshift(cur);
    const up = path.dirname(cur);
    if (up === cur) break;
    cur = up;
  }
  for (const d of missing) {
    try {
      mkdirSync(d);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
}

function exists(p: string): boolean {
  try {
    statSync(p);
    return true;
  } catch {
    return false;
  }
}
