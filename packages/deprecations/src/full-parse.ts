import {
  isAlias,
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  parseAllDocuments,
  visit,
  type Document,
  type Pair,
  type YAMLMap,
} from 'yaml';
import { ManifestError } from './errors';
import { emptyDocument, type ManifestObject } from './objects';

/** Where a piece of text sits in its file, so that lines reported are the file's lines. */
export interface TextOrigin {
  file: string;
  /** documentIndex of the first document in the text. */
  firstDocumentIndex: number;
  /** Lines before the text in its file (0 when the text is the whole file). */
  lineOffset: number;
}

/**
 * Reads every document of a YAML stream (or a JSON text, which is YAML) with a full parse, as YAML 1.1
 * tools such as kubectl read it (merge keys `<<:` expanded). `kind: List` documents are expanded into
 * their items. A syntax error is the user's to fix: with an `errors` array, the first error of each
 * broken document goes there (with its file and line) and the other documents are still read; without
 * one, the first error is thrown.
 */
export function parseObjects(text: string, origin: TextOrigin, errors?: ManifestError[]): ManifestObject[] {
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter, uniqueKeys: true, merge: true });
  const lineOf = (offset: number) => lineCounter.linePos(offset).line + origin.lineOffset;
  if (!Array.isArray(docs)) {
    // parseAllDocuments returns an EmptyStream (not an array) for text with no documents at all.
    return [];
  }
  const out: ManifestObject[] = [];
  docs.forEach((doc, i) => {
    const documentIndex = origin.firstDocumentIndex + i;
    const err = documentError(doc, text);
    if (err) {
      const pos = lineCounter.linePos(err.offset);
      const e = new ManifestError(origin.file, pos.line + origin.lineOffset, pos.col, err.reason);
      if (!errors) throw e;
      errors.push(e);
      return;
    }
    out.push(...objectsOfDocument(doc, origin.file, documentIndex, lineOf));
  });
  return out;
}

/** The yaml library's message without its own position and excerpt (we give the file's line). */
function reasonOf(message: string): string {
  return message
    .split('\n')[0]
    .replace(/ at line \d+, column \d+:?$/, '')
    .replace(/:$/, '');
}

/**
 * The first error of a document: a syntax error, or an alias whose anchor is not defined (the yaml
 * library accepts it and resolves it to nothing; kubectl's YAML reader rejects it).
 */
function documentError(doc: Document.Parsed, text: string): { offset: number; reason: string } | null {
  const err = doc.errors[0];
  if (err) return { offset: err.pos[0], reason: reasonOf(err.message) };
  const [from, to] = doc.range;
  if (text.indexOf('*', from) === -1 || text.indexOf('*', from) >= to) return null;
  let bad: { offset: number; reason: string } | null = null;
  visit(doc, {
    Alias(_, node) {
      if (node.resolve(doc) !== undefined) return;
      bad = { offset: node.range?.[0] ?? from, reason: `unknown anchor '${node.source}' referenced` };
      return visit.BREAK;
    },
  });
  return bad;
}

function objectsOfDocument(
  doc: Document.Parsed,
  file: string,
  documentIndex: number,
  lineOf: (offset: number) => number,
): ManifestObject[] {
  const deref = (node: unknown): unknown => (isAlias(node) ? node.resolve(doc) : node);
  const root = deref(doc.contents);
  if (!isMap(root)) return [emptyDocument(file, documentIndex)];
  const self = objectOfMap(root, file, documentIndex, lineOf, deref);
  const items = deref(pairOf(root, 'items', deref)?.value);
  // `kubectl get -o yaml` writes `kind: List`; typed lists (`DeploymentList`) hold items the same way.
  // An empty List is still one object (of no interest): every document yields at least one object.
  if (self.kind !== null && /List$/.test(self.kind) && isSeq(items) && items.items.length > 0) {
    return items.items.map((item, itemIndex) =>
      isMap(deref(item))
        ? { ...objectOfMap(deref(item) as YAMLMap, file, documentIndex, lineOf, deref), itemIndex }
        : { ...emptyDocument(file, documentIndex), itemIndex },
    );
  }
  return [self];
}

function objectOfMap(
  map: YAMLMap,
  file: string,
  documentIndex: number,
  lineOf: (offset: number) => number,
  deref: (node: unknown) => unknown,
): ManifestObject {
  const apiVersionPair = pairOf(map, 'apiVersion', deref);
  const keyRange = apiVersionPair && isScalar(apiVersionPair.key) ? apiVersionPair.key.range : undefined;
  const value = (m: YAMLMap, key: string) => deref(pairOf(m, key, deref)?.value);
  const metadata = value(map, 'metadata');
  return {
    file,
    documentIndex,
    line: keyRange ? lineOf(keyRange[0]) : null,
    apiVersion: scalarText(value(map, 'apiVersion')),
    kind: scalarText(value(map, 'kind')),
    name: isMap(metadata) ? scalarText(value(metadata, 'name')) : null,
    namespace: isMap(metadata) ? scalarText(value(metadata, 'namespace')) : null,
  };
}

/**
 * The pair that gives `key` its value, with YAML 1.1 merge keys (`<<: *base`, `<<: [*a, *b]`) applied
 * as kubectl's YAML library applies them: the map's own keys win, then the merged maps in order.
 */
function pairOf(map: YAMLMap, key: string, deref: (node: unknown) => unknown, depth = 0): Pair | undefined {
  const own = map.items.find((p) => isScalar(p.key) && p.key.value === key && !isMergeKey(p));
  if (own || depth > 20) return own;
  for (const p of map.items) {
    if (!isMergeKey(p)) continue;
    const v = deref(p.value);
    const sources = isSeq(v) ? v.items.map(deref) : [v];
    for (const src of sources) {
      const found = isMap(src) ? pairOf(src, key, deref, depth + 1) : undefined;
      if (found) return found;
    }
  }
  return undefined;
}

/** With `merge: true` the yaml library reads a plain `<<` key as a symbol (a quoted "<<" stays a string). */
function isMergeKey(p: Pair): boolean {
  return isScalar(p.key) && typeof p.key.value === 'symbol';
}

/** The text of a scalar node as Kubernetes would see a string field; null for absent, null or collections. */
function scalarText(node: unknown): string | null {
  if (!isScalar(node) || node.value === null || node.value === undefined) return null;
  return String(node.value);
}
