/** What a registry answered, worded for the person who must act on it. */
export class RegistryError extends Error {
  override name = 'RegistryError';
  constructor(
    message: string,
    /** HTTP status, 0 when the registry could not be reached. */
    readonly status: number,
    /** The distribution error code (`MANIFEST_UNKNOWN`, `NAME_UNKNOWN`, `UNAUTHORIZED`, `DENIED`, …). */
    readonly code?: string,
  ) {
    super(message);
  }
}

export function isUnknown(e: unknown): boolean {
  return e instanceof RegistryError && e.status === 404;
}

/** The first entry of a distribution error body: `{"errors":[{"code":"…","message":"…"}]}`. */
export function distributionError(body: string): { code?: string; message?: string } {
  try {
    const parsed = JSON.parse(body) as { errors?: { code?: string; message?: string }[]; details?: string };
    const e = parsed.errors?.[0];
    if (e) return { code: e.code, message: e.message };
    if (parsed.details) return { message: parsed.details };
  } catch {
    // not JSON
  }
  return {};
}
