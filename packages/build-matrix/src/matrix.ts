import { ConfigurationError } from '@upgrade-actions/common';
import { platformSlug } from './platforms';

/** Native runners: GitHub's arm64 Linux runners build arm64 without QEMU. */
export const DEFAULT_RUNNERS: Record<string, string> = {
  'linux/amd64': 'ubuntu-latest',
  'linux/arm64': 'ubuntu-24.04-arm',
};

export function parseRunners(
  lines: string[],
  platforms: string[],
  input = 'runners',
): Record<string, string> {
  const runners: Record<string, string> = { ...DEFAULT_RUNNERS };
  for (const line of lines.map((l) => l.trim()).filter(Boolean)) {
    const eq = line.indexOf('=');
    const platform = line.slice(0, eq).trim();
    const runner = line.slice(eq + 1).trim();
    if (eq <= 0 || !runner)
      throw new ConfigurationError(
        `${input}: "${line}" is not platform=runner (e.g. linux/arm64=ubuntu-24.04-arm)`,
      );
    if (!platforms.includes(platform)) {
      throw new ConfigurationError(
        `${input}: ${platform} is not among the platforms (${platforms.join(', ')})`,
      );
    }
    if (!/^[\w.-]+$/.test(runner))
      throw new ConfigurationError(`${input}: runner label "${runner}" has characters a label cannot have`);
    runners[platform] = runner;
  }
  return runners;
}

export interface MatrixEntry {
  platform: string;
  runner: string;
  slug: string;
  'cache-scope': string;
}

/** The `strategy.matrix` a build job fans out over: one entry per platform. */
export function buildMatrix(
  platforms: string[],
  runners: Record<string, string>,
  scopePrefix: string,
): { include: MatrixEntry[] } {
  return {
    include: platforms.map((platform) => ({
      platform,
      // Platforms without a native runner build under QEMU on an amd64 runner.
      runner: runners[platform] ?? 'ubuntu-latest',
      slug: platformSlug(platform),
      'cache-scope': `${scopePrefix}-${platformSlug(platform)}`,
    })),
  };
}
