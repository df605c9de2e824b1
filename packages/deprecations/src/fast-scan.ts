import { parseObjects } from './full-parse';
import { emptyDocument, type ManifestObject } from './objects';

/**
 * The fast reader. A verdict needs only each document's apiVersion, kind, metadata.name,
 * metadata.namespace and line, and only documents whose apiVersion is in the lifecycle table can have
 * a finding. So each document is first read line by line (top-level keys at column 0, `metadata:`'s
 * children at their indentation), and handed to the full YAML parser only when its apiVersion is in
 * the table, when it is a List, or when its shape is anything the line reader cannot read with
 * certainty (flow style, anchors and aliases, tags, quoted or multi-line values, directives, JSON…).
 * test/api-check-fast-path.test.ts proves the two readers agree on every fixture and the bench corpus.
 */
export interface ScanOptions {
  /** apiVersions that need a full parse (those of the lifecycle table). */
  interesting: ReadonlySet<string> | { has(apiVersion: string): boolean };
  /** Parse everything fully (the reference the fast path is tested against). */
  fullParse?: boolean;
}

export interface ScanStats {
  documents: number;
  /** Documents that went through the full parser. */
  fullyParsed: number;
}

export function scanText(text: string, file: string, opts: ScanOptions, stats?: ScanStats): ManifestObject[] {
  if (opts.fullParse || !fastPathApplies(text)) return countAll(parseObjects(text, wholeFile(file)), stats);
  const segments = splitDocuments(text);
  if (!segments) return countAll(parseObjects(text, wholeFile(file)), stats);
  // Decide per document, then parse runs of consecutive documents that need it in one call: most of
  // the cost of parsing a small document is setting the parser up.
  const heads = segments.map((seg) => readHead(text, seg.start, seg.end));
  const out: ManifestObject[] = [];
  let i = 0;
  while (i < segments.length) {
    const head = heads[i];
    if (head === 'empty') {
      out.push(emptyDocument(file, i));
      i++;
    } else if (head !== 'unsure' && !needsParse(head, opts)) {
      out.push({ file, documentIndex: i, ...head, line: head.line + segments[i].line - 1 });
      i++;
    } else {
      let j = i + 1;
      while (j < segments.length && heads[j] !== 'empty' && needsParse(heads[j] as Head | 'unsure', opts))
        j++;
      out.push(...parseRun(text, file, segments, i, j));
      i = j;
    }
  }
  if (stats) {
    stats.documents += segments.length;
    stats.fullyParsed += heads.filter((h) => h !== 'empty' && needsParse(h, opts)).length;
  }
  return out;
}

function needsParse(head: Head | 'unsure', opts: ScanOptions): boolean {
  return (
    head === 'unsure' ||
    opts.interesting.has(head.apiVersion) ||
    (head.kind !== null && head.kind.endsWith('List'))
  );
}

/** Fully parses documents [from, to) in one call; each has content, so YAML sees exactly these documents. */
function parseRun(
  text: string,
  file: string,
  segments: Segment[],
  from: number,
  to: number,
): ManifestObject[] {
  const objects = parseObjects(text.slice(segments[from].start, segments[to - 1].end), {
    file,
    firstDocumentIndex: from,
    lineOffset: segments[from].line - 1,
  });
  const documents = new Set(objects.map((o) => o.documentIndex));
  if (documents.size === to - from && objects.every((o) => o.documentIndex < to)) return objects;
  // Not the documents the split saw (cannot happen for valid streams; stay exact anyway).
  const out: ManifestObject[] = [];
  for (let k = from; k < to; k++) {
    const one = parseObjects(text.slice(segments[k].start, segments[k].end), {
      file,
      firstDocumentIndex: k,
      lineOffset: segments[k].line - 1,
    });
    out.push(...(one.length ? one : [emptyDocument(file, k)]));
  }
  return out;
}

function wholeFile(file: string) {
  return { file, firstDocumentIndex: 0, lineOffset: 0 };
}

function countAll(objects: ManifestObject[], stats?: ScanStats): ManifestObject[] {
  if (stats) {
    const n = new Set(objects.map((o) => o.documentIndex)).size;
    stats.documents += n;
    stats.fullyParsed += n;
  }
  return objects;
}

/** JSON, a byte-order mark or a tab-indented text go straight to the full parser. */
function fastPathApplies(text: string): boolean {
  const first = /\S/.exec(text);
  if (first && (first[0] === '{' || first[0] === '[')) return false;
  // A byte-order mark is dropped by YAML only at the very start; anywhere else it is content.
  return !text.includes('\uFEFF');
}

