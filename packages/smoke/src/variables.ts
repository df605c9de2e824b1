import { ConfigurationError } from '@upgrade-actions/common';

/** `${name}`; `$${name}` is a literal `${name}`. Names may hold dots (`release.namespace`) and dashes (`base-url`). */
const REF = /\$(\$?)\{([A-Za-z_][\w.-]*)\}/g;

/** Every variable a value (string, or nested object/array of them) refers to. */
export function referencedVariables(value: unknown, out = new Set<string>()): Set<string> {
  if (typeof value === 'string') {
    for (const m of value.matchAll(REF)) if (!m[1]) out.add(m[2]);
  } else if (Array.isArray(value)) {
    for (const v of value) referencedVariables(v, out);
  } else if (value && typeof value === 'object') {
    for (const v of Object.values(value)) referencedVariables(v, out);
  }
  return out;
}

/** Replaces `${name}` in every string of `value`. Unknown names were refused at load time; a late one is a bug. */
export function interpolate<T>(value: T, vars: Record<string, string>): T {
  if (typeof value === 'string') {
    return value.replace(REF, (whole, escaped: string, name: string) => {
      if (escaped) return whole.slice(1);
      if (!(name in vars)) throw new ConfigurationError(`variable \${${name}} is not defined`);
      return vars[name];
    }) as T;
  }
  if (Array.isArray(value)) return value.map((v) => interpolate(v, vars)) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, interpolate(v, vars)])) as T;
  }
  return value;
}

/**
 * Variables from the release descriptor, flattened with dots: `release.namespace`,
 * `release.cluster.context`, `release.workloads.0.name`, `release.images.<repository>`.
 */
export function flattenVariables(
  prefix: string,
  value: unknown,
  out: Record<string, string> = {},
): Record<string, string> {
  if (value === null || value === undefined) return out;
  if (typeof value === 'object') {
    for (const [k, v] of Object.entries(value as Record<string, unknown>))
      flattenVariables(`${prefix}.${k}`, v, out);
  } else {
    out[prefix] = String(value);
  }
  return out;
}
