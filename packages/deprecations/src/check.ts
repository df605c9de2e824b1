import { ConfigurationError, silentLogger, type Logger } from '@upgrade-actions/common';
import { readLiveObjects, serverVersion, type ClusterApi } from './cluster';
import { ManifestError } from './errors';
import { scanText, type ScanStats } from './fast-scan';
import type { ManifestObject } from './objects';
import { versionSkewWarning } from './policy';
import { expandPaths, readSource } from './sources';
import { defaultTable, latestKubernetes, type LifecycleTable } from './table';
import { findingsFor, parseComponentVersions, type Finding } from './verdict';
import { formatMinor, parseMinor, requireMinor, type Minor } from './versions';

export interface ApiCheckOptions {
  /** Files, directories, globs; `-` for standard input. */
  paths: string[];
  cwd: string;
  /** Reads standard input (only called when a path is `-`). */
  stdin?: () => string;
  /** `1.29`; empty: the cluster's version when there is a cluster, else the newest known. */
  targetVersion?: string;
  /** The newest release, for the N-2 policy; empty: the newest the table knows. */
  latestVersion?: string;
  /** `cert-manager=1.5`, … */
  componentVersions?: string[];
  /** Live mode: read objects' last-applied configuration from this cluster. */
  cluster?: ClusterApi;
  table?: LifecycleTable;
  /** Skip the fast path (the reference for tests and the benchmark). */
  fullParse?: boolean;
  /**
   * Keep going past manifests that cannot be read: their errors come back in `errors` with the
   * findings of everything else. Without it the check throws, after reading every input, an error
   * listing them all.
   */
  keepGoing?: boolean;
  logger?: Logger;
  /** Input names for error messages (the action's names by default). */
  names?: { targetVersion?: string; latestVersion?: string; componentVersions?: string; paths?: string };
}

export interface ApiCheckResult {
  findings: Finding[];
  target: Minor;
  /** Why that target: given, read from the cluster, or the newest known release. */
  targetFrom: 'input' | 'cluster' | 'newest-known';
  clusterVersion?: string;
  latest: Minor;
  warnings: string[];
  /** Objects read (documents, List items, live objects). */
  objects: number;
  /** Manifests (or documents of them) that could not be read, each at its file:line (with keepGoing). */
  errors: ManifestError[];
  stats: ScanStats;
}

/** The api-check engine: validates every option first, then reads inputs and judges each object. */
export async function apiCheck(opts: ApiCheckOptions): Promise<ApiCheckResult> {
  const table = opts.table ?? defaultTable;
  const names = {
    targetVersion: 'target-version',
    latestVersion: 'latest-version',
    componentVersions: 'component-versions',
    paths: 'paths',
    ...opts.names,
  };
  const logger = opts.logger ?? silentLogger;
  const given = opts.targetVersion?.trim()
    ? requireMinor(opts.targetVersion, names.targetVersion)
    : undefined;
  const latest = opts.latestVersion?.trim()
    ? requireMinor(opts.latestVersion, names.latestVersion)
    : latestKubernetes(table);
  const components = parseComponentVersions(opts.componentVersions ?? [], table, names.componentVersions);
  if (opts.paths.length === 0 && !opts.cluster)
    throw new ConfigurationError(
      `${names.paths} must name at least one file, directory or glob, or give a kubeconfig`,
    );
  const sources = opts.paths.length ? expandPaths(opts.paths, opts.cwd, names.paths) : [];

  const warnings: string[] = [];
  let target = given;
  let targetFrom: ApiCheckResult['targetFrom'] = 'input';
  let clusterVersion: string | undefined;
  const objects: ManifestObject[] = [];
  if (opts.cluster) {
    clusterVersion = await serverVersion(opts.cluster);
    const v = parseMinor(clusterVersion);
    if (!v)
      throw new Error(`${opts.cluster.name}: cannot read the version ${JSON.stringify(clusterVersion)}`);
    if (!target) {
      target = v;
      targetFrom = 'cluster';
    }
    const skew = versionSkewWarning(v, latest);
    if (skew) warnings.push(`${opts.cluster.name}: ${skew}`);
    const live = await readLiveObjects(opts.cluster);
    logger.info(
      `${opts.cluster.name} (${clusterVersion}): ${live.length} objects written with an apiVersion we can judge (last-applied, field managers, Helm releases)`,
    );
    objects.push(...live);
  } else if (given) {
    const skew = versionSkewWarning(given, latest);
    if (skew) warnings.push(`target ${skew}`);
  }
  if (!target) {
    target = latestKubernetes(table);
    targetFrom = 'newest-known';
  }

  const stats: ScanStats = { documents: 0, fullyParsed: 0 };
  let stdinText: string | undefined;
  const stdin = () => (stdinText ??= opts.stdin ? opts.stdin() : '');
  const errors: ManifestError[] = [];
  for (const source of sources) {
    let text: string;
    try {
      text = readSource(source, stdin);
    } catch (e) {
      // A file that vanished or cannot be read is one error; the other inputs are still checked.
      const code = (e as NodeJS.ErrnoException).code;
      errors.push(
        new ManifestError(source.name, null, null, `cannot be read (${code ?? (e as Error).message})`),
      );
      continue;
    }
    objects.push(
      ...scanText(
        text,
        source.name,
        { interesting: table.byApiVersion, fullParse: opts.fullParse, errors },
        stats,
      ),
    );
  }
  if (errors.length && !opts.keepGoing)
    throw new ConfigurationError(
      errors.length === 1
        ? errors[0].message
        : `${errors.length} manifests cannot be read:\n${errors.map((e) => `  ${e.message}`).join('\n')}`,
    );
  logger.debug(
    `read ${stats.documents} documents (${stats.fullyParsed} fully parsed), target Kubernetes ${formatMinor(target)}`,
  );
  return {
    findings: findingsFor(objects, table, { kubernetes: target, components }),
    target,
    targetFrom,
    clusterVersion,
    latest,
    warnings,
    objects: objects.length,
    errors,
    stats,
  };
}
