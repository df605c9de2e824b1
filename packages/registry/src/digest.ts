import { createHash } from 'node:crypto';

export const SHA256_DIGEST = /^sha256:[a-f0-9]{64}$/;

/** The digest of bytes exactly as sent or received: never of a re-serialised object. */
export function sha256Digest(bytes: Uint8Array): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}
