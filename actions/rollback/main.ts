import { ConfigurationError, onCancel } from '@upgrade-actions/common';
import {
  actionsLogger,
  getInputs,
  mask,
  readEvent,
  run,
  setOutputs,
  Summary,
} from '@upgrade-actions/toolkit';
import { rollbackAction as def } from './inputs';

await run(async () => {
  const i = getInputs(def);
  // Engines load once the inputs are valid: a step that fails on its input pays only for the toolkit.
  const { kubeconfigSource } = await import('@upgrade-actions/deploy');
  const { KubeClient, loadClusterAccess, kubeconfigInputSecrets } = await import('@upgrade-actions/kube');
  // Each credential of inline kubeconfig content masked on its own, now that the kube engine is loaded
  // (the whole content was masked while inputs were parsed, before anything could print it).
  for (const secret of kubeconfigInputSecrets(i.kubeconfig)) mask(secret);
  const { parseRelease } = await import('@upgrade-actions/release');
  const { parseWorkloads, releaseTargets, rollback, rolledBackJson, rollbackSummaryRows, runIdentity } =
    await import('@upgrade-actions/rollback');
  const { notify, noticeOf, overall } = await import('./notify');
  const workspace = process.env.GITHUB_WORKSPACE ?? process.cwd();
  if (!i.release.trim() && i.workloads.length === 0) {
    throw new ConfigurationError(
      "release or workloads: give the deploy step's release output, or at least one workload",
    );
  }
  if (i.release.trim() && i.workloads.length > 0) {
    throw new ConfigurationError('release and workloads: give one of them, not both');
  }
  const release = i.release.trim() ? parseRelease(i.release) : undefined;
  const access = loadClusterAccess(kubeconfigSource(i.kubeconfig, i.context, workspace));
  const namespace = i.namespace || release?.namespace || access.namespace;
  const targets = release ? releaseTargets(release) : parseWorkloads(i.workloads, namespace);
  const client = new KubeClient(access);
  // A cancelled step still says what it did: each workload's outcome so far, in the outputs and summary.
  const progress = new Map<string, import('@upgrade-actions/rollback').WorkloadOutcome>();
  const stopOnCancel = onCancel(async () => {
    if (!progress.size) return;
    const partial = { outcomes: [...progress.values()], durationMs: 0 };
    setOutputs(def, { 'rolled-back': rolledBackJson(partial), 'duration-seconds': '', result: 'cancelled' });
    await new Summary()
      .heading('Rollback: cancelled', 2)
      .paragraph('The step was cancelled; what it had done by then:')
      .table(['Workload', 'Outcome', 'From', 'To', 'Details'], rollbackSummaryRows(partial))
      .write();
  });
  try {
    const result = await rollback({
      client,
      targets,
      toRevision: i.toRevision,
      reason: i.reason,
      identity: runIdentity(),
      wait: i.wait,
      timeoutMs: i.timeout,
      lockTimeoutMs: i.lockTimeout,
      logger: actionsLogger,
      onProgress: (o) => progress.set(`${o.namespace}/${o.displayName}`, o),
    });
    const status = overall(result);
    setOutputs(def, {
      'rolled-back': rolledBackJson(result),
      'duration-seconds': (result.durationMs / 1000).toFixed(3),
      result: status,
    });
    await new Summary()
      .heading(`Rollback: ${status}`, 2)
      .table(['Workload', 'Outcome', 'From', 'To', 'Details'], rollbackSummaryRows(result))
      .write();
    await notify(i, noticeOf(result, i.reason, namespace), readEvent(), actionsLogger);
    if (status === 'failed') {
      // An outcome to act on, not a bug: one line naming what did not recover.
      const bad = result.outcomes
        .filter((o) => o.action === 'failed')
        .map((o) => `${o.displayName}: ${o.message}`);
      throw new ConfigurationError(`rollback did not recover: ${bad.join('; ')}`);
    }
  } finally {
    stopOnCancel();
    client.close();
  }
});
