/**
 * Parses what `git merge-tree --write-tree --name-only -z --messages <a> <b>` prints (git >= 2.38):
 *
 *   <tree oid> NUL
 *   <conflicted path> NUL ...          (one per path with unmerged stages; absent when clean)
 *   NUL                                (an empty field ends the list)
 *   <count> NUL <path> NUL ... <type> NUL <message> NUL   (informational messages, repeated)
 *
 * `type` is one of merge-ort's stable short descriptions ("CONFLICT (contents)", "Auto-merging", …),
 * which git documents as relied upon by tools; the message is the human text and may say more
 * ("CONFLICT (add/add): Merge conflict in x" under the type "CONFLICT (contents)").
 */
export interface MergeTreeMessage {
  paths: string[];
  type: string;
  message: string;
}

export interface MergeTreeOutput {
  tree: string;
  conflictedPaths: string[];
  messages: MergeTreeMessage[];
}

export function parseMergeTreeOutput(raw: Buffer | string): MergeTreeOutput {
  const fields = (typeof raw === 'string' ? raw : raw.toString('utf8')).split('\0');
  let i = 0;
  const tree = fields[i++] ?? '';
  if (!/^[0-9a-f]{40}([0-9a-f]{24})?$/.test(tree))
    throw new Error(`git merge-tree printed no tree id: ${JSON.stringify(fields.join('\\0').slice(0, 200))}`);
  const conflictedPaths: string[] = [];
  // A clean merge prints the tree and then the empty field; a conflicted one lists paths before it.
  while (i < fields.length && fields[i] !== '') conflictedPaths.push(fields[i++]);
  i++; // the empty field separating paths from messages
  const messages: MergeTreeMessage[] = [];
  while (i < fields.length) {
    if (fields[i] === '' && i === fields.length - 1) break; // the trailing NUL
    // Submodule conflicts end the output with free-text advice ("Recursive merging with submodules
    // currently only supports trivial cases…") that is not a record and has no NUL after it.
    if (i === fields.length - 1 && !/^\d+$/.test(fields[i])) break;
    const count = Number(fields[i]);
    if (!Number.isInteger(count) || count < 1 || i + count + 2 >= fields.length)
      throw new Error(`git merge-tree printed a malformed message record at field ${i}`);
    const paths = fields.slice(i + 1, i + 1 + count);
    const type = fields[i + 1 + count];
    const message = fields[i + 2 + count].replace(/\n$/, '');
    messages.push({ paths, type, message });
    i += count + 3;
  }
  return { tree, conflictedPaths, messages };
}

/** Why a path conflicts, in the words SREs know from `git status` and git's own messages. */
export type ConflictReason =
  | 'content'
  | 'add/add'
  | 'binary'
  | 'modify/delete'
  | 'rename/delete'
  | 'rename/rename'
  | 'rename collision'
  | 'directory/file'
  | 'distinct types'
  | 'file mode'
  | 'directory rename'
  | 'submodule'
  | 'other';

/**
 * The reason a message gives. The type is stable across git versions; for "CONFLICT (contents)" the
 * message tells add/add from a plain content conflict.
 */
export function reasonOfMessage(type: string, message: string): ConflictReason | undefined {
  const t = type.replace(/^CONFLICT ?\(/, '(');
  if (!type.startsWith('CONFLICT')) return undefined; // "Auto-merging", "Path updated due to directory rename", …
  if (t === '(contents)') return /^CONFLICT \(add\/add\)/.test(message) ? 'add/add' : 'content';
  if (t === '(binary)') return 'binary';
  if (t === '(file/directory)' || t === '(directory/file)') return 'directory/file';
  if (t === '(distinct modes)') return 'distinct types';
  if (t === '(modify/delete)') return 'modify/delete';
  if (t === '(rename/rename)') return 'rename/rename';
  if (t === '(rename/delete)') return 'rename/delete';
  if (t === '(rename involved in collision)') return 'rename collision';
  if (t.startsWith('(directory rename') || t === '(file in way of directory rename)')
    return 'directory rename';
  if (t.startsWith('(submodule')) return 'submodule';
  return 'other';
}

/**
 * When several messages name one path (a binary file gets "binary" and "contents"; a file moved out of
 * a directory's way gets "file/directory" and "modify/delete"), the most telling one wins.
 */
const PRIORITY: ConflictReason[] = [
  'directory/file',
  'rename/rename',
  'rename/delete',
  'rename collision',
  'directory rename',
  'distinct types',
  'submodule',
  'binary',
  'modify/delete',
  'add/add',
  'file mode',
  'content',
  'other',
];

export interface Conflict {
  path: string;
  reason: ConflictReason;
  /** git's own words about this path (the most telling message). */
  message: string;
}

/**
 * One entry per conflicting path, in git's (sorted) order: every path with unmerged stages, plus the
 * primary path of any CONFLICT message git reported without stages. Errors (`ERROR (...)` types)
 * mean git could not merge at all and are thrown.
 */
export function conflictsOf(out: MergeTreeOutput): Conflict[] {
  const fatal = out.messages.find((m) => m.type.startsWith('ERROR'));
  if (fatal) throw new Error(`git merge-tree could not merge: ${fatal.message}`);
  const best = new Map<string, { reason: ConflictReason; message: string }>();
  const consider = (path: string, reason: ConflictReason, message: string) => {
    const had = best.get(path);
    if (!had || PRIORITY.indexOf(reason) < PRIORITY.indexOf(had.reason)) best.set(path, { reason, message });
  };
  const paths = [...out.conflictedPaths];
  const listed = new Set(paths);
  for (const m of out.messages) {
    const reason = reasonOfMessage(m.type, m.message);
    if (!reason) continue;
    if (!listed.has(m.paths[0])) {
      listed.add(m.paths[0]);
      paths.push(m.paths[0]);
    }
    for (const p of m.paths) consider(p, reason, m.message);
  }
  return paths.map((path) => ({ path, ...(best.get(path) ?? { reason: 'other', message: 'CONFLICT' }) }));
}
