/**
 * Something the user can fix (bad input, bad config, a missing ref). Reported as one clear line,
 * without a stack trace; anything else is an internal failure and keeps its stack.
 */
export class ConfigurationError extends Error {
  override name = 'ConfigurationError';
}

/** Normalises whatever was thrown into an Error. */
export function wrapError(thrown: unknown): Error {
  if (thrown instanceof Error) return thrown;
  return new Error(typeof thrown === 'string' ? thrown : JSON.stringify(thrown));
}

export function isConfigurationError(err: unknown): err is ConfigurationError {
  return err instanceof ConfigurationError || (err instanceof Error && err.name === 'ConfigurationError');
}
