import { isAlias, parseAllDocuments, visit, type Document } from 'yaml';

export interface ManifestProblem {
  path: string;
  reason: 'invalid yaml' | 'invalid json' | 'duplicate key';
  line?: number;
  message: string;
}

/** Files the manifest check reads: YAML and JSON by extension. */
export function isManifestPath(path: string): boolean {
  return /\.(ya?ml|json)$/i.test(path);
}

/**
 * Helm and other Go templates (`{{ .Values.x }}`) are not YAML until rendered; parsing them would
 * report errors the merge did not cause, so they are left alone.
 */
export function isTemplated(text: string): boolean {
  return /\{\{[\s\S]*?\}\}/.test(text);
}

/**
 * Problems in one merged YAML or JSON file: a document that no longer parses, or a mapping with the
 * same key twice (both sides added `replicas:` to the same object — each edit alone was valid).
 * Returns [] for a valid file and for templates.
 */
export function checkManifest(path: string, content: Buffer | string): ManifestProblem[] {
  const text = typeof content === 'string' ? content : content.toString('utf8');
  if (isTemplated(text)) return [];
  const json = /\.json$/i.test(path);
  if (json) {
    try {
      JSON.parse(text);
    } catch (e) {
      const msg = (e as Error).message;
      const pos = /at position (\d+)/.exec(msg);
      const line = pos ? lineAt(text, Number(pos[1])) : undefined;
      return [
        { path, reason: 'invalid json', line, message: `invalid JSON after merge: ${msg.split('\n')[0]}` },
      ];
    }
  }
  const problems: ManifestProblem[] = [];
  // uniqueKeys (the default) reports DUPLICATE_KEY; JSON is YAML 1.2 here, so one parser finds both.
  for (const doc of parseAllDocuments(text, { uniqueKeys: true, prettyErrors: true })) {
    for (const err of doc.errors) {
      const line = err.linePos?.[0].line;
      const what = err.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
      if (err.code === 'DUPLICATE_KEY') {
        problems.push({ path, reason: 'duplicate key', line, message: `duplicate key after merge: ${what}` });
      } else if (!json) {
        problems.push({ path, reason: 'invalid yaml', line, message: `invalid YAML after merge: ${what}` });
      }
    }
    if (doc.errors.length === 0) {
      const alias = unresolvedAlias(doc as Document.Parsed);
      if (alias)
        problems.push({
          path,
          reason: json ? 'invalid json' : 'invalid yaml',
          line: lineAt(text, alias.offset),
          message: `invalid YAML after merge: alias *${alias.name} refers to no anchor before it`,
        });
    }
  }
  return problems;
}

/** An alias whose anchor is gone (one side removed `&defaults`, the other added `*defaults`). */
function unresolvedAlias(doc: Document.Parsed): { name: string; offset: number } | undefined {
  let found: { name: string; offset: number } | undefined;
  visit(doc, {
    Alias(_key, node) {
      if (isAlias(node) && node.resolve(doc) === undefined) {
        found = { name: node.source, offset: node.range?.[0] ?? 0 };
        return visit.BREAK;
      }
    },
  });
  return found;
}

/** 1-based line of a character offset. */
export function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}
