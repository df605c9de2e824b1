import { ConfigurationError } from '@upgrade-actions/common';

/** A manifest that cannot be read (YAML syntax, an unreadable file): the user's to fix, at file:line. */
export class ManifestError extends ConfigurationError {
  constructor(
    readonly file: string,
    /** 1-based; null when the whole file is at fault (it cannot be read). */
    readonly line: number | null,
    readonly column: number | null,
    readonly reason: string,
  ) {
    super(
      `${file}${line === null ? '' : `:${line}${column === null ? '' : `:${column}`}`}: ` +
        (line === null ? reason : `not valid YAML: ${reason}`),
    );
    this.name = 'ManifestError';
  }
}
