/**
 * One Kubernetes object found in an input: where it is and what it says it is. This is all a verdict
 * needs; both readers (the full YAML parse and the line-based pre-scan) produce exactly these.
 */
export interface ManifestObject {
  /** The input as the user named it (a path, `<stdin>`, or `cluster/<context>` for live objects). */
  file: string;
  /** Index of the document in its YAML stream, counting from 0 over every document, empty ones included. */
  documentIndex: number;
  /** For items of a `kind: List` document: the item's index; absent otherwise. */
  itemIndex?: number;
  /** 1-based line of the object's `apiVersion` key (null when it has none, e.g. an empty document). */
  line: number | null;
  apiVersion: string | null;
  kind: string | null;
  name: string | null;
  namespace: string | null;
}

export function emptyDocument(file: string, documentIndex: number): ManifestObject {
  return { file, documentIndex, line: null, apiVersion: null, kind: null, name: null, namespace: null };
}
