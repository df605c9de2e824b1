import { ConfigurationError } from '@upgrade-actions/common';
import { checkImagePolicy, imageName, parseImageReference, type ImagePolicy } from '@upgrade-actions/images';

/** Canonical image name (`docker.io/library/nginx`) → the reference to run instead. */
export type ImageOverrides = Map<string, string>;

/**
 * The `images` input: `name=reference` lines (`ghcr.io/acme/web=ghcr.io/acme/web@sha256:…`), bare
 * references with a tag or digest (the name is theirs), or a JSON object `{name: reference}` as a
 * build step outputs it. Names are compared canonically, so `nginx` and `docker.io/library/nginx`
 * are one image. Every entry is checked; errors name the input and the entry.
 */
export function parseImageOverrides(text: string, input = 'images'): ImageOverrides {
  const out: ImageOverrides = new Map();
  const trimmed = text.trim();
  if (!trimmed) return out;
  let pairs: [string, string][];
  if (trimmed.startsWith('{')) {
    let data: unknown;
    try {
      data = JSON.parse(trimmed);
    } catch (e) {
      throw new ConfigurationError(
        `${input}: not valid JSON (${(e as Error).message}); expected {"name": "reference"} or name=reference lines`,
      );
    }
    if (
      !data ||
      typeof data !== 'object' ||
      Array.isArray(data) ||
      Object.values(data).some((v) => typeof v !== 'string')
    ) {
      throw new ConfigurationError(`${input}: expected a JSON object of image name to reference strings`);
    }
    pairs = Object.entries(data as Record<string, string>);
  } else {
    pairs = trimmed
      .split(/\r?\n/)
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#'))
      .map((line) => {
        const eq = line.indexOf('=');
        if (eq >= 0) return [line.slice(0, eq).trim(), line.slice(eq + 1).trim()] as [string, string];
        const ref = parseImageReference(line, `${input}: "${line}"`);
        if (!ref.tag && !ref.digest) {
          throw new ConfigurationError(
            `${input}: "${line}" names no tag or digest; write name=reference or a reference with a tag or digest`,
          );
        }
        return [line, line] as [string, string];
      });
  }
  for (const [name, ref] of pairs) {
    const parsedName = parseImageReference(name, `${input}: name`);
    parseImageReference(ref, `${input}: reference for ${name}`);
    out.set(imageName(parsedName), ref);
  }
  return out;
}

/** The override for `image` (its canonical name and the reference to use), or undefined when none names it. */
export function overrideFor(
  image: string,
  overrides: ImageOverrides,
): { name: string; ref: string } | undefined {
  if (overrides.size === 0) return undefined;
  let name: string;
  try {
    name = imageName(parseImageReference(image));
  } catch {
    return undefined; // an image we cannot parse is the server's to judge, not ours to replace
  }
  const ref = overrides.get(name);
  return ref === undefined ? undefined : { name, ref };
}

/** The production policy over every image a deploy would run; all violations in one error. */
export function enforceImagePolicy(images: string[], policy: ImagePolicy): void {
  const violations = checkImagePolicy([...new Set(images)], policy);
  if (violations.length === 0) return;
  const input = violations.every((v) => v.rule === 'missing-digest') ? 'require-digest' : 'forbid-latest';
  throw new ConfigurationError(`${input}: ${violations.map((v) => v.message).join('; ')}`);
}
