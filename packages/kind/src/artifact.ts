/**
 * Uploads files as a workflow artifact, as actions/upload-artifact does. Only meaningful on a runner
 * (it needs the runtime token the runner gives to actions); the caller checks for it first. Loaded
 * lazily: the main step never needs it.
 */
export async function uploadArtifact(name: string, files: string[], rootDir: string): Promise<void> {
  const { DefaultArtifactClient } = await import('@actions/artifact');
  await new DefaultArtifactClient().uploadArtifact(name, files, rootDir, { retentionDays: 7 });
}

export function canUploadArtifacts(env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(env.ACTIONS_RUNTIME_TOKEN && (env.ACTIONS_RESULTS_URL || env.ACTIONS_RUNTIME_URL));
}
