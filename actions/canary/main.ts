import { ConfigurationError, onCancel } from '@upgrade-actions/common';
import { actionsLogger, getInputs, mask, readEvent, run, setOutputs } from '@upgrade-actions/toolkit';
import { canaryAction as def } from './inputs';

await run(async () => {
  const i = getInputs(def);
  const [owner, repo] = (process.env.GITHUB_REPOSITORY ?? '').split('/');
  if (i.environment && (!i.token || !owner || !repo))
    throw new ConfigurationError('environment: needs token (and GITHUB_REPOSITORY) to call the GitHub API');
  // Engines load once the inputs are valid: a step that fails on its input pays only for the toolkit.
  const { parseMatches, parseSteps, runCanary, analysisJson, trafficWeight } =
    await import('@upgrade-actions/canary');
  const { kubeconfigSource, parseImageOverrides } = await import('@upgrade-actions/deploy');
  const { KubeClient, loadClusterAccess, loadManifests, kubeconfigInputSecrets } =
    await import('@upgrade-actions/kube');
  // Each credential of inline kubeconfig content masked on its own, now that the kube engine is loaded
  // (the whole content was masked while inputs were parsed, before anything could print it).
  for (const secret of kubeconfigInputSecrets(i.kubeconfig)) mask(secret);
  const { serializeRelease } = await import('@upgrade-actions/release');
  const { runIdentity } = await import('@upgrade-actions/rollback');
  const { canarySummary, notifyAbort } = await import('./report');
  const gh = i.environment
    ? (await import('@upgrade-actions/github')).repository(i.token, owner, repo)
    : undefined;
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
      'deployment-id': saved.deploymentId !== undefined ? String(saved.deploymentId) : '',
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
      onStart: gh
        ? async (release) => {
            const d = await gh.deployment(
              {
                ref: process.env.GITHUB_SHA || 'HEAD',
                environment: i.environment,
                release,
                description: `canary of deployment/${release.workloads[0]?.name ?? ''}`,
                environmentUrl: i.environmentUrl || undefined,
              },
              actionsLogger,
            );
            await d.status('in_progress', `canary started: ${steps.join(' → ')}%`);
            return d.id;
          }
        : undefined,
    });
    const deploymentId = result.state?.deploymentId;
    if (gh && deploymentId !== undefined) {
      // Best effort: the canary's outcome stands whatever GitHub answers.
      const [state, description] =
        result.phase === 'promoted'
          ? (['success', `promoted: ${result.workload} runs the new release`] as const)
          : result.phase === 'aborted'
            ? (['failure', `aborted: ${result.message}`] as const)
            : ([
                'in_progress',
                `step ${result.step + 1} of ${steps.length}: ${result.weight}% on the canary`,
              ] as const);
      await gh
        .tracker(deploymentId, i.environmentUrl || undefined, actionsLogger)
        .status(state, description.slice(0, 140))
        .catch((e: Error) => actionsLogger.warning(`deployment ${deploymentId} status: ${e.message}`));
    }
    setOutputs(def, {
      phase: result.phase,
      weight: String(result.weight),
      step: String(result.step),
      analysis: analysisJson(result.state),
      release: serializeRelease(result.release),
      'deployment-id': deploymentId !== undefined ? String(deploymentId) : '',
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
