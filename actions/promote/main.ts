import { ConfigurationError, onCancel } from '@upgrade-actions/common';
import { actionsLogger, getInputs, mask, readEvent, run, setOutputs } from '@upgrade-actions/toolkit';
import { promoteAction as def } from './inputs';

await run(async () => {
  const i = getInputs(def);
  const event = readEvent();
  const [owner, repo] = (process.env.GITHUB_REPOSITORY ?? '').split('/');
  const prNumber = Number(
    i.pullRequest || (event.pull_request as { number?: number } | undefined)?.number || 0,
  );
  // Everything the GitHub side needs is checked before the cluster is touched.
  if (i.mergePullRequest && !prNumber)
    throw new ConfigurationError(
      'merge-pull-request: no pull request to merge; run on a pull_request event or give pull-request',
    );
  if ((i.mergePullRequest || i.environment) && (!i.token || !owner || !repo))
    throw new ConfigurationError(
      `${i.mergePullRequest ? 'merge-pull-request' : 'environment'}: needs token (and GITHUB_REPOSITORY) to call the GitHub API`,
    );
  // Engines load once the inputs are valid: a step that fails on its input pays only for the toolkit.
  const { buildAnalysis, promDuration } = await import('@upgrade-actions/analysis');
  const { kubeconfigSource, parseImageOverrides } = await import('@upgrade-actions/deploy');
  const { KubeClient, loadClusterAccess, loadManifests, kubeconfigInputSecrets } =
    await import('@upgrade-actions/kube');
  // Each credential of inline kubeconfig content masked on its own, now that the kube engine is loaded
  // (the whole content was masked while inputs were parsed, before anything could print it).
  for (const secret of kubeconfigInputSecrets(i.kubeconfig)) mask(secret);
  const { apiServerAccess } = await import('@upgrade-actions/probe');
  const { promote } = await import('@upgrade-actions/promote');
  const { serializeRelease } = await import('@upgrade-actions/release');
  const { runIdentity } = await import('@upgrade-actions/rollback');
  const { github, notifyOutcome, promoteSummary, failureLine } = await import('./report');
  const workspace = process.env.GITHUB_WORKSPACE ?? process.cwd();
  const overrides = parseImageOverrides(i.images);
  const manifests = loadManifests(i.manifests, { cwd: workspace });
  const access = loadClusterAccess(kubeconfigSource(i.kubeconfig, i.context, workspace));
  const namespace = i.namespace || access.namespace;
  const gh = i.token && owner && repo ? github(i.token, owner, repo) : undefined;
  const client = new KubeClient(access);
  let deployment: Awaited<ReturnType<NonNullable<typeof gh>['deployment']>> | undefined;
  // A cancelled job still says where the promotion stands: the last state written on the Service (the
  // Lease is given back by its own cancel handler; the next run resumes from that state).
  let saved: import('@upgrade-actions/promote').PromoteState | undefined;
  const unregister = onCancel(() => {
    if (!saved) return;
    const switched = saved.stage !== 'validating';
    setOutputs(def, {
      phase: saved.phase,
      active: switched ? saved.green : saved.blue,
      previous: switched ? saved.blue : saved.green,
      release: '',
      'deployment-id': deployment ? String(deployment.id) : '',
    });
    actionsLogger.info(
      `cancelled while ${saved.stage} ${saved.green} (${switched ? saved.green : saved.blue} serves); the next run resumes there`,
    );
  });
  try {
    const result = await promote({
      client,
      namespace,
      manifests,
      overrides,
      service: i.service || undefined,
      policy: { forbidLatest: i.forbidLatest, requireDigest: i.requireDigest },
      timing: {
        validationMs: i.validation,
        watchMs: i.watch,
        scaleDownDelayMs: i.scaleDownDelay,
        intervalMs: i.analysisInterval,
      },
      failureThreshold: i.failureThreshold,
      analysis: (vars) =>
        buildAnalysis(
          {
            urls: i.analysisUrls,
            checks: i.analysisChecks,
            prometheusUrl: i.prometheusUrl,
            prometheusPresets: i.prometheusPresets,
            prometheusQueries: i.prometheusQueries,
          },
          {
            vars: { ...vars, interval: promDuration(i.analysisInterval) },
            api: apiServerAccess(access, vars.namespace),
          },
        ),
      maxDurationMs: i.maxDuration,
      action: i.action,
      lockTimeoutMs: i.lockTimeout,
      readyTimeoutMs: i.timeout,
      identity: runIdentity(),
      beforeSwitch:
        i.mergePullRequest && gh
          ? () => gh.merge(prNumber, i.mergePullRequest as 'merge' | 'squash' | 'rebase', actionsLogger)
          : undefined,
      onStart: async ({ green, release }) => {
        if (!gh || !i.environment) return;
        deployment = await gh.deployment(
          {
            ref:
              process.env.GITHUB_SHA ||
              (event.pull_request as { head?: { sha?: string } } | undefined)?.head?.sha ||
              'HEAD',
            environment: i.environment,
            release,
            description: `promote ${green}`,
            environmentUrl: i.environmentUrl || undefined,
          },
          actionsLogger,
        );
        await deployment.status('in_progress', `validating ${green}`);
      },
      onState: (st) => (saved = st),
      logger: actionsLogger,
    });
    unregister();
    setOutputs(def, {
      phase: result.phase,
      active: result.active,
      previous: result.previous,
      release: serializeRelease(result.release),
      'deployment-id': deployment ? String(deployment.id) : '',
    });
    await promoteSummary(result).write();
    const failed = result.phase === 'rolled-back' || (result.phase === 'aborted' && i.action !== 'abort');
    if (deployment && result.phase !== 'progressing')
      await deployment
        .status(
          failed ? 'failure' : 'success',
          failed ? failureLine(result) : `${result.active} serves ${result.service}`,
        )
        .catch((e) => actionsLogger.warning(`deployment ${deployment!.id} status: ${(e as Error).message}`));
    // A switch back, a failed validation, or an abort that stopped a promotion in flight.
    if (result.failure) await notifyOutcome(i, result, event, actionsLogger);
    // An outcome to act on, not a bug: one line naming the check and what it saw.
    if (failed) throw new ConfigurationError(failureLine(result));
  } catch (e) {
    if (deployment && !(e instanceof ConfigurationError && /^promote /.test(e.message)))
      await deployment.status('failure', (e as Error).message).catch(() => {});
    throw e;
  } finally {
    unregister();
    client.close();
  }
});
