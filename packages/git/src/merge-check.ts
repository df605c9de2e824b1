import { statSync } from 'node:fs';
import { ConfigurationError, type Logger, silentLogger } from '@upgrade-actions/common';
import { firstConflictMarkerLine } from './conflict-markers';
import { DEFAULT_FETCH_POLICY, resolvePair, type FetchPolicy } from './fetch';
import { Git } from './git';
import { checkManifest, isManifestPath, type ManifestProblem } from './manifest-check';
import { conflictsOf, parseMergeTreeOutput, type ConflictReason } from './merge-tree-output';
import { validateRevision } from './refs';
import { requireMergeTree } from './version';

export interface MergeCheckOptions {
  /** The repository (any folder inside it). */
  cwd: string;
  /** The branch merged into (ours). */
  base: string;
  /** The branch being merged (theirs). */
  head: string;
  /**
   * How messages name base and head when they were given as SHAs: a pull_request event's
   * `base.ref` / `head.ref`. Default: base and head as given.
   */
  names?: { base?: string; head?: string };
  /** Parse the YAML/JSON files head changes, in the merged tree, after a clean merge. */
  checkManifests?: boolean;
  fetch?: Partial<FetchPolicy>;
  logger?: Logger;
}

/** One file that makes the merge fail: a git conflict, or a manifest the clean merge broke. */
export interface MergeProblem {
  path: string;
  reason: ConflictReason | ManifestProblem['reason'];
  /** Line of the first conflict marker (content, add/add) or of the manifest error. */
  line?: number;
  /** git's (or the parser's) own words. */
  message: string;
}

export interface MergeCheckResult {
  base: string;
  head: string;
  /** The commits' names for messages: the branch names given in `names`, else base and head as given. */
  baseRef: string;
  headRef: string;
  mergeBase: string;
  /** True when the merge has conflicts or broke a manifest. */
  conflicted: boolean;
  /** The merged tree: the result when clean; with conflict markers inside when not. */
  tree: string;
  files: MergeProblem[];
  /** YAML/JSON files head changes (since the merge base) that were parsed in the clean merged tree. */
  manifestsChecked: string[];
  fetches: string[];
}

/**
 * Merges head into base in git's object store only (`git merge-tree --write-tree`): no checkout, no
 * index, the work tree is never touched. Fetches what a shallow clone lacks, then reports every
 * conflicting file with git's reason and, for content conflicts, the first marker's line.
 */
export async function checkMerge(opts: MergeCheckOptions): Promise<MergeCheckResult> {
  const logger = opts.logger ?? silentLogger;
  const baseRef = validateRevision(opts.base, 'base');
  const headRef = validateRevision(opts.head, 'head');
  // Names only label messages (never reach git): a blank or odd one falls back to the revision.
  const baseName = opts.names?.base?.trim() || baseRef;
  const headName = opts.names?.head?.trim() || headRef;
  const policy = { ...DEFAULT_FETCH_POLICY, ...opts.fetch };
  if (policy.remote.startsWith('-') || policy.remote.trim() === '')
    throw new ConfigurationError(`remote: "${policy.remote}" is not a remote name`);
  if (!isDirectory(opts.cwd)) throw new ConfigurationError(`working-directory: ${opts.cwd} is not a folder`);
  const found = new Git(opts.cwd, logger);

  // Independent questions, asked at once: each git process costs a few milliseconds to start.
  const [version, gitDir, top] = await Promise.all([
    found.version().catch((e: Error) => {
      throw new ConfigurationError(`git is not installed or not on PATH: ${e.message}`);
    }),
    found.repositoryRoot(),
    found.topLevel(),
  ]);
  requireMergeTree(version);
  if (!gitDir) throw new ConfigurationError(`working-directory: ${opts.cwd} is not inside a git repository`);
  // merge-tree lists conflicted paths relative to the current folder; run everything from the top.
  const git = new Git(top ?? opts.cwd, logger);

  const pair = await resolvePair(git, { base: baseRef, head: headRef }, policy, logger);
  const mt = await git.run(
    [
      'merge-tree',
      '--write-tree',
      '--name-only',
      '-z',
      '--messages',
      '--end-of-options',
      pair.base,
      pair.head,
    ],
    { okCodes: [0, 1] },
  );
  const parsed = parseMergeTreeOutput(mt.stdout);
  const conflicts = conflictsOf(parsed);
  if (mt.code === 1 && conflicts.length === 0)
    throw new Error('git merge-tree reported a conflict but named no file');

  // merge-tree was given SHAs (so what was fetched is what is merged): say the names in its messages.
  const named = (m: string) => nameCommits(m, [pair.base, baseName], [pair.head, headName]);
  const files: MergeProblem[] = conflicts.map((c) => ({
    path: c.path,
    reason: c.reason,
    message: named(c.message),
  }));
  await addConflictLines(git, parsed.tree, pair, files);

  const manifestsChecked: string[] = [];
  if (files.length === 0 && opts.checkManifests !== false) {
    const problems = await checkChangedManifests(git, parsed.tree, pair, manifestsChecked);
    files.push(...problems);
  }
  return {
    base: pair.base,
    head: pair.head,
    baseRef: baseName,
    headRef: headName,
    mergeBase: pair.mergeBase,
    conflicted: files.length > 0,
    tree: parsed.tree,
    files,
    manifestsChecked,
    fetches: pair.fetches,
  };
}

