/**
 * What Go's `encoding/json` makes of a typed object, for the bytes clients compare: real controllers
 * build ControllerRevision data by marshalling the typed workload into `map[string]interface{}` and back,
 * so the stored JSON has its keys sorted at every level and the zero values the typed structs always
 * print. `kubectl rollout undo` compares those bytes with its own encoding of the live template
 * (`bytes.Equal`), so ours must be identical, not merely equivalent.
 */

/** Keys sorted at every level, as Go marshals a `map[string]interface{}` (byte order of the keys). */
export function sortKeysDeep<T>(v: T): T {
  if (Array.isArray(v)) return v.map((x) => sortKeysDeep(x)) as T;
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) out[k] = sortKeysDeep((v as Record<string, unknown>)[k]);
    return out as T;
  }
  return v;
}

type Json = Record<string, unknown>;

const CONTAINER_LISTS = ['initContainers', 'containers', 'ephemeralContainers'] as const;

/**
 * A `PodTemplateSpec` as Go encodes the typed struct (Kubernetes 1.32): `metadata.creationTimestamp`
 * is a non-pointer `metav1.Time` and prints `null` when unset; each container's `resources` is a
 * non-pointer struct and prints `{}`. Everything else of the template is `omitempty` or required.
 */
export function goPodTemplate(template: Json | undefined): Json {
  const t: Json = structuredClone(template ?? {});
  const metadata = (t.metadata ?? {}) as Json;
  t.metadata = { ...metadata, creationTimestamp: metadata.creationTimestamp ?? null };
  const spec = t.spec as Json | undefined;
  if (spec) {
    for (const list of CONTAINER_LISTS) {
      const containers = spec[list];
      if (!Array.isArray(containers)) continue;
      spec[list] = containers.map((c: Json) => ({ ...c, resources: c.resources ?? {} }));
    }
  }
  return t;
}
