import { ConfigurationError } from '@upgrade-actions/common';
import { inputMeta, type InputSchema } from './input-types';

/**
 * What one action is, in one place: its inputs (parsers carrying action.yml's metadata) and its
 * outputs (name → description). `action.yml` must agree with it; test/action-metadata.test.ts checks.
 */
export interface ActionDefinition<
  I extends Record<string, InputSchema<unknown>>,
  O extends Record<string, string>,
> {
  name: string;
  description: string;
  inputs: I;
  outputs: O;
}

type CamelCase<S extends string> = S extends `${infer A}-${infer B}` ? `${A}${Capitalize<CamelCase<B>>}` : S;

/** The typed inputs of an action: `fail-on-conflict` becomes `failOnConflict`. */
export type InputsOf<D> =
  D extends ActionDefinition<infer I, Record<string, string>>
    ? { [K in keyof I & string as CamelCase<K>]: I[K] extends InputSchema<infer T> ? T : never }
    : never;

export function defineAction<
  I extends Record<string, InputSchema<unknown>>,
  O extends Record<string, string>,
>(def: ActionDefinition<I, O>): ActionDefinition<I, O> {
  for (const [name, schema] of Object.entries(def.inputs)) {
    const meta = inputMeta(schema);
    if (meta.required && meta.default !== undefined)
      throw new Error(`input ${name}: required inputs take no default`);
  }
  return def;
}

/** Reads an input the way the runner passes it: INPUT_<NAME upper-cased, spaces to _>, dashes kept. */
export function envInputSource(env: NodeJS.ProcessEnv = process.env): (name: string) => string | undefined {
  return (name) => env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`];
}

/**
 * Parses every input, reporting all problems at once, each naming the input and what it accepts.
 * Runs before any side effect. `onSecret` is called with every non-empty secret value (for masking).
 */
export function parseInputs<
  D extends ActionDefinition<Record<string, InputSchema<unknown>>, Record<string, string>>,
>(
  def: D,
  source: (name: string) => string | undefined,
  onSecret: (value: string) => void = () => {},
): InputsOf<D> {
  const out: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const [name, schema] of Object.entries(def.inputs)) {
    const meta = inputMeta(schema);
    const given = source(name);
    // An expression default (`${{ github.token }}`) is the runner's to evaluate: when the runner passes
    // an empty value the user gave '' on purpose, and the expression's text is never a value.
    const fallback = meta.default?.includes('${{') ? '' : (meta.default ?? '');
    const raw = given === undefined || given.trim() === '' ? fallback : given;
    if (meta.secret && raw !== '')
      for (const s of typeof meta.secret === 'function' ? meta.secret(raw) : [raw]) if (s) onSecret(s);
    if (meta.required && raw.trim() === '') {
      problems.push(`Input required and not supplied: ${name}`);
      continue;
    }
    const r = schema.safeParse(meta.secret ? raw : raw.replace(/\r\n/g, '\n'));
    if (r.success) out[toCamel(name)] = r.data;
    else {
      const shown = meta.secret ? '***' : JSON.stringify(raw.length > 200 ? raw.slice(0, 200) + '…' : raw);
      problems.push(`Input '${name}' ${r.error.issues.map((i) => i.message).join('; ')}, got ${shown}`);
    }
  }
  if (problems.length) throw new ConfigurationError(problems.join('\n'));
  return out as InputsOf<D>;
}

/** `fail-on-conflict` → `failOnConflict`: inputs keep action.yml's names, code gets identifiers. */
export function toCamel(name: string): string {
  return name.replace(/[-_ ]+([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
}
