import { actionsLogger, getState, run } from '@upgrade-actions/toolkit';

/**
 * The safety net: main tears the cluster down itself; when it could not (cancelled, killed, a failed
 * delete), this deletes what main's saved state says was created. Cleanup errors are warnings.
 */
async function post(): Promise<void> {
  const { TORN_DOWN } = await import('@upgrade-actions/verify');
  if (getState(TORN_DOWN) === 'true') {
    actionsLogger.info('the cluster was torn down by the main step: nothing to clean up');
    return;
  }
  const { canUploadArtifacts, ProgramRunner, tearDown, uploadArtifact } =
    await import('@upgrade-actions/kind');
  const result = await tearDown({
    log: actionsLogger,
    state: { save: () => {}, get: getState },
    runner: new ProgramRunner(actionsLogger),
    tempDir: process.env.RUNNER_TEMP ?? '/tmp',
    uploadArtifact: canUploadArtifacts() ? uploadArtifact : undefined,
  });
  for (const e of result.errors) actionsLogger.warning(e);
}

// dist/verify/post.js: the shared runner detects the post phase from the state main saved.
await run(async () => {}, post);
