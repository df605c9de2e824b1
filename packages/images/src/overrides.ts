import { ConfigurationError } from '@upgrade-actions/common';
import { imageName, parseImageReference } from './reference';

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

/**
 * What is wrong with an `images` value, as an input check says it (no input name: the caller adds it), or
 * undefined when every entry is a valid reference. Light on purpose: actions run it while parsing inputs.
 */
export function imageOverridesProblem(text: string): string | undefined {
  try {
    parseImageOverrides(text, 'entry');
    return undefined;
  } catch (e) {
    return `must be name=reference lines or a JSON object of name to reference: ${(e as Error).message.replace(/^entry: /, '')}`;
  }
}

/** What is wrong with one image reference, for an input check, or undefined when it is valid. */
export function imageReferenceProblem(text: string): string | undefined {
  try {
    parseImageReference(text, '');
    return undefined;
  } catch (e) {
    return `must be an image reference: ${(e as Error).message.trim()}`;
  }
}
