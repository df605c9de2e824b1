import { onCancel } from '@upgrade-actions/common';
import type { DeployResult } from '@upgrade-actions/deploy';
import {
  actionsLogger,
  annotate,
  classifyFailure,
  getInputs,
  mask,
  run,
  setOutputs,
} from '@upgrade-actions/toolkit';
import { deployAction as def } from './inputs';

await run(async () => {
  const i = getInputs(def);
  // Engines load once the inputs are valid: a step that fails on its input pays only for the toolkit.
  const { deploy, DeployProgress, kubeconfigSource, parseImageOverrides } =
    await import('@upgrade-actions/deploy');
  const { KubeClient, loadClusterAccess, loadManifests, kubeconfigInputSecrets } =
    await import('@upgrade-actions/kube');
  // Each credential of inline kubeconfig content masked on its own, now that the kube engine is loaded
  // (the whole content was masked while inputs were parsed, before anything could print it).
  for (const secret of kubeconfigInputSecrets(i.kubeconfig)) mask(secret);
  const { serializeRelease } = await import('@upgrade-actions/release');
  const { rolledBackJson, runIdentity } = await import('@upgrade-actions/rollback');
  const { withKubeconfigFile } = await import('./kubeconfig-file');
  const { deploySummary, failureVerdict } = await import('./report');
  const workspace = process.env.GITHUB_WORKSPACE ?? process.cwd();
  // Everything the user gave is read and checked before the cluster is touched.
  const overrides = parseImageOverrides(i.images);
  const manifests = loadManifests(i.manifests, { cwd: workspace });
  const source = kubeconfigSource(i.kubeconfig, i.context, workspace);
  const access = loadClusterAccess(source);
  const client = new KubeClient(access);
  const progress = new DeployProgress();
  // Outputs and summary describe what was applied, however the step ends after its first write.
  const report = async (r: DeployResult, stopped?: string) => {
    setOutputs(def, {
      release: serializeRelease(r.release),
      'rolled-back': r.rollback ? rolledBackJson(r.rollback) : '',
      applied: r.applied.map((a) => ({ name: a.name, namespace: a.namespace ?? null, action: a.action })),
    });
    await deploySummary(r, stopped).write();
  };
  const stopOnCancel = onCancel(async () => {
    // Within the runner's grace period: the toolkit gives cancel handlers 5 s.
    const partial = await progress.settle(2000);
    if (partial) await report(partial, 'the step was cancelled');
  });
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
        progress,
      }),
    );
    for (const w of result.warnings) annotate({ level: 'warning', title: 'deploy', message: w });
    await report(result);
    // Each failed rollout was reported when it failed, and the rollback said what it did: the verdict
    // only concludes, it repeats neither.
    const verdict = failureVerdict(result);
    if (verdict) {
      if (verdict.error) annotate({ level: 'error', message: verdict.error });
      process.exitCode = 1;
    }
  } catch (e) {
    const partial = await progress.settle(2000);
    if (partial) await report(partial, classifyFailure(e).message);
    throw e;
  } finally {
    stopOnCancel();
    client.close();
  }
});