/**
 * Content and add/add conflicts leave markers in the merged blob; the first one is where a reviewer
 * should look. An add/add of identical text whose modes differ has no markers: that is a mode conflict.
 */
async function addConflictLines(
  git: Git,
  tree: string,
  pair: { base: string; head: string },
  files: MergeProblem[],
): Promise<void> {
  const textual = files.filter((f) => f.reason === 'content' || f.reason === 'add/add');
  if (textual.length === 0) return;
  const entries = await git.lsTree(
    tree,
    textual.map((f) => f.path),
  );
  const blobs = await git.readBlobs([...entries.values()].filter((e) => e.type === 'blob').map((e) => e.oid));
  const unmarked: MergeProblem[] = [];
  for (const f of textual) {
    const e = entries.get(f.path);
    const blob = e && blobs.get(e.oid);
    const line = blob ? firstConflictMarkerLine(blob) : undefined;
    if (line !== undefined) f.line = line;
    else if (f.reason === 'add/add') unmarked.push(f);
  }
  if (unmarked.length === 0) return;
  const paths = unmarked.map((f) => f.path);
  const [ours, theirs] = await Promise.all([git.lsTree(pair.base, paths), git.lsTree(pair.head, paths)]);
  for (const f of unmarked) {
    const a = ours.get(f.path);
    const b = theirs.get(f.path);
    if (a && b && a.oid === b.oid && a.mode !== b.mode) {
      f.reason = 'file mode';
      f.message = `CONFLICT (file mode): ${f.path} added with mode ${a.mode} in base and ${b.mode} in head`;
    }
  }
}

/**
 * A clean textual merge can still leave a broken manifest: one the PR broke on its own (a trailing
 * comma in package.json), or two valid edits that clash (both add `replicas:`). Every YAML/JSON file
 * head changes since the merge base is parsed as it is in the merged tree. Files only base changed
 * are base's own state, not this merge's doing.
 */
async function checkChangedManifests(
  git: Git,
  tree: string,
  pair: { base: string; head: string; mergeBase: string },
  checked: string[],
): Promise<MergeProblem[]> {
  const changed = (await git.changedPaths(pair.mergeBase, pair.head)).filter(isManifestPath);
  if (changed.length === 0) return [];
  const entries = await git.lsTree(tree, changed);
  const present = [...entries.values()].filter((e) => e.type === 'blob' && e.mode !== '120000');
  const blobs = await git.readBlobs(present.map((e) => e.oid));
  const problems: MergeProblem[] = [];
  for (const e of present) {
    checked.push(e.path);
    problems.push(...checkManifest(e.path, blobs.get(e.oid) ?? ''));
  }
  return problems;
}

function isDirectory(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/**
 * Replaces full SHAs in git's messages with the names the user gave, except inside paths git derived
 * from them (`config~<sha>` is the real path of a file moved out of a directory's way).
 */
export function nameCommits(message: string, ...pairs: Array<[sha: string, name: string]>): string {
  let out = message;
  for (const [sha, name] of pairs) {
    if (sha === name) continue;
    out = out.replace(new RegExp(`(?<![~\\w])${sha}(?!\\w)`, 'g'), () => name);
  }
  return out;
}
