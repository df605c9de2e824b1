import { actionsLogger, fail, getState, run } from '@upgrade-actions/toolkit';

/** Exports logs on failure, deletes the cluster and registry; cleanup errors warn unless fail-on-cleanup-error. */
async function post(): Promise<void> {
  const { canUploadArtifacts, ProgramRunner, State, tearDown, uploadArtifact } =
    await import('@upgrade-actions/kind');
  const result = await tearDown({
    log: actionsLogger,
    state: { save: () => {}, get: getState },
    runner: new ProgramRunner(actionsLogger),
    tempDir: process.env.RUNNER_TEMP ?? '/tmp',
    uploadArtifact: canUploadArtifacts() ? uploadArtifact : undefined,
  });
  if (!result.errors.length) return;
  if (getState(State.failOnCleanupError) === 'true') fail(new Error(result.errors.join('; ')));
  else for (const e of result.errors) actionsLogger.warning(e);
}

// dist/kind-cluster/post.js: the shared runner detects the post phase from the state main saved.
await run(async () => {}, post);
