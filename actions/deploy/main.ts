import { ConfigurationError } from '@upgrade-actions/common';
import { actionsLogger, annotate, getInputs, run, setOutputs } from '@upgrade-actions/toolkit';
import { deployAction as def } from './inputs';

await run(async () => {
  const i = getInputs(def);
  // Engines load once the inputs are valid: a step that fails on its input pays only for the toolkit.
  const { deploy, kubeconfigSource, parseImageOverrides } = await import('@upgrade-actions/deploy');
  const { KubeClient, loadClusterAccess, loadManifests } = await import('@upgrade-actions/kube');
  const { serializeRelease } = await import('@upgrade-actions/release');
  const { rolledBackJson, runIdentity } = await import('@upgrade-actions/rollback');
  const { withKubeconfigFile } = await import('./kubeconfig-file');
  const { deploySummary, failureMessage } = await import('./report');
  const workspace = process.env.GITHUB_WORKSPACE ?? process.cwd();
  // Everything the user gave is read and checked before the cluster is touched.
  const overrides = parseImageOverrides(i.images);
  const manifests = loadManifests(i.manifests, { cwd: workspace });
  const source = kubeconfigSource(i.kubeconfig, i.context, workspace);
  const access = loadClusterAccess(source);
  const client = new KubeClient(access);
  try {
    const result = await withKubeconfigFile(source, i.serverSide, (kubectl) =>
      deploy({
        client,
        access,
        manifests,
        namespace: i.namespace || access.namespace,
        overrides,
        changeCause: i.changeCause || undefined,
        fieldManager: i.fieldManager,
        serverSide: i.serverSide,
        kubectl,
        wait: i.wait,
        timeoutMs: i.timeout,
        apiCheck: i.apiCheck,
        policy: { forbidLatest: i.forbidLatest, requireDigest: i.requireDigest },
        allowFailedRevision: i.allowFailedRevision,
        rollbackOnFailure: i.rollbackOnFailure,
        identity: runIdentity(),
        lockTimeoutMs: i.lockTimeout,
        source: {
          repository: process.env.GITHUB_REPOSITORY,
          sha: process.env.GITHUB_SHA,
          runId: process.env.GITHUB_RUN_ID,
        },
        logger: actionsLogger,
      }),
    );
    for (const w of result.warnings) annotate({ level: 'warning', title: 'deploy', message: w });
    setOutputs(def, {
      release: serializeRelease(result.release),
      'rolled-back': result.rollback ? rolledBackJson(result.rollback) : '',
      applied: result.applied.map((a) => ({
        name: a.name,
        namespace: a.namespace ?? null,
        action: a.action,
      })),
    });
    await deploySummary(result).write();
    if (result.failures.length > 0) throw new ConfigurationError(failureMessage(result));
  } finally {
    client.close();
  }
});
