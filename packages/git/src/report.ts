import type { MergeCheckResult } from './merge-check';

/** The marker that finds our sticky PR comment again. */
export const COMMENT_MARKER = '<!-- upgrade-actions:merge-check -->';

/** One sentence for logs, failures and the summary's first line. */
export function headline(r: MergeCheckResult): string {
  const into = `${r.headRef} (${r.head.slice(0, 7)}) into ${r.baseRef} (${r.base.slice(0, 7)})`;
  if (!r.conflicted) return `Merging ${into} is clean.`;
  const gitConflicts = r.files.filter((f) => !isManifestReason(f.reason)).length;
  const broken = r.files.length - gitConflicts;
  if (gitConflicts) return `Merging ${into} conflicts in ${plural(gitConflicts, 'file')}.`;
  return `Merging ${into} is textually clean but breaks ${plural(broken, 'manifest')}.`;
}

export function isManifestReason(reason: string): boolean {
  return reason === 'invalid yaml' || reason === 'invalid json' || reason === 'duplicate key';
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** The rows of the summary and comment tables: file, reason, line. */
export function problemRows(r: MergeCheckResult): string[][] {
  return r.files.map((f) => [f.path, f.reason, f.line === undefined ? '' : String(f.line)]);
}

/** The annotation text for one file, in the seed's words plus git's. */
export function annotationMessage(f: MergeCheckResult['files'][number]): string {
  return isManifestReason(f.reason) ? f.message : `Merge conflict detected (${f.reason}): ${f.message}`;
}

/** Markdown for the sticky PR comment (file names are code spans, so Markdown in them is inert). */
export function commentMarkdown(r: MergeCheckResult, title?: string): string {
  const lines = [
    COMMENT_MARKER,
    `### ${r.conflicted ? '❌' : '✅'} merge-check${title ? `: ${mdText(title)}` : ''}`,
    '',
  ];
  lines.push(mdText(headline(r)), '');
  if (r.files.length) {
    lines.push('| file | reason | line |', '| --- | --- | --- |');
    for (const [p, reason, line] of problemRows(r)) lines.push(`| ${mdCode(p)} | ${reason} | ${line} |`);
    lines.push('');
  }
  lines.push(`merge base \`${r.mergeBase}\`${r.conflicted ? '' : ` · merged tree \`${r.tree}\``}`);
  return lines.join('\n') + '\n';
}

/** Plain text for the terminal. */
export function textReport(r: MergeCheckResult): string {
  const lines = [headline(r)];
  if (r.files.length) {
    const w = Math.max(4, ...r.files.map((f) => visible(f.path).length));
    const rw = Math.max(6, ...r.files.map((f) => f.reason.length));
    lines.push('', `  ${'FILE'.padEnd(w)}  ${'REASON'.padEnd(rw)}  LINE`);
    for (const f of r.files)
      lines.push(`  ${visible(f.path).padEnd(w)}  ${f.reason.padEnd(rw)}  ${f.line ?? ''}`.trimEnd());
  }
  const textual = r.files.some((f) => !isManifestReason(f.reason));
  const state = textual ? ' (with conflict markers)' : r.conflicted ? ' (with broken manifests)' : '';
  lines.push('', `merge base   ${r.mergeBase}`, `merged tree  ${r.tree}${state}`);
  if (r.manifestsChecked.length)
    lines.push(`manifests    ${plural(r.manifestsChecked.length, 'file')} parsed`);
  return lines.join('\n') + '\n';
}

/** Control characters (a newline in a file name) shown escaped, so one file stays one row. */
export function visible(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\x00-\x1f\x7f]/g, (c) =>
    c === '\n' ? '\\n' : c === '\t' ? '\\t' : `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`,
  );
}

function mdText(s: string): string {
  return visible(s).replace(/[\\`*_{}[\]()#+\-.!|<>&]/g, (c) => `\\${c}`);
}

function mdCode(s: string): string {
  const v = visible(s).replace(/\|/g, '\\|');
  const ticks = v.includes('`') ? '`` ' : '`';
  return `${ticks}${v}${ticks === '`' ? '`' : ' ``'}`;
}
