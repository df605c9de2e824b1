import {
  actionsLogger,
  addPath,
  getInputs,
  getState,
  run,
  saveState,
  setOutputs,
  Summary,
} from '@upgrade-actions/toolkit';
import { kindCluster } from './inputs';

const state = { save: saveState, get: getState };

run(
  async () => {
    const i = getInputs(kindCluster);
    // Engines load once the inputs are valid: a step that fails on its input pays only for the toolkit.
    const { ensureToolCacheDirs, planCluster, ProgramRunner, runnerToolCache, setUpCluster, State } =
      await import('@upgrade-actions/kind');
    const plan = planCluster(i, {
      env: process.env,
      arch: process.arch,
      workspace: process.env.GITHUB_WORKSPACE ?? process.cwd(),
    });
    // Off a GitHub runner the tool cache falls back to a temporary directory, said in the log.
    ensureToolCacheDirs(process.env, actionsLogger);
    state.save(State.keep, String(i.keep));
    state.save(State.exportLogs, i.exportLogs);
    state.save(State.failOnCleanupError, String(i.failOnCleanupError));

    const runner = new ProgramRunner(actionsLogger);
    // On cancel the runner signals this process, then runs the post step, which deletes the cluster.
    for (const sig of ['SIGTERM', 'SIGINT'] as const)
      process.once(sig, () => {
        actionsLogger.warning(`${sig} received: stopping; the post step deletes cluster ${plan.name}`);
        runner.stopAll(sig);
        process.exit(1);
      });

    const out = await setUpCluster(plan, {
      log: actionsLogger,
      state,
      cache: runnerToolCache,
      runner,
      tempDir: process.env.RUNNER_TEMP ?? '/tmp',
      onToolDir: addPath,
    });
    setOutputs(kindCluster, {
      'cluster-name': out.clusterName,
      kubeconfig: out.kubeconfig,
      context: out.context,
      'kubernetes-version': out.kubernetesVersion,
      registry: out.registry,
    });
    state.save(State.outcome, 'success');
    await new Summary()
      .heading(`kind cluster ${out.clusterName}`, 3)
      .table(
        ['context', 'Kubernetes', 'node image', 'registry'],
        [[out.context, out.kubernetesVersion, plan.image ?? '(kind default)', out.registry || '-']],
      )
      .write();
    // The post phase runs dist/kind-cluster/post.js (post.ts); passing a post here records that it exists.
  },
  async () => {},
);
