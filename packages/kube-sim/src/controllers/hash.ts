/** Kubernetes' safe alphabet for generated names (`rand.SafeEncodeString`): no vowels, no 0/1/3. */
const SAFE_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/** Maps each character to the safe alphabet, as `rand.SafeEncodeString` does. */
export function safeEncode(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) out += SAFE_ALPHABET[s.charCodeAt(i) % SAFE_ALPHABET.length];
  return out;
}

/** FNV-32a over the UTF-8 bytes of `s`. */
export function fnv32a(s: string): number {
  let h = 0x811c9dc5;
  for (const b of Buffer.from(s, 'utf8')) {
    h ^= b;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/**
 * JSON with sorted keys, dropping null/undefined and empty maps/lists: Kubernetes compares templates
 * with semantic equality, where a nil map equals an empty one.
 */
export function canonical(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canonical);
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) {
      const c = canonical((v as Record<string, unknown>)[k]);
      if (c === undefined || c === null) continue;
      if (Array.isArray(c) && c.length === 0) continue;
      if (typeof c === 'object' && !Array.isArray(c) && Object.keys(c as object).length === 0) continue;
      out[k] = c;
    }
    return out;
  }
  return v;
}

/**
 * The `pod-template-hash` / controller-revision hash: FNV-32a over the template (and the collision
 * count, as upstream's `ComputeHash` does), printed in decimal and safe-encoded, e.g. `5d59d67564`.
 * Upstream hashes Go's in-memory struct dump, which cannot be reproduced; this is as stable.
 */
export function computeHash(template: unknown, collisionCount?: number): string {
  let input = JSON.stringify(canonical(template) ?? {});
  if (collisionCount !== undefined && collisionCount !== null) input += String(collisionCount);
  return safeEncode(String(fnv32a(input)));
}

export function semanticEqual(a: unknown, b: unknown): boolean {
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}
