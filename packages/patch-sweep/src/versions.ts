/**
 * A tag read as a version the way Renovate's docker versioning reads it: an optional `v`, two or three
 * numbers, and a suffix after `-`. The suffix is a variant (`-alpine`, `-bookworm`, `-slim`) when the
 * current tag carries the same one; any other suffix (`-rc.1`, `-beta2`) is a pre-release and never wins.
 */
export interface TagVersion {
  tag: string;
  prefix: '' | 'v';
  numbers: number[];
  suffix: string;
}

const TAG_VERSION = /^(v?)(\d+)\.(\d+)(?:\.(\d+))?(?:-([0-9A-Za-z][0-9A-Za-z.-]*))?$/;

export function parseTagVersion(tag: string): TagVersion | undefined {
  const m = TAG_VERSION.exec(tag);
  if (!m) return undefined;
  const numbers = [m[2], m[3], m[4]].filter((x) => x !== undefined).map(Number);
  return { tag, prefix: m[1] as '' | 'v', numbers, suffix: m[5] ?? '' };
}

/**
 * The newest patch release of `current` among `tags`: the same prefix, the same major.minor, the same
 * precision (a floating `1.25` is not bumped to `1.25.3`, and `1.25` is not a patch of `1.25.1`), the same
 * variant suffix, and a higher patch. Undefined when none is newer.
 */
export function newestPatch(current: string, tags: string[]): string | undefined {
  const cur = parseTagVersion(current);
  if (!cur || cur.numbers.length !== 3) return undefined;
  let best: TagVersion | undefined;
  for (const t of tags) {
    const v = parseTagVersion(t);
    if (!v || v.numbers.length !== 3) continue;
    if (v.prefix !== cur.prefix || v.suffix !== cur.suffix) continue;
    if (v.numbers[0] !== cur.numbers[0] || v.numbers[1] !== cur.numbers[1]) continue;
    if (v.numbers[2] <= cur.numbers[2]) continue;
    if (!best || v.numbers[2] > best.numbers[2]) best = v;
  }
  return best?.tag;
}
