import { ConfigurationError } from '@upgrade-actions/common';
import { releaseSchema, type Release } from './schema';

/**
 * Reads a release descriptor from JSON text (an action input or a file), naming `source` in every error
 * so that a malformed hand-off between stages is one clear line, not a stack trace.
 */
export function parseRelease(text: string, source = "input 'release'"): Release {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new ConfigurationError(
      `${source} is not valid JSON (${(e as Error).message}); pass the 'release' output of the deploy step`,
    );
  }
  if (
    data &&
    typeof data === 'object' &&
    'version' in data &&
    (data as { version: unknown }).version !== 'v1'
  ) {
    throw new ConfigurationError(
      `${source} has release descriptor version ${JSON.stringify((data as { version: unknown }).version)}; this version reads "v1"`,
    );
  }
  const r = releaseSchema.safeParse(data);
  if (!r.success) {
    const problems = r.error.issues.map(
      (i) => `${i.path.length ? i.path.join('.') : '(top level)'}: ${i.message}`,
    );
    throw new ConfigurationError(`${source} is not a valid release descriptor: ${problems.join('; ')}`);
  }
  return r.data;
}

export function serializeRelease(release: Release): string {
  return JSON.stringify(releaseSchema.parse(release));
}
