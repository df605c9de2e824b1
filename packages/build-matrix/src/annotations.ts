import type { BuildContext } from './context';

/**
 * The OCI `org.opencontainers.image.*` annotations (and labels: the same keys) metadata-action writes, from
 * the repository, the commit, the time and the version, overlaid with the user's extra `key=value` lines.
 */
export function ociAnnotations(
  ctx: BuildContext,
  version: string,
  extra: Record<string, string> = {},
): Record<string, string> {
  const a: Record<string, string> = {};
  const set = (k: string, v: string | undefined) => {
    if (v) a[`org.opencontainers.image.${k}`] = v;
  };
  set('title', ctx.repositoryName);
  set('description', ctx.description);
  set('url', ctx.repositoryUrl);
  set('source', ctx.repositoryUrl);
  set('version', version);
  set('created', ctx.created);
  set('revision', ctx.sha);
  set('licenses', ctx.license);
  return { ...a, ...extra };
}
