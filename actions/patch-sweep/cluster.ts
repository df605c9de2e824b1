/**
 * With a kubeconfig the sweep also says where the cluster stands against the N-2 policy (SEEDS.md §1),
 * with api-check's rule: images get patched on schedule, and so should the cluster's minor release.
 */
export interface ClusterStanding {
  /** One line for the log and the summary. */
  line: string;
  /** The N-2 warning when the cluster is more than two minors behind, else null. */
  warning: string | null;
}

export async function clusterStanding(
  kubeconfig: string,
  context: string,
  workspace: string,
): Promise<ClusterStanding> {
  const {
    defaultTable,
    formatMinor,
    httpClusterApi,
    latestKubernetes,
    minorsBehind,
    parseMinor,
    serverVersion,
    versionSkewWarning,
  } = await import('@upgrade-actions/deprecations');
  const cluster = httpClusterApi(kubeconfig, context || undefined, workspace);
  try {
    const version = await serverVersion(cluster);
    const minor = parseMinor(version);
    if (!minor) throw new Error(`${cluster.name}: cannot read the version ${JSON.stringify(version)}`);
    const latest = latestKubernetes(defaultTable);
    const behind = Math.max(0, minorsBehind(minor, latest));
    const warning = versionSkewWarning(minor, latest);
    return {
      line: `${cluster.name}: Kubernetes ${version}, ${behind} minor release${behind === 1 ? '' : 's'} behind ${formatMinor(latest)}: ${warning ? 'outside' : 'within'} the N-2 policy`,
      warning: warning ? `${cluster.name}: ${warning}` : null,
    };
  } finally {
    cluster.close();
  }
}
