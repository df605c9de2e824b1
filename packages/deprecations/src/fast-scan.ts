import type { ManifestError } from './errors';
import { parseObjects } from './full-parse';
import type { ManifestObject } from './objects';

/**
 * The manifest reader. Every document is parsed in full: a YAML syntax error anywhere is an error at
 * its file:line (kubectl would refuse the file), whatever the document's apiVersion. The line-based
 * pre-scan that let documents outside the lifecycle table skip the parser (up to 2.6x faster on a
 * deprecated-heavy corpus) could not tell a broken document from a valid one, so it said "all clear"
 * about files kubectl cannot read; it was removed (see bench/RESULTS.md for the cost). `splitDocuments`
 * stays: it is how YAML splits a stream, and the scanner tests hold the parser's split against it.
 */
export interface ScanOptions {
  /** apiVersions that have a lifecycle (kept for callers; every document is parsed). */
  interesting?: ReadonlySet<string> | { has(apiVersion: string): boolean };
  /** Parse everything fully (always the case now; kept for callers and the benchmark's reference arm). */
  fullParse?: boolean;
  /**
   * Where syntax errors go (one per broken document), the other documents still being read; without
   * it the first error is thrown.
   */
  errors?: ManifestError[];
}

export interface ScanStats {
  documents: number;
  /** Documents that went through the full parser. */
  fullyParsed: number;
}

export function scanText(text: string, file: string, opts: ScanOptions, stats?: ScanStats): ManifestObject[] {
  return countAll(parseObjects(text, { file, firstDocumentIndex: 0, lineOffset: 0 }, opts.errors), stats);
}

function countAll(objects: ManifestObject[], stats?: ScanStats): ManifestObject[] {
  if (stats) {
    const n = new Set(objects.map((o) => o.documentIndex)).size;
    stats.documents += n;
    stats.fullyParsed += n;
  }
  return objects;
}

export interface Segment {
  /** Offset of the document's first line (after its `---` marker). */
  start: number;
  end: number;
  /** 1-based line number of that first line. */
  line: number;
}

const SPACE = 32;
const TAB = 9;
const HASH = 35;
const CR = 13;
const DASH = 45;
const DOT = 46;
const PERCENT = 37;

/**
 * Splits a stream into documents as YAML does. A `---` line at column 0 starts a document (even inside
 * a block scalar: markers end any content). A `...` line ends one; what follows it up to the next
 * `---` is a document only if it has content, like text before the first `---` (so `# Source: …`
 * headers from helm template are not documents). Returns null for streams the split cannot follow
 * exactly: directives (`%YAML`) and content on a marker line (`--- !tag`, `--- |`).
 */
export function splitDocuments(text: string): Segment[] | null {
  const segments: Segment[] = [];
  // The document being read: where it starts, whether `---` opened it, whether it has content yet.
  let cur = { start: 0, line: 1, explicit: false, content: false };
  const close = (end: number) => {
    if (cur.explicit || cur.content) segments.push({ start: cur.start, end, line: cur.line });
  };
  let start = 0;
  let line = 1;
  while (start <= text.length) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    const c = text.charCodeAt(start);
    if (c === DASH && text.startsWith('---', start) && isBreak(text.charCodeAt(start + 3), start + 3, end)) {
      if (!blankOrComment(text, start + 3, end)) return null;
      close(start);
      cur = { start: end + 1, line: line + 1, explicit: true, content: false };
    } else if (
      c === DOT &&
      text.startsWith('...', start) &&
      isBreak(text.charCodeAt(start + 3), start + 3, end)
    ) {
      if (!blankOrComment(text, start + 3, end)) return null;
      close(start);
      cur = { start: end + 1, line: line + 1, explicit: false, content: false };
    } else if (c === PERCENT) {
      return null;
    } else if (!cur.content && !blankOrComment(text, start, end)) {
      cur.content = true;
    }
    if (end === text.length) break;
    start = end + 1;
    line++;
  }
  close(text.length);
  return segments;
}

function isBreak(code: number, pos: number, end: number): boolean {
  return pos >= end || code === SPACE || code === TAB || code === CR;
}

function blankOrComment(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === SPACE || c === TAB || c === CR) continue;
    return c === HASH;
  }
  return true;
}
