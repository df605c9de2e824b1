import { ConfigurationError } from '@upgrade-actions/common';

export interface GitVersion {
  major: number;
  minor: number;
  patch: number;
  /** The version as git printed it, e.g. `2.39.5` or `2.45.1.windows.1`. */
  text: string;
}

/** `git merge-tree --write-tree` (and its `-z --messages` output) arrived in git 2.38. */
export const MERGE_TREE_MIN = { major: 2, minor: 38 } as const;

/** Parses `git version 2.39.5`, `git version 2.45.1.windows.1`, `git version 2.39.3 (Apple Git-146)`. */
export function parseGitVersion(output: string): GitVersion {
  const m = /^git version (\d+)\.(\d+)(?:\.(\d+))?(\S*)/.exec(output.trim());
  if (!m) throw new Error(`cannot read the git version from ${JSON.stringify(output.trim())}`);
  return {
    major: Number(m[1]),
    minor: Number(m[2]),
    patch: Number(m[3] ?? 0),
    text: `${m[1]}.${m[2]}${m[3] !== undefined ? `.${m[3]}` : ''}${m[4]}`,
  };
}

export function supportsMergeTree(v: GitVersion): boolean {
  return (
    v.major > MERGE_TREE_MIN.major || (v.major === MERGE_TREE_MIN.major && v.minor >= MERGE_TREE_MIN.minor)
  );
}

/** Fails with a clear, user-fixable error naming the version found when merge-tree cannot be used. */
export function requireMergeTree(v: GitVersion): void {
  if (!supportsMergeTree(v))
    throw new ConfigurationError(
      `git ${v.text} found; merge-check needs git >= ${MERGE_TREE_MIN.major}.${MERGE_TREE_MIN.minor} ` +
        `(git merge-tree --write-tree). Update git on the runner, e.g. with the git-core PPA or a newer image`,
    );
}
