import { ConfigurationError } from '@upgrade-actions/common';
import { parseStatusSet } from '@upgrade-actions/probe';
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import { smokeFileSchema, type SmokeFile, type SmokeStep } from './schema';
import { compileJsonPath } from './jsonpath';
import { referencedVariables } from './variables';

/** Turns a path inside the document into `file:line:col`, pointing at the deepest node that exists. */
function locator(doc: ReturnType<typeof parseDocument>, lines: LineCounter, fileName: string) {
  return (path: ReadonlyArray<PropertyKey>, key?: string): string => {
    let node: unknown = doc.contents;
    let at: number | undefined = (doc.contents as Node | null)?.range?.[0];
    const steps = key === undefined ? path : [...path, key];
    for (const [i, seg] of steps.entries()) {
      let next: unknown;
      if (isMap(node)) {
        const pair = node.items.find(
          (p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(seg),
        );
        // For the last segment of an unknown key, point at the key itself.
        if (pair && key !== undefined && i === steps.length - 1) {
          at = (pair.key as Node).range?.[0] ?? at;
          break;
        }
        next = pair?.value;
      } else if (isSeq(node)) {
        next = node.items[Number(seg)];
      }
      const range = (next as Node | undefined)?.range;
      if (!range) break;
      at = range[0];
      node = next;
    }
    if (at === undefined) return fileName;
    const pos = lines.linePos(at);
    return `${fileName}:${pos.line}:${pos.col}`;
  };
}

function formatPath(path: ReadonlyArray<PropertyKey>): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i ? '.' : ''}${String(p)}`)).join('');
}

export interface LoadedSmokeFile {
  file: SmokeFile;
  /** Variables the file defines plus those given; captures are added as setup runs. */
  variables: Record<string, string>;
}

/**
 * Parses and validates a smoke test file: YAML syntax, the schema, then what the schema cannot see
 * (regular expressions, JSONPaths, status sets, variables that nothing defines). Every error is a
 * ConfigurationError of the form `file:line:col: where: what`, and all are reported at once.
 */
export function loadSmokeFile(
  text: string,
  opts: {
    fileName?: string;
    variables?: Record<string, string>;
    /** How errors name the base URL input (`base-url`, `--base-url`, `smoke-base-url`). */
    baseUrlName?: string;
  } = {},
): LoadedSmokeFile {
  const fileName = opts.fileName ?? 'smoke test file';
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length) {
    const e = doc.errors[0];
    const pos = lines.linePos(e.pos[0]);
    throw new ConfigurationError(
      `${fileName}${pos ? `:${pos.line}:${pos.col}` : ''}: not valid YAML: ${e.message.split('\n')[0]}`,
    );
  }
  const at = locator(doc, lines, fileName);
  const parsed = smokeFileSchema.safeParse(doc.toJS());
  if (!parsed.success) {
    const messages = parsed.error.issues.slice(0, 10).map((issue) => {
      const keys = issue.code === 'unrecognized_keys' ? issue.keys : undefined;
      const where = at(issue.path, keys?.[0]);
      const name = formatPath(issue.path);
      return `${where}: ${name ? name + ': ' : ''}${issue.message}`;
    });
    throw new ConfigurationError(messages.join('\n'));
  }
  const file = parsed.data;
  const errors: string[] = [];
  const check = (path: PropertyKey[], f: () => void) => {
    try {
      f();
    } catch (e) {
      errors.push(`${at(path)}: ${formatPath(path)}: ${(e as Error).message}`);
    }
  };

  const variables: Record<string, string> = { ...opts.variables };
  for (const [k, v] of Object.entries(file.variables ?? {})) variables[k] = String(v);
  const known = new Set(Object.keys(variables));
  // baseUrl is resolved before any step runs: it may use given and file variables, not captures.
  for (const ref of referencedVariables(file.baseUrl ?? '')) {
    if (!known.has(ref))
      errors.push(
        `${at(['baseUrl'])}: baseUrl: variable \${${ref}} is not defined; define it under variables or pass it as an input`,
      );
  }
  if (file.baseUrl !== undefined) known.add('baseUrl');

  const phases = [
    ['setup', file.setup ?? []] as const,
    ['tests', file.tests] as const,
    ['teardown', file.teardown ?? []] as const,
  ];
  for (const [phase, steps] of phases) {
    steps.forEach((s: SmokeStep, i: number) => {
      const base: PropertyKey[] = [phase, i];
      if (s.expect?.status !== undefined)
        check([...base, 'expect', 'status'], () => void parseStatusSet(s.expect!.status!, 'status'));
      if (s.expect?.body !== undefined)
        check([...base, 'expect', 'body'], () => void new RegExp(s.expect!.body!));
      for (const [h, re] of Object.entries(s.expect?.headers ?? {}))
        check([...base, 'expect', 'headers', h], () => void new RegExp(re));
      (s.expect?.json ?? []).forEach((a, j) => {
        check([...base, 'expect', 'json', j, 'path'], () => compileJsonPath(a.path));
        if (a.matches !== undefined)
          check([...base, 'expect', 'json', j, 'matches'], () => void new RegExp(a.matches!));
      });
      for (const [name, p] of Object.entries(s.capture ?? {})) {
        if (phase !== 'setup')
          errors.push(
            `${at([...base, 'capture'])}: ${formatPath([...base, 'capture'])}: only setup steps capture variables`,
          );
        check([...base, 'capture', name], () => compileJsonPath(p));
      }
      for (const ref of referencedVariables(s)) {
        if (!known.has(ref)) {
          errors.push(
            `${at(base)}: ${formatPath(base)}: variable \${${ref}} is not defined; define it under variables, pass it as an input, or capture it in setup`,
          );
        }
      }
      // Captures become known to the steps after this one.
      if (phase === 'setup') for (const name of Object.keys(s.capture ?? {})) known.add(name);
    });
  }
  if (file.baseUrl === undefined && !('base-url' in variables)) {
    const relative = phases
      .flatMap(([phase, steps]) => steps.map((s: SmokeStep, i: number) => [phase, i, s] as const))
      .find(([, , s]) => s.request.path !== undefined);
    if (relative) {
      errors.push(
        `${at([relative[0], relative[1], 'request', 'path'])}: ${relative[0]}[${relative[1]}].request.path: a path needs baseUrl in the file or the ${opts.baseUrlName ?? 'base-url'} input`,
      );
    }
  }
  if (errors.length) throw new ConfigurationError(errors.slice(0, 10).join('\n'));
  return { file, variables };
}
