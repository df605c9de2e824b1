import path from 'node:path';
import { ConfigurationError } from '@upgrade-actions/common';
import { actionsLogger, getInputs, mask, run, setOutputs } from '@upgrade-actions/toolkit';
import { healthProbeAction as def } from './inputs';
import type { HealthProbeInputs } from '@upgrade-actions/probe';

await run(async () => {
  const i = getInputs(def);
  // Engines load once the inputs are valid: a step that fails on its input pays only for the toolkit.
  const { kubeconfigSource } = await import('@upgrade-actions/deploy');
  const { KubeClient, loadClusterAccess, kubeconfigInputSecrets } = await import('@upgrade-actions/kube');
  // Each credential of inline kubeconfig content masked on its own, now that the kube engine is loaded
  // (the whole content was masked while inputs were parsed, before anything could print it).
  for (const secret of kubeconfigInputSecrets(i.kubeconfig)) mask(secret);
  const { healthProbe, needsCluster, secretValues } = await import('@upgrade-actions/probe');
  const { parseRelease } = await import('@upgrade-actions/release');
  const { releaseTargets, rollback, rolledBackJson, runIdentity } = await import('@upgrade-actions/rollback');
  const { probeLogger, probeSummary } = await import('./report');
  const workspace = process.env.GITHUB_WORKSPACE ?? process.cwd();
  const inputs: HealthProbeInputs = {
    urls: i.urls,
    expectedStatus: i.expectedStatus,
    timeout: i.timeout,
    method: i.method,
    headers: i.headers,
    bodyMatch: i.bodyMatch || undefined,
    maxLatency: i.maxLatency || undefined,
    insecureSkipTlsVerify: i.insecureSkipTlsVerify,
    caFile: i.caFile ? path.resolve(workspace, i.caFile) : undefined,
    checks: i.checks || undefined,
    prometheusUrl: i.prometheusUrl || undefined,
    mode: i.mode,
    duration: i.duration,
    interval: i.interval,
    failureThreshold: i.failureThreshold,
    failOnWarningEvents: i.failOnWarningEvents,
  };
  // Header values are secrets: masked before anything can print them.
  for (const v of secretValues(inputs)) mask(v);
  const release = i.release.trim() ? parseRelease(i.release) : undefined;
  if (i.rollbackOnFailure && !release) {
    throw new ConfigurationError("rollback-on-failure: needs the deploy step's release output in release");
  }
  // A cluster is needed only for the pods of a release and for service targets.
  const client =
    release || needsCluster(inputs)
      ? new KubeClient(loadClusterAccess(kubeconfigSource(i.kubeconfig, i.context, workspace)))
      : undefined;
  try {
    const { report, outputs } = await healthProbe(inputs, { release, client, logger: probeLogger(i.fail) });
    const rolled =
      report.shouldRollback && i.rollbackOnFailure && release && client
        ? await rollback({
            client,
            targets: releaseTargets(release),
            reason: `health-probe: ${report.error ?? 'unhealthy'}`,
            identity: runIdentity(),
            timeoutMs: i.rollbackTimeout,
            logger: actionsLogger,
          })
        : undefined;
    setOutputs(def, {
      status: outputs.status,
      report: outputs.report,
      'should-rollback': outputs.shouldRollback,
      'consecutive-failures': outputs.consecutiveFailures,
      'rolled-back': rolled ? rolledBackJson(rolled) : '',
    });
    await probeSummary(report, rolled).write();
    if (report.status === 'unhealthy' && i.fail) throw new ConfigurationError(`unhealthy: ${report.error}`);
    if (report.status === 'unreachable' && i.fail) {
      throw new ConfigurationError(
        `could not reach the app, so it was not judged (nothing rolled back): ${report.error}`,
      );
    }
  } finally {
    client?.close();
  }
});
