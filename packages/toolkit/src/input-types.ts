import { parseDuration } from '@upgrade-actions/common';

/**
 * Builders for action inputs. Each returns a parser that turns the raw string the runner gives
 * (`INPUT_<NAME>`) into a typed value, carrying in its metadata what `action.yml` declares:
 * description, default and required. One schema per action is then the single source of truth.
 */
export interface InputMeta {
  description: string;
  /** The default exactly as written in action.yml (a string, as the runner sees it). */
  default?: string;
  required?: boolean;
  /**
   * Values are secrets: masked before use. A function says which parts to mask (a kubeconfig input
   * masks each credential of its content, and nothing when it is a path).
   */
  secret?: boolean | ((value: string) => string[]);
}

export interface InputIssue {
  message: string;
  path: (string | number)[];
}
export type ParseResult<T> = { success: true; data: T } | { success: false; error: { issues: InputIssue[] } };

/**
 * An input's parser: the raw string the runner gives → a typed value, or the issues that say what is
 * accepted. Its own small shape (the `safeParse` of a schema library) rather than zod: every action parses
 * its inputs before anything else, so this code is on every step's start-up path, and zod is not.
 */
export interface InputSchema<T> {
  safeParse(raw: string): ParseResult<T>;
}

interface IssueSink {
  addIssue(issue: { code?: string; message: string }): void;
}
/** Returned by a parser that added an issue; its value is never used. */
const NEVER = undefined as never;

function schema<T>(parse: (value: string, ctx: IssueSink) => T): InputSchema<T> {
  return {
    safeParse(raw) {
      if (typeof raw !== 'string')
        return { success: false, error: { issues: [{ message: 'must be a string', path: [] }] } };
      const issues: InputIssue[] = [];
      const data = parse(raw, { addIssue: (i) => issues.push({ message: i.message, path: [] }) });
      return issues.length ? { success: false, error: { issues } } : { success: true, data };
    },
  };
}

// Every input schema takes the raw string; the meta lives in a registry keyed by schema.
const registry = new WeakMap<object, InputMeta>();

function withMeta<T>(schema: InputSchema<T>, meta: InputMeta): InputSchema<T> {
  registry.set(schema, meta);
  return schema;
}

export function inputMeta(schema: object): InputMeta {
  const meta = registry.get(schema);
  if (!meta) throw new Error('schema was not built with the toolkit input builders');
  return meta;
}

const TRUE = ['true', 'True', 'TRUE'];
const FALSE = ['false', 'False', 'FALSE'];

export function string(
  meta: InputMeta & {
    pattern?: RegExp;
    patternHint?: string;
    /**
     * A check of a non-empty value beyond a pattern (a Kubernetes name, image references): returns what
     * is wrong and what is accepted, as one message, or undefined when the value is fine.
     */
    check?: (value: string) => string | undefined;
  },
): InputSchema<string> {
  const pattern = meta.pattern;
  return withMeta(
    schema((v, ctx) => {
      if (pattern && !new RegExp(pattern.source, pattern.flags.replace('g', '')).test(v))
        ctx.addIssue({ message: `must be ${meta.patternHint ?? `like ${pattern}`}` });
      else if (meta.check && v !== '') {
        const problem = meta.check(v);
        if (problem) ctx.addIssue({ message: problem });
      }
      return v;
    }),
    meta,
  );
}

/** Booleans as @actions/core's getBooleanInput reads them (YAML 1.2 core schema). */
export function boolean(meta: InputMeta): InputSchema<boolean> {
  return withMeta(
    schema((v, ctx) => {
      if (TRUE.includes(v)) return true;
      if (FALSE.includes(v)) return false;
      ctx.addIssue({ code: 'custom', message: 'must be true or false' });
      return NEVER;
    }),
    meta,
  );
}

export function integer(meta: InputMeta & { min?: number; max?: number }): InputSchema<number> {
  const range =
    meta.min !== undefined && meta.max !== undefined
      ? ` from ${meta.min} to ${meta.max}`
      : meta.min !== undefined
        ? ` of at least ${meta.min}`
        : meta.max !== undefined
          ? ` of at most ${meta.max}`
          : '';
  return withMeta(
    schema((v, ctx) => {
      const n = Number(v.trim());
      if (
        !/^-?\d+$/.test(v.trim()) ||
        (meta.min !== undefined && n < meta.min) ||
        (meta.max !== undefined && n > meta.max)
      ) {
        ctx.addIssue({ code: 'custom', message: `must be a whole number${range}` });
        return NEVER;
      }
      return n;
    }),
    meta,
  );
}

