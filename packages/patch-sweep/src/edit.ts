import type { ImageSite } from './find';

export interface Bump {
  site: ImageSite;
  /** The new tag. */
  to: string;
  /** With pin-digest: the digest of the new tag. */
  digest?: string;
}

/** The scalar's source text with its value replaced, keeping its quotes (`"1.25.3"` stays double-quoted). */
function requote(source: string, value: string): string {
  const q = source[0];
  if (q === '"' || q === "'") return `${q}${value}${q}`;
  // A plain scalar that would read as a number (`1.25`) is quoted, as it must be a string.
  return /^[\d.]+$/.test(value) && value.split('.').length === 2 ? `"${value}"` : value;
}

/**
 * Rewrites the tags of the sites bumped, and nothing else: every other byte of the file — comments, quoting,
 * key order, indentation — stays as it was. Edits are applied from the end so offsets stay valid.
 */
export function applyBumps(text: string, bumps: Bump[]): string {
  const edits: { start: number; end: number; text: string }[] = [];
  for (const b of bumps) {
    const [start, end] = b.site.range;
    const source = text.slice(start, end);
    if (b.site.kind === 'image') {
      const ref = `${b.site.repository}:${b.to}${b.digest ? `@${b.digest}` : ''}`;
      edits.push({ start, end, text: requote(source, ref) });
    } else {
      edits.push({ start, end, text: requote(source, b.to) });
      if (b.site.kind === 'kustomize' && b.site.digestRange) {
        const [ds, de] = b.site.digestRange;
        // A pinned digest belongs to the old tag: it moves with the bump (or goes stale).
        if (b.digest) edits.push({ start: ds, end: de, text: requote(text.slice(ds, de), b.digest) });
      }
    }
  }
  edits.sort((a, b) => b.start - a.start);
  let out = text;
  for (const e of edits) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return out;
}
