import { ConfigurationError } from '@upgrade-actions/common';
import {
  actionsLogger,
  addPath,
  annotate,
  getInputs,
  mask,
  run,
  saveState,
  setOutputs,
  Summary,
} from '@upgrade-actions/toolkit';
import { verifyAction as def } from './inputs';

await run(
  async () => {
    const i = getInputs(def);
    // Engines load once the inputs are valid: a step that fails on its input pays only for the toolkit.
    const { findingMessage, TABLE_HEADER, tableRows } = await import('@upgrade-actions/deprecations');
    const {
      canUploadArtifacts,
      ensureToolCacheDirs,
      memoryState,
      ProgramRunner,
      runnerToolCache,
      State,
      uploadArtifact,
    } = await import('@upgrade-actions/kind');
    // A cluster to create needs the tool cache: off a GitHub runner it falls back to a temporary directory.
    if (!i.kubeconfig) ensureToolCacheDirs(process.env, actionsLogger);
    const { kubeconfigInputSecrets } = await import('@upgrade-actions/kube');
    // Each credential of inline kubeconfig content masked on its own, now that the kube engine is loaded
    // (the whole content was masked while inputs were parsed, before anything could print it).
    for (const secret of kubeconfigInputSecrets(i.kubeconfig)) mask(secret);
    const { serializeRelease } = await import('@upgrade-actions/release');
    const { runIdentity } = await import('@upgrade-actions/rollback');
    const { STAGE_TABLE_HEADER, stageRows, verifyUpgrade } = await import('@upgrade-actions/verify');
    // Main reads back what it saved (its own teardown); the runner's state file carries it to post.
    const memory = memoryState();
    const state = { save: (k: string, v: string) => (memory.save(k, v), saveState(k, v)), get: memory.get };
    const runner = new ProgramRunner(actionsLogger);
    // On cancel the runner signals this process, then runs the post step, which deletes the cluster.
    for (const sig of ['SIGTERM', 'SIGINT'] as const)
      process.once(sig, () => {
        const cluster = memory.get(State.cluster);
        actionsLogger.warning(
          `${sig} received: stopping${cluster ? `; the post step deletes cluster ${cluster}` : ''}`,
        );
        runner.stopAll(sig);
        process.exit(1);
      });

    const r = await verifyUpgrade(i, {
      log: actionsLogger,
      state,
      cache: runnerToolCache,
      runner,
      tempDir: process.env.RUNNER_TEMP ?? '/tmp',
      workspace: process.env.GITHUB_WORKSPACE ?? process.cwd(),
      env: process.env,
      arch: process.arch,
      identity: runIdentity(),
      source: {
        repository: process.env.GITHUB_REPOSITORY,
        sha: process.env.GITHUB_SHA,
        runId: process.env.GITHUB_RUN_ID,
      },
      onToolDir: addPath,
      uploadArtifact: canUploadArtifacts() ? uploadArtifact : undefined,
    });

    for (const f of r.findings)
      annotate({
        level: f.removed ? 'error' : 'warning',
        title: `${f.removed ? 'Removed' : 'Deprecated'} API ${f.apiVersion} ${f.kind}`,
        message: findingMessage(f),
        file: f.line === null ? undefined : f.file,
        line: f.line ?? undefined,
      });
    setOutputs(def, {
      verdict: r.verdict,
      'failed-stage': r.failedStage,
      release: r.release ? serializeRelease(r.release) : '',
      stages: r.stages,
      'cluster-name': r.clusterName,
      'kubernetes-version': r.kubernetesVersion,
    });
    const summary = new Summary()
      .heading(
        `Upgrade verification: ${r.verdict === 'passed' ? '✅ passed' : `❌ failed at ${r.failedStage}`}`,
      )
      .paragraph(
        r.clusterName
          ? `kind cluster ${r.clusterName}, Kubernetes ${r.kubernetesVersion || 'unknown'}`
          : `Given cluster, Kubernetes ${r.kubernetesVersion || 'unknown'}`,
      )
      .table(STAGE_TABLE_HEADER, stageRows(r.stages));
    if (r.findings.length) summary.heading('API findings', 3).table(TABLE_HEADER, tableRows(r.findings));
    await summary.write();

    const failed = r.stages.find((s) => s.stage === r.failedStage);
    if (failed) throw new ConfigurationError(`verification failed at ${failed.stage}: ${failed.detail}`);
  },
  // The post phase runs dist/verify/post.js (post.ts); passing a post here records that it exists.
  async () => {},
);
