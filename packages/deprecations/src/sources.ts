import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { globSync, isDynamicPattern } from 'tinyglobby';
import { ConfigurationError } from '@upgrade-actions/common';

/** Where manifests come from: a file (named as the user named it) or standard input. */
export type Source = { kind: 'file'; name: string; path: string } | { kind: 'stdin'; name: '<stdin>' };

const MANIFEST = /\.(ya?ml|json)$/i;
const SKIP_DIRS = new Set(['.git', 'node_modules']);

/**
 * Turns the user's paths into sources: `-` is standard input, a file is itself (whatever its name),
 * a directory is every .yaml/.yml/.json file under it, anything else is a glob. A path or glob that
 * matches nothing is an error naming it: a typo must not make the check pass silently.
 */
export function expandPaths(patterns: string[], cwd: string, inputName = 'paths'): Source[] {
  if (patterns.length === 0)
    throw new ConfigurationError(`${inputName} must name at least one file, directory or glob`);
  const out: Source[] = [];
  const seen = new Set<string>();
  const add = (given: string) => {
    const abs = path.resolve(cwd, given);
    if (seen.has(abs)) return;
    seen.add(abs);
    out.push({ kind: 'file', name: displayName(given, abs, cwd), path: abs });
  };
  for (const p of patterns) {
    if (p === '-') {
      if (!out.some((s) => s.kind === 'stdin')) out.push({ kind: 'stdin', name: '<stdin>' });
      continue;
    }
    const abs = path.resolve(cwd, p);
    const st = statOrNull(abs);
    if (st?.isFile()) add(p);
    else if (st?.isDirectory()) {
      const files = walk(abs).map((f) => path.join(p, path.relative(abs, f)));
      if (!files.length)
        throw new ConfigurationError(`${inputName}: directory ${p} holds no .yaml, .yml or .json file`);
      files.forEach(add);
    } else if (isDynamicPattern(p)) {
      const files = globSync(p, { cwd, onlyFiles: true, dot: false, expandDirectories: false }).sort();
      if (!files.length) throw new ConfigurationError(`${inputName}: ${p} matches no file`);
      files.forEach(add);
    } else {
      throw new ConfigurationError(
        `${inputName}: ${p} does not exist (accepted: files, directories, globs, or - for stdin)`,
      );
    }
  }
  return out;
}

/**
 * How a file is named in every output (text, JSON, annotations, SARIF alike): relative to the
 * workspace with `/` separators when it is inside it (`./deploy/app.yaml` and an absolute path to it
 * both become `deploy/app.yaml`), else as the user gave it.
 */
function displayName(given: string, abs: string, cwd: string): string {
  const rel = path.relative(path.resolve(cwd), abs);
  if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) return given;
  return rel.split(path.sep).join('/');
}

function statOrNull(p: string) {
  try {
    return statSync(p);
  } catch {
    return null;
  }
}

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (!SKIP_DIRS.has(e.name)) out.push(...walk(full));
    } else if (e.isFile() && MANIFEST.test(e.name)) out.push(full);
  }
  return out;
}

export function readSource(source: Source, stdin: () => string): string {
  return source.kind === 'stdin' ? stdin() : readFileSync(source.path, 'utf8');
}
