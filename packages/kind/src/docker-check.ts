import { ConfigurationError, ExecError, execFile } from '@upgrade-actions/common';

/**
 * kind runs its nodes as Docker containers: without a Docker engine nothing can work, so this is asked
 * first, before a download. `docker info` answers only when the CLI is on PATH and the daemon replies;
 * it runs through the process's exec runner (an argument vector, never a shell).
 */
export async function checkDockerEngine(docker = 'docker'): Promise<string> {
  let version: string;
  try {
    const r = await execFile(docker, ['info', '--format', '{{.ServerVersion}}'], { timeoutMs: 30_000 });
    version = r.stdout.toString('utf8').trim();
  } catch (e) {
    if (e instanceof ExecError) {
      const said = (e.result.stderr.trim() || e.result.stdout.toString('utf8').trim()).split('\n').at(-1);
      throw new ConfigurationError(
        `kind needs a Docker engine: \`${docker} info\` failed${said ? `: ${said}` : ` with code ${e.result.code}`}. ` +
          'Start the Docker daemon, or run on a runner that has one (GitHub-hosted ubuntu runners do)',
      );
    }
    // Not found: node says ENOENT, @actions/exec "Unable to locate executable file".
    throw new ConfigurationError(
      `kind needs a Docker engine: the ${docker} CLI is not on PATH. ` +
        'Run on a runner that has Docker (GitHub-hosted ubuntu runners do), or install it before this step',
    );
  }
  return version;
}
