import path from 'node:path';
import { checkOutputFile, ConfigurationError, writeOutputFile } from '@upgrade-actions/common';
import { actionsLogger, getInputs, mask, run, setOutputs } from '@upgrade-actions/toolkit';
import { smokeTestAction as def } from './inputs';

await run(async () => {
  const i = getInputs(def);
  // Engines load once the inputs are valid: a step that fails on its input pays only for the toolkit.
  const { kubeconfigSource } = await import('@upgrade-actions/deploy');
  const { KubeClient, loadClusterAccess, kubeconfigInputSecrets } = await import('@upgrade-actions/kube');
  // Each credential of inline kubeconfig content masked on its own, now that the kube engine is loaded
  // (the whole content was masked while inputs were parsed, before anything could print it).
  for (const secret of kubeconfigInputSecrets(i.kubeconfig)) mask(secret);
  const { parseRelease } = await import('@upgrade-actions/release');
  const { planSmokeTest, reportJUnit, runSmokePlan } = await import('@upgrade-actions/smoke');
  const { smokeSummary } = await import('./report');
  const workspace = process.env.GITHUB_WORKSPACE ?? process.cwd();
  const inWorkspace = (p: string) => (p.trim() ? path.resolve(workspace, p.trim()) : undefined);
  // The report path is checked before any request (inside the workspace); its directories are made when written.
  const junitPath = i.junitPath.trim()
    ? checkOutputFile(i.junitPath.trim(), 'junit-path', workspace, { within: workspace })
    : undefined;
  const release = i.release.trim() ? parseRelease(i.release) : undefined;
  // Every input and the test file are checked here, before any request or Job.
  const plan = planSmokeTest({
    file: inWorkspace(i.file),
    fileName: i.file.trim(),
    baseUrl: i.baseUrl,
    variables: i.variables,
    release,
    insecureSkipTlsVerify: i.insecureSkipTlsVerify,
    caFile: inWorkspace(i.caFile),
    image: i.image,
    command: i.command,
    namespace: i.namespace,
    jobTimeoutMs: i.jobTimeout,
  });
  // The Job, and a base URL that is a Service (reached through the API server), need the cluster.
  const client =
    plan.mode === 'job' || plan.needsCluster
      ? new KubeClient(loadClusterAccess(kubeconfigSource(i.kubeconfig, i.context, workspace)))
      : undefined;
  try {
    const report = await runSmokePlan(plan, { client, logger: actionsLogger });
    setOutputs(def, { passed: report.passed, failed: report.failed, report: JSON.stringify(report) });
    await smokeSummary(report).write();
    // Last, so that a report that cannot be written loses neither the outputs nor the summary.
    if (junitPath) {
      writeOutputFile(junitPath, reportJUnit(report), 'junit-path');
      setOutputs(def, { 'junit-path': junitPath });
    }
    if (report.failed > 0 && i.fail) {
      // A step that could not even run (a Job whose image cannot be pulled, no response) says why here.
      const why = report.steps.find((s) => s.status === 'failed' && s.error);
      throw new ConfigurationError(
        `smoke tests failed: ${report.failed} failed, ${report.passed} passed${why ? ` (${why.name}: ${why.error})` : ''}`,
      );
    }
  } finally {
    client?.close();
  }
});
