import type { Update } from './sweep';

/** Marks the pull request body as the sweep's (the PR is found by its branch; this tells humans). */
export const PULL_REQUEST_MARKER = '<!-- upgrade-actions:patch-sweep -->';

/** `sha256:0123456789ab`: enough of a digest to recognise it in a table; the files carry it whole. */
const shortDigest = (d: string) => d.slice(0, 'sha256:'.length + 12);

/** The new version as the table shows it: the tag, and the digest it is pinned to when there is one. */
export function toText(u: Update): string {
  return u.digest ? `${u.to}@${shortDigest(u.digest)}` : u.to;
}

/** Rows of the bumps table, in file order: image, from, to, file:line. */
export function updateRows(updates: Update[]): string[][] {
  return updates.map((u) => [u.image, u.from, toText(u), `${u.file}:${u.line}`]);
}

export const UPDATE_HEADER = ['Image', 'From', 'To', 'File:line'];

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** The number of distinct images bumped (one image in five files is one image). */
function imageCount(updates: Update[]): number {
  return new Set(updates.map((u) => u.image)).size;
}

export function pullRequestTitle(updates: Update[]): string {
  return `Patch releases for ${plural(imageCount(updates), 'image')}`;
}

/** A Markdown table cell: pipes escaped, HTML-significant characters as entities, newlines as spaces. */
function cell(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\|/g, '\\|')
    .replace(/[\r\n]+/g, ' ');
}

export function pullRequestBody(updates: Update[]): string {
  const rows = updateRows(updates).map((r) => `| ${r.map(cell).join(' | ')} |`);
  return [
    PULL_REQUEST_MARKER,
    `The patch sweep found newer patch releases (same major.minor, same variant, no pre-releases) for ${plural(imageCount(updates), 'image')} in ${plural(updates.length, 'reference')}.`,
    '',
    `| ${UPDATE_HEADER.join(' | ')} |`,
    `| ${UPDATE_HEADER.map(() => '---').join(' | ')} |`,
    ...rows,
    '',
    'Every other byte of the files is unchanged. The sweep rewrites this branch on each run and edits this pull request; commits pushed to the branch by hand are replaced.',
    '',
  ].join('\n');
}

export function commitMessage(updates: Update[]): string {
  return [
    pullRequestTitle(updates),
    '',
    ...updates.map((u) => `- ${u.image} ${u.from} → ${toText(u)} (${u.file}:${u.line})`),
    '',
  ].join('\n');
}
