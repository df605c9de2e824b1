import { ConfigurationError } from '@upgrade-actions/common';

export const FULL_SHA = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;

/**
 * Checks a ref or revision the user gave (`main`, `origin/main`, `v1.2`, a SHA, `HEAD~3`) before it
 * reaches git: nothing that git could read as an option, no control characters. `input` names the
 * input in the error.
 */
export function validateRevision(value: string, input: string): string {
  const v = value.trim();
  if (v === '') throw new ConfigurationError(`${input}: empty; give a branch, tag or commit SHA`);
  if (v.startsWith('-'))
    throw new ConfigurationError(
      `${input}: "${v}" starts with "-" and would be read as an option; give a branch, tag or commit SHA`,
    );
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x1f\x7f]/.test(v))
    throw new ConfigurationError(`${input}: contains control characters; give a branch, tag or commit SHA`);
  return v;
}

/**
 * Whether `name` can be fetched as a ref from a remote: git's check-ref-format rules (no `..`, `@{`,
 * spaces, `~^:?*[\`, no component starting with `.` or ending with `.lock`) — and so no refspec
 * syntax (`:`, a leading `+`) that could write local refs.
 */
export function isFetchableRefName(name: string): boolean {
  if (FULL_SHA.test(name)) return true;
  if (name === '' || name === '@' || name.startsWith('-') || name.startsWith('+')) return false;
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x20\x7f~^:?*[\\]/.test(name) || name.includes('..') || name.includes('@{')) return false;
  if (name.startsWith('/') || name.endsWith('/') || name.endsWith('.') || name.includes('//')) return false;
  return name.split('/').every((c) => c !== '' && !c.startsWith('.') && !c.endsWith('.lock'));
}
