import {
  isAlias,
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  parseAllDocuments,
  type Document,
  type YAMLMap,
} from 'yaml';
import { ConfigurationError } from '@upgrade-actions/common';
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
 * Reads every document of a YAML stream (or a JSON text, which is YAML) with a full parse.
 * `kind: List` documents are expanded into their items. A syntax error is the user's to fix and is
 * reported with its file and line.
 */
export function parseObjects(text: string, origin: TextOrigin): ManifestObject[] {
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter, uniqueKeys: true });
  const lineOf = (offset: number) => lineCounter.linePos(offset).line + origin.lineOffset;
  if (!Array.isArray(docs)) {
    // parseAllDocuments returns an EmptyStream (not an array) for text with no documents at all.
    return [];
  }
  const out: ManifestObject[] = [];
  docs.forEach((doc, i) => {
    const documentIndex = origin.firstDocumentIndex + i;
    const err = doc.errors[0];
    if (err) {
      throw new ConfigurationError(
        `${origin.file}:${lineOf(err.pos[0])}: not valid YAML: ${err.message.split('\n')[0]}`,
      );
    }
    out.push(...objectsOfDocument(doc, origin.file, documentIndex, lineOf));
  });
  return out;
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
  const items = deref(root.get('items', true));
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
  const apiVersionPair = map.items.find((p) => isScalar(p.key) && p.key.value === 'apiVersion');
  const keyRange = apiVersionPair && isScalar(apiVersionPair.key) ? apiVersionPair.key.range : undefined;
  const metadata = deref(map.get('metadata', true));
  return {
    file,
    documentIndex,
    line: keyRange ? lineOf(keyRange[0]) : null,
    apiVersion: scalarText(deref(map.get('apiVersion', true))),
    kind: scalarText(deref(map.get('kind', true))),
    name: isMap(metadata) ? scalarText(deref(metadata.get('name', true))) : null,
    namespace: isMap(metadata) ? scalarText(deref(metadata.get('namespace', true))) : null,
  };
}

/** The text of a scalar node as Kubernetes would see a string field; null for absent, null or collections. */
function scalarText(node: unknown): string | null {
  if (!isScalar(node) || node.value === null || node.value === undefined) return null;
  return String(node.value);
}
