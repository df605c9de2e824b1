import { ConfigurationError, parseDuration, silentLogger, type Logger } from '@upgrade-actions/common';
import { deploy, parseImageOverrides } from '@upgrade-actions/deploy';
import { KubeClient, loadClusterAccess, type KubeConfigSource, type Manifest } from '@upgrade-actions/kube';
import { healthProbe } from '@upgrade-actions/probe';
import type { Release } from '@upgrade-actions/release';
import { releaseTargets, rollback, runIdentity } from '@upgrade-actions/rollback';
import { planSmokeTest, runSmokePlan } from '@upgrade-actions/smoke';
import { parse as parseYaml } from 'yaml';

/** One environment of the staged rollout (SEEDS.md §5 scenario 2). */
export interface Stage {
  name: string;
  /** Kubeconfig path of the stage's cluster. */
  kubeconfig: string;
  context?: string;
  /** How long the release soaks under the health probe before the next stage (the seed: 1800 s, 3600 s, 0). */
  soakMs: number;
}

export interface StagedOutcome {
  name: string;
  result: 'passed' | 'failed' | 'not reached';
  release?: Release;
  /** Why the gate failed, one line. */
  message?: string;
  /** The failed stage was rolled back: from → to revision per workload. */
  rolledBack?: string;
}

export interface StagedRolloutOptions {
  stages: Stage[];
  manifests: Manifest[];
  namespace: string;
  images: string;
  /** Health targets checked during every soak (URLs or svc[.ns]:port/path). */
  healthUrls: string[];
  /** Round interval during a soak. */
  intervalMs: number;
  failureThreshold: number;
  /** A smoke file run after each soak; empty: none. */
  smokeFile?: string;
  smokeBaseUrl?: string;
  logger?: Logger;
}

/** The stages file: `stages: [{name, kubeconfig, context?, soak}]`, soak a duration (`30m`, `1800s`). */
export function parseStages(text: string, what = 'stages'): Stage[] {
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (e) {
    throw new ConfigurationError(`${what}: not valid YAML: ${(e as Error).message.split('\n')[0]}`);
  }
  const list = (doc as { stages?: unknown })?.stages;
  if (!Array.isArray(list) || list.length === 0)
    throw new ConfigurationError(`${what}: give "stages:", a list of {name, kubeconfig, soak}`);
  const names = new Set<string>();
  return list.map((raw, i) => {
    const s = raw as Record<string, unknown>;
    const where = `${what}[${i}]`;
    if (typeof s?.name !== 'string' || !/^[a-z0-9][a-z0-9-]*$/.test(s.name))
      throw new ConfigurationError(
        `${where}.name: a stage name (lowercase letters, digits, -), e.g. development`,
      );
    if (names.has(s.name)) throw new ConfigurationError(`${where}.name: "${s.name}" is listed twice`);
    names.add(s.name);
    if (typeof s.kubeconfig !== 'string' || !s.kubeconfig)
      throw new ConfigurationError(`${where}.kubeconfig: the path of the stage's kubeconfig`);
    return {
      name: s.name,
      kubeconfig: s.kubeconfig,
      ...(typeof s.context === 'string' ? { context: s.context } : {}),
      soakMs: parseDuration(String(s.soak ?? '0s'), `${where}.soak`),
    };
  });
}

/**
 * The staged rollout: each stage in order deploys the release, soaks it under the health probe (pods, the
 * given targets, and no Warning events from the release's objects), runs the smoke tests, and only then
 * lets the next stage start. A failed gate rolls that stage back and stops: later stages are not touched.
 */
export async function stagedRollout(opts: StagedRolloutOptions): Promise<StagedOutcome[]> {
  const logger = opts.logger ?? silentLogger;
  const overrides = parseImageOverrides(opts.images);
  // Every stage's cluster access is resolved before the first deploy: a production kubeconfig that is
  // missing or names no such context must not be found only after development was already changed.
  const accesses = opts.stages.map((stage, i) => {
    const source: KubeConfigSource = { path: stage.kubeconfig, context: stage.context };
    try {
      return loadClusterAccess(source);
    } catch (e) {
      if (!(e instanceof ConfigurationError)) throw e;
      throw new ConfigurationError(`stages[${i}] (${stage.name}): ${e.message}`);
    }
  });
  const outcomes: StagedOutcome[] = opts.stages.map((s) => ({ name: s.name, result: 'not reached' }));
  for (const [i, stage] of opts.stages.entries()) {
    const access = accesses[i];
    const client = new KubeClient(access);
    let release: Release | undefined;
    try {
      const failure = await logger.group(`Stage ${i + 1}/${opts.stages.length}: ${stage.name}`, async () => {
        const d = await deploy({
          client,
          access,
          manifests: opts.manifests,
          namespace: opts.namespace || access.namespace,
          overrides,
          fieldManager: 'upgrade-actions',
          serverSide: true,
          wait: true,
          timeoutMs: 300_000,
          apiCheck: true,
          policy: { forbidLatest: true, requireDigest: false },
          allowFailedRevision: false,
          rollbackOnFailure: false,
          identity: runIdentity(),
          logger,
        });
        release = d.release;
        if (d.failures.length) return `rollout: ${d.failures.map((f) => f.message).join('; ')}`;
        logger.info(`${stage.name}: soaking for ${Math.round(stage.soakMs / 1000)} s`);
        const { report } = await healthProbe(
          {
            urls: opts.healthUrls,
            expectedStatus: '200',
            timeout: '5s',
            mode: stage.soakMs > 0 ? 'watch' : 'once',
            duration: `${Math.max(stage.soakMs, 1000)}ms`,
            interval: `${opts.intervalMs}ms`,
            failureThreshold: opts.failureThreshold,
            failOnWarningEvents: true,
          },
          { release: d.release, client, logger },
        );
        if (report.status === 'unhealthy') {
          const bad = report.checks.filter((c) => !c.passing).map((c) => `${c.name}: ${c.error ?? 'failed'}`);
          return `soak: ${bad.join('; ')}`;
        }
        if (opts.smokeFile) {
          const plan = planSmokeTest({
            file: opts.smokeFile,
            baseUrl: opts.smokeBaseUrl,
            release: d.release,
          });
          const smoke = await runSmokePlan(plan, { client, logger });
          if (smoke.failed > 0) return `smoke tests: ${smoke.failed} of ${smoke.total} failed`;
        }
        return undefined;
      });
      if (!failure) {
        outcomes[i] = { name: stage.name, result: 'passed', release };
        logger.info(`✓ ${stage.name} passed its gate`);
        continue;
      }
      logger.error(`${stage.name}: ${failure}`);
      let rolledBack: string | undefined;
      if (release) {
        const r = await logger.group(`Rollback: ${stage.name}`, () =>
          rollback({
            client,
            targets: releaseTargets(release!),
            reason: `${stage.name} failed its gate: ${failure}`,
            identity: runIdentity(),
            logger,
          }),
        );
        rolledBack = r.outcomes.map((o) => `${o.displayName}: ${o.message}`).join('; ');
      }
      outcomes[i] = { name: stage.name, result: 'failed', release, message: failure, rolledBack };
      const later = opts.stages.slice(i + 1).map((s) => s.name);
      if (later.length) logger.info(`Stopped: ${later.join(', ')} not reached`);
      return outcomes;
    } finally {
      client.close();
    }
  }
  return outcomes;
}
