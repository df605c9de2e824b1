import { ConfigurationError, onCancel } from '@upgrade-actions/common';
import { actionsLogger, getInputs, readEvent, run, setOutputs } from '@upgrade-actions/toolkit';
import { canaryAction as def } from './inputs';

await run(async () => {
  const i = getInputs(def);
  // Engines load once the inputs are valid: a step that fails on its input pays only for the toolkit.
  const { parseMatches, parseSteps, runCanary, analysisJson, trafficWeight } =
    await import('@upgrade-actions/canary');
  const { kubeconfigSource, parseImageOverrides } = await import('@upgrade-actions/deploy');
  const { KubeClient, loadClusterAccess, loadManifests } = await import('@upgrade-actions/kube');
  const { serializeRelease } = await import('@upgrade-actions/release');
  const { runIdentity } = await import('@upgrade-actions/rollback');
  const { canarySummary, notifyAbort } = await import('./report');
  const workspace = process.env.GITHUB_WORKSPACE ?? process.cwd();
  // Everything the user gave is read and checked before the cluster is touched.
  const steps = parseSteps(i.steps);
  const matches = parseMatches(i.headerMatch, i.cookieMatch);
  const overrides = parseImageOverrides(i.images);
  const manifests = loadManifests(i.manifests, { cwd: workspace });
  const [virtualService, virtualServiceRoute] = i.virtualService.split('/');
  const source = kubeconfigSource(i.kubeconfig, i.context, workspace);
  const access = loadClusterAccess(source);
  const client = new KubeClient(access);
  // A cancelled job still says where the canary stands: the last state saved on the cluster.
  let saved: import('@upgrade-actions/canary').CanaryState | undefined;
  const unregister = onCancel(() => {
    if (!saved) return;
    setOutputs(def, {
      phase: saved.phase,
      weight: String(trafficWeight(saved)),
      step: String(saved.step),
      analysis: analysisJson(saved),
      release: '',
    });
    actionsLogger.info(
      `cancelled at step ${saved.step + 1} of ${saved.steps.length} (${trafficWeight(saved)}% on the canary); the next run resumes there`,
    );
  });
  try {
    const result = await runCanary({
      client,
      access,
      manifests,
      namespace: i.namespace || access.namespace,
      overrides,
      policy: { forbidLatest: i.forbidLatest, requireDigest: i.requireDigest },
      service: i.service || undefined,
      router: i.trafficRouter,
      ingress: i.ingress || undefined,
      virtualService: virtualService || undefined,
      virtualServiceRoute: virtualServiceRoute || undefined,
      httpRoute: i.httpRoute || undefined,
      matches,
      steps,
      timing: { stepIntervalMs: i.stepInterval, analysisIntervalMs: i.analysisInterval },
      failureThreshold: i.failureThreshold,
      analysis: {
        urls: i.analysisUrls,
        checks: i.analysisChecks,
        prometheusUrl: i.prometheusUrl,
        prometheusPresets: i.prometheusPresets,
        prometheusQueries: i.prometheusQueries,
      },
      maxDurationMs: i.maxDuration,
      action: i.action,
      identity: runIdentity(),
      lockTimeoutMs: i.lockTimeout,
      rolloutTimeoutMs: i.rolloutTimeout,
      fieldManager: i.fieldManager,
      changeCause: i.changeCause || undefined,
      source: {
        repository: process.env.GITHUB_REPOSITORY,
        sha: process.env.GITHUB_SHA,
        runId: process.env.GITHUB_RUN_ID,
      },
      logger: actionsLogger,
      onState: (st) => (saved = st),
    });
    setOutputs(def, {
      phase: result.phase,
      weight: String(result.weight),
      step: String(result.step),
      analysis: analysisJson(result.state),
      release: serializeRelease(result.release),
    });
    await canarySummary(result).write();
    if (result.phase === 'aborted') {
      await notifyAbort(i, result, readEvent(), actionsLogger);
      // An abort the user asked for is the step doing its job; one a gate caused fails the step.
      if (!result.requested) throw new ConfigurationError(`canary aborted: ${result.message}`);
    }
  } finally {
    unregister();
    client.close();
  }
});