interface Segment {
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

type Head = Omit<ManifestObject, 'file' | 'documentIndex' | 'line'> & { apiVersion: string; line: number };

const KEY = /^([A-Za-z_][A-Za-z0-9_./-]*):(?:[ \t]+(.*))?$/;
const PLAIN = /^[A-Za-z][A-Za-z0-9_./-]*$/;
const NOT_STRINGS = new Set(['true', 'True', 'TRUE', 'false', 'False', 'FALSE', 'null', 'Null', 'NULL']);

/**
 * Reads one document's head line by line. Returns 'empty' for a document of comments and blank lines,
 * 'unsure' whenever the full parser could read something different, else what the document is.
 */
function readHead(text: string, from: number, to: number): Head | 'empty' | 'unsure' {
  const top = new Set<string>();
  let apiVersion: string | undefined;
  let apiVersionLine = 0;
  let kind: string | null = null;
  let name: string | null = null;
  let namespace: string | null = null;
  let content = false;
  // Inside `metadata:`: the indentation of its children once seen (-1 before), and their keys.
  let inMetadata = false;
  let childIndent = -1;
  const children = new Set<string>();
  // After a scalar we read, a more indented line would continue it (a multi-line plain scalar).
  let watchContinuation = false;
  let watchIndent = 0;
  // Whether the last top-level key opened a block (no value on its line): `- ` items may follow at column 0.
  let blockOpen = false;

  let line = 0;
  let start = from;
  while (start < to) {
    let end = text.indexOf('\n', start);
    if (end === -1 || end > to) end = to;
    line++;
    let last = end;
    if (last > start && text.charCodeAt(last - 1) === CR) last--;
    const c = text.charCodeAt(start);
    if (start === last) {
      // blank line
    } else if (c === SPACE) {
      let i = start;
      while (i < last && text.charCodeAt(i) === SPACE) i++;
      const indent = i - start;
      if (i === last) {
        // spaces only
      } else if (!content && text.charCodeAt(i) !== HASH) {
        // Content before any top-level key: an indented document (`  apiVersion: v1` is a mapping too).
        return 'unsure';
      } else if (text.charCodeAt(i) === TAB) {
        return 'unsure';
      } else if (watchContinuation && indent > watchIndent) {
        return 'unsure';
      } else if (inMetadata && text.charCodeAt(i) !== HASH) {
        watchContinuation = false;
        if (childIndent === -1) childIndent = indent;
        if (indent < childIndent) return 'unsure';
        if (indent === childIndent) {
          const m = KEY.exec(text.slice(i, last));
          if (!m || children.has(m[1])) return 'unsure';
          children.add(m[1]);
          if (m[1] === 'name' || m[1] === 'namespace') {
            const v = scalar(m[2]);
            if (v === undefined) return 'unsure';
            if (m[1] === 'name') name = v;
            else namespace = v;
            watchContinuation = true;
            watchIndent = indent;
          } else if (!safeOtherValue(m[2])) return 'unsure';
        }
      }
    } else if (c === HASH) {
      // comment at column 0; a continuation check stays armed (a comment does not end the risk)
    } else if (c === DASH && isBreak(text.charCodeAt(start + 1), start + 1, last)) {
      // `- item` at column 0: a compact sequence under the last top-level key (kubectl writes these).
      if (!blockOpen || inMetadata || watchContinuation) return 'unsure';
    } else {
      content = true;
      watchContinuation = false;
      inMetadata = false;
      const m = KEY.exec(text.slice(start, last));
      if (!m || top.has(m[1])) return 'unsure';
      top.add(m[1]);
      const key = m[1];
      blockOpen = m[2] === undefined || /^\s*(#.*)?$/.test(m[2]);
      if (key === 'apiVersion' || key === 'kind') {
        const v = scalar(m[2]);
        if (v === undefined) return 'unsure';
        if (key === 'apiVersion') {
          apiVersion = v;
          apiVersionLine = line;
        } else kind = v;
        watchContinuation = true;
        watchIndent = 0;
      } else if (key === 'metadata') {
        if (m[2] !== undefined && !/^\s*(#.*)?$/.test(m[2])) return 'unsure';
        inMetadata = true;
      } else if (!safeOtherValue(m[2])) {
        return 'unsure';
      }
    }
    start = end + 1;
  }
  if (!content) return 'empty';
  if (apiVersion === undefined) return 'unsure';
  return { line: apiVersionLine, apiVersion, kind, name, namespace };
}

/** A value we report: a plain word YAML reads as a string, or a simple quoted string. */
function scalar(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  const v = raw.trimEnd();
  const q = /^"([^"\\]*)"(?:[ \t]+#.*)?$/.exec(v) ?? /^'([^']*)'(?:[ \t]+#.*)?$/.exec(v);
  if (q) return q[1];
  const hash = v.search(/[ \t]#/);
  const plain = (hash === -1 ? v : v.slice(0, hash)).trim();
  return PLAIN.test(plain) && !NOT_STRINGS.has(plain) ? plain : undefined;
}

/**
 * A value we do not report can still hide a line from us: an unclosed quote or flow collection
 * continues onto following lines, possibly at column 0. Anything else on one line is fine, and block
 * scalars (`|`, `>`) are fine because their content must be indented.
 */
function safeOtherValue(raw: string | undefined): boolean {
  if (raw === undefined) return true;
  const v = raw.trim();
  const c = v.charAt(0);
  if (c === '"') return /^"(?:[^"\\]|\\.)*"(?:\s+#.*)?$/.test(v);
  if (c === "'") return /^'(?:[^']|'')*'(?:\s+#.*)?$/.test(v);
  if (c === '{' || c === '[') {
    const close = c === '{' ? '}' : ']';
    const hash = v.search(/\s#/);
    return (hash === -1 ? v : v.slice(0, hash)).trimEnd().endsWith(close);
  }
  // Aliases and tags on keys we do not read change nothing we report.
  return true;
}
