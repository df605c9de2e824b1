import { annotationMessage, headline, isManifestReason, type MergeCheckResult } from '@upgrade-actions/git';
import { escapeHtml, type Annotation, Summary } from '@upgrade-actions/toolkit';

/** One error annotation per file: `file=`, and `line=` where git left a marker or the parser failed. */
export function annotationsOf(r: MergeCheckResult): Annotation[] {
  return r.files.map((f) => ({
    level: 'error',
    title: isManifestReason(f.reason) ? 'Merge breaks manifest' : 'Merge conflict',
    message: annotationMessage(f),
    file: f.path,
    line: f.line,
  }));
}

/** The job summary: the verdict, a file / reason / line table, and the commits involved. */
export function summaryOf(r: MergeCheckResult, prTitle?: string): Summary {
  const s = new Summary().heading(`merge-check: ${r.conflicted ? '❌ conflicts' : '✅ clean'}`, 2);
  if (prTitle) s.paragraph(`<b>${escapeHtml(prTitle)}</b>`);
  s.paragraph(escapeHtml(headline(r)));
  if (r.files.length)
    s.table(
      ['file', 'reason', 'line'],
      r.files.map((f) => [f.path, f.reason, f.line === undefined ? '–' : String(f.line)]),
    );
  const facts = [
    `base <code>${r.base}</code> (${escapeHtml(r.baseRef)})`,
    `head <code>${r.head}</code> (${escapeHtml(r.headRef)})`,
    `merge base <code>${r.mergeBase}</code>`,
    r.conflicted ? '' : `merged tree <code>${r.tree}</code>`,
    r.manifestsChecked.length
      ? `${r.manifestsChecked.length} YAML/JSON file(s) the head changes parsed in the merged tree`
      : '',
  ].filter(Boolean);
  s.paragraph(facts.join('<br>'));
  if (r.fetches.length) s.paragraph(`Fetched: ${r.fetches.map(escapeHtml).join('; ')}`);
  return s;
}
