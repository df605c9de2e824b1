import { randomBytes } from 'node:crypto';
import os from 'node:os';

/**
 * Who holds a Lease: the workflow run and job when on GitHub (readable in `kubectl get lease`), the
 * host and process otherwise, with a random suffix so two runs never take each other for the same holder.
 */
export function runIdentity(env: NodeJS.ProcessEnv = process.env): string {
  const suffix = randomBytes(3).toString('hex');
  if (env.GITHUB_RUN_ID) {
    const repo = env.GITHUB_REPOSITORY ? `${env.GITHUB_REPOSITORY}/` : '';
    return `${repo}run-${env.GITHUB_RUN_ID}-${env.GITHUB_RUN_ATTEMPT ?? '1'}-${env.GITHUB_JOB ?? 'job'}-${suffix}`;
  }
  return `${os.hostname()}-${process.pid}-${suffix}`;
}