export function number(meta: InputMeta & { min?: number; max?: number }): InputSchema<number> {
  return withMeta(
    schema((v, ctx) => {
      const n = Number(v.trim());
      if (
        v.trim() === '' ||
        !Number.isFinite(n) ||
        (meta.min !== undefined && n < meta.min) ||
        (meta.max !== undefined && n > meta.max)
      ) {
        const lo = meta.min ?? '-∞';
        const hi = meta.max ?? '∞';
        ctx.addIssue({ code: 'custom', message: `must be a number in [${lo}, ${hi}]` });
        return NEVER;
      }
      return n;
    }),
    meta,
  );
}

export function choice<const T extends readonly [string, ...string[]]>(
  values: T,
  meta: InputMeta,
): InputSchema<T[number]> {
  return withMeta(
    schema((v, ctx) => {
      const t = v.trim();
      if ((values as readonly string[]).includes(t)) return t as T[number];
      ctx.addIssue({ code: 'custom', message: `must be one of ${values.join(', ')}` });
      return NEVER;
    }),
    meta,
  );
}

/** Newline- (or comma-) separated list; blank lines and `#` comments are dropped. */
export function list(
  meta: InputMeta & {
    separator?: 'newline' | 'newline-or-comma';
    /** A check of each item: what is wrong with it and what is accepted, or undefined when it is fine. */
    check?: (item: string) => string | undefined;
  },
): InputSchema<string[]> {
  const split = meta.separator === 'newline-or-comma' ? /[\n,]/ : /\n/;
  return withMeta(
    schema((v, ctx) => {
      const items = v
        .split(split)
        .map((s) => s.trim())
        .filter((s) => s !== '' && !s.startsWith('#'));
      for (const item of items) {
        const problem = meta.check?.(item);
        if (problem) ctx.addIssue({ message: `${JSON.stringify(item)}: ${problem}` });
      }
      return items;
    }),
    meta,
  );
}

/** Go-style durations (`90s`, `5m`, `1h30m`, bare seconds), returned in milliseconds. */
export function duration(meta: InputMeta & { minMs?: number }): InputSchema<number> {
  return withMeta(
    schema((v, ctx) => {
      try {
        const ms = parseDuration(v);
        if (meta.minMs !== undefined && ms < meta.minMs) {
          ctx.addIssue({ code: 'custom', message: `must be at least ${meta.minMs} ms` });
          return NEVER;
        }
        return ms;
      } catch {
        ctx.addIssue({ code: 'custom', message: 'must be a duration such as 90s, 5m or 1h30m' });
        return NEVER;
      }
    }),
    meta,
  );
}

/** JSON text validated by `shape`; an empty value stays undefined. */
export function json<T>(
  /** Any validator with a schema library's `safeParse` (e.g. a zod schema): loaded by the caller, not here. */
  shape: {
    safeParse(
      value: unknown,
    ):
      | { success: true; data: T }
      | { success: false; error: { issues: { message: string; path: PropertyKey[] }[] } };
  },
  meta: InputMeta & { hint?: string },
): InputSchema<T | undefined> {
  return withMeta(
    schema((v, ctx) => {
      if (v.trim() === '') return undefined;
      let parsed: unknown;
      try {
        parsed = JSON.parse(v);
      } catch (e) {
        ctx.addIssue({
          code: 'custom',
          message: `must be valid JSON${meta.hint ? ` (${meta.hint})` : ''}: ${(e as Error).message}`,
        });
        return NEVER;
      }
      const r = shape.safeParse(parsed);
      if (!r.success) {
        const first = r.error.issues[0];
        const where = first.path.length ? ` at ${first.path.map(String).join('.')}` : '';
        ctx.addIssue({
          code: 'custom',
          message: `is not ${meta.hint ?? 'the expected JSON'}${where}: ${first.message}`,
        });
        return NEVER;
      }
      return r.data;
    }),
    meta,
  );
}
