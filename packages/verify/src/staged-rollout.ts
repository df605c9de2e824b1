import { ConfigurationError, formatDuration, silentLogger, type Logger } from '@upgrade-actions/common';
import { deploy, DeployProgress, parseImageOverrides, type DeployResult } from '@upgrade-actions/deploy';
import {
  KubeClient,
  loadClusterAccess,
  type ClusterAccess,
  type KubeConfigSource,
  type Manifest,
} from '@upgrade-actions/kube';
import { healthProbe } from '@upgrade-actions/probe';
import type { Release } from '@upgrade-actions/release';
import { releaseTargets, rollback, runIdentity } from '@upgrade-actions/rollback';
import { planSmokeTest, runSmokePlan } from '@upgrade-actions/smoke';
import { manualRollbackCommands, withRevisionsAfter } from './stage-recovery';

export { parseStages } from './stages-file';

/** One environment of the staged rollout (SEEDS.md §5 scenario 2). */
export interface Stage {
  name: string;
  /** Kubeconfig path of the stage's cluster. */
  kubeconfig: string;
  context?: string;
  /** How long the release soaks under the health probe before the next stage (the seed: 1800 s, 3600 s, 0). */
  soakMs: number;
  /** Limit for the stage's rollouts (deploy's `timeout`); absent: the run's `deployTimeoutMs`; 0: none. */
  timeoutMs?: number;
}

/**
 * - promoted: the stage passed its gate (the next stage may start);
 * - rolled back: it failed (gate, error or interrupt) and its rollback recovered every workload;
 * - failed: it failed before it changed anything: nothing to roll back;
 * - rollback failed: it failed and the rollback did not recover it: `manualRollback` says what to run;
 * - not reached: an earlier stage failed, or the run was interrupted first.
 */
export type StagedResult = 'promoted' | 'rolled back' | 'failed' | 'rollback failed' | 'not reached';

export interface StagedOutcome {
  name: string;
  result: StagedResult;
  release?: Release;
  /** Why the stage failed, one line: `soak: …`, `rollout: …`, `smoke tests: …`, `error: …`, `interrupted by SIGTERM`. */
  message?: string;
  /** The rollback: what it did per workload, or why it failed. */
  rolledBack?: string;
  /** Set when a signal stopped this stage: its name (`SIGTERM`). */
  interrupted?: string;
  /** The commands that finish a rollback that failed, one per workload. */
  manualRollback?: string[];
  /** Time the release spent under the health probe in this stage. */
  soakMs: number;
  /** Time the stage took, deploy to verdict (its rollback included). */
  durationMs: number;
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
  /** Deploy timeout of a stage that sets none. Default 5 minutes. */
  deployTimeoutMs?: number;
  /**
   * Stops the rollout (the CLI aborts it on SIGTERM/SIGINT with the signal's name as reason): the stage
   * running is fenced off the cluster, rolled back without waiting for the restored rollout, and the
   * later stages are not reached.
   */
  signal?: AbortSignal;
  logger?: Logger;
}

const DEFAULT_TIMEOUT_MS = 300_000;

/** The interrupt, as the stage's body sees it: not an error of the stage. */
class Interrupted extends Error {
  override name = 'Interrupted';
}

/**
 * The staged rollout: each stage in order deploys the release, soaks it under the health probe (pods, the
 * given targets, and no Warning events from the release's objects), runs the smoke tests, and only then
 * lets the next stage start. A stage that fails — its gate, an engine's error (the API server failing, a
 * smoke Job refused), or an interrupt — is rolled back and the rollout stops: later stages are not touched.
 * Input errors (the stages, every stage's cluster access, the images) are thrown before the first deploy.
 */
export async function stagedRollout(opts: StagedRolloutOptions): Promise<StagedOutcome[]> {
  const logger = opts.logger ?? silentLogger;
  const overrides = parseImageOverrides(opts.images);
  opts.stages.forEach((stage, i) => {
    const t = stage.timeoutMs;
    if (t !== undefined && !(Number.isInteger(t) && t >= 0))
      throw new ConfigurationError(
        `stages[${i}] (${stage.name}).timeout: a duration such as 10m (0: no limit), got ${t}`,
      );
  });
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
  const outcomes: StagedOutcome[] = opts.stages.map((s) => ({
    name: s.name,
    result: 'not reached',
    soakMs: 0,
    durationMs: 0,
  }));
  for (const [i, stage] of opts.stages.entries()) {
    if (opts.signal?.aborted) break;
    const started = Date.now();
    const access = accesses[i];
    const timeoutMs = stage.timeoutMs ?? opts.deployTimeoutMs ?? DEFAULT_TIMEOUT_MS;
    // The stage's engines talk through this client only; an interrupt fences it off the cluster.
    const fence = new AbortController();
    const client = new KubeClient(access);
    client.signal = fence.signal;
    const progress = new DeployProgress();
    const say = fencedLogger(logger, fence.signal);
    let deployed: DeployResult | undefined;
    let soakStart: number | undefined;
    let soakEnd: number | undefined;
    const gate = async (): Promise<string | undefined> => {
      deployed = await deploy({
        client,
        access,
        manifests: opts.manifests,
        namespace: opts.namespace || access.namespace,
        overrides,
        fieldManager: 'upgrade-actions',
        serverSide: true,
        wait: true,
        timeoutMs,
        apiCheck: true,
        policy: { forbidLatest: true, requireDigest: false },
        allowFailedRevision: false,
        rollbackOnFailure: false,
        identity: runIdentity(),
        logger: say,
        progress,
      });
      const d = deployed;
      if (d.failures.length) return `rollout: ${d.failures.map((f) => f.message).join('; ')}`;
      say.info(`${stage.name}: soaking for ${formatDuration(stage.soakMs)}`);
      soakStart = Date.now();
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
        { release: d.release, client, logger: say },
      );
      soakEnd = Date.now();
      if (report.status === 'unhealthy') {
        const bad = report.checks.filter((c) => !c.passing).map((c) => `${c.name}: ${c.error ?? 'failed'}`);
        return `soak: ${bad.join('; ')}`;
      }
      if (opts.smokeFile) {
        const plan = planSmokeTest({ file: opts.smokeFile, baseUrl: opts.smokeBaseUrl, release: d.release });
        const smoke = await runSmokePlan(plan, { client, logger: say });
        if (smoke.failed > 0) return `smoke tests: ${smoke.failed} of ${smoke.total} failed`;
      }
      return undefined;
    };

    let failure: string | undefined;
    let interrupted: string | undefined;
    try {
      failure = await logger.group(`Stage ${i + 1}/${opts.stages.length}: ${stage.name}`, () =>
        untilAborted(gate(), opts.signal),
      );
    } catch (e) {
      if (e instanceof Interrupted) {
        interrupted = e.message;
        failure = `interrupted by ${interrupted}`;
      } else {
        // An engine's error ends the stage as a failed gate does: the stage it changed is rolled back.
        failure = `error: ${e instanceof Error ? e.message : String(e)}`;
        logger.debug(`${stage.name}: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      }
    } finally {
      // Whatever the gate was still doing is cut off: nothing of it may land after the rollback.
      fence.abort();
      client.close();
    }
    const soakMs = soakStart === undefined ? 0 : (soakEnd ?? Date.now()) - soakStart;
    if (!failure) {
      outcomes[i] = {
        name: stage.name,
        result: 'promoted',
        release: deployed?.release,
        soakMs,
        durationMs: Date.now() - started,
      };
      logger.info(`✓ ${stage.name} passed its gate`);
      continue;
    }
    logger.error(
      interrupted
        ? `${stage.name}: interrupted by ${interrupted} (stage ${i + 1}/${opts.stages.length}); rolling it back`
        : `${stage.name}: ${failure}`,
    );
    const recovery = await recover(stage, access, progress, failure, interrupted, timeoutMs, logger);
    outcomes[i] = {
      name: stage.name,
      ...recovery,
      message: failure,
      ...(interrupted ? { interrupted } : {}),
      soakMs,
      durationMs: Date.now() - started,
    };
    const later = opts.stages.slice(i + 1).map((s) => s.name);
    if (later.length) logger.info(`Stopped: ${later.join(', ')} not reached`);
    return outcomes;
  }
  return outcomes;
}

/**
 * The gate's engines log through this: once the stage is fenced off, what they still say (requests
 * failing because they were cut off) is not news about the stage and goes to the debug log only.
 */
function fencedLogger(logger: Logger, fence: AbortSignal): Logger {
  const unless =
    (say: (m: string) => void) =>
    (m: string): void =>
      fence.aborted ? logger.debug(`after the stage was stopped: ${m}`) : say(m);
  return {
    debug: (m) => logger.debug(m),
    info: unless((m) => logger.info(m)),
    warning: unless((m) => logger.warning(m)),
    error: unless((m) => logger.error(m)),
    group: (name, fn) => (fence.aborted ? fn() : logger.group(name, fn)),
  };
}

/** The stage's gate, or its interrupt: whichever comes first. */
function untilAborted<T>(work: Promise<T>, signal?: AbortSignal): Promise<T> {
  if (!signal) return work;
  return new Promise<T>((resolve, reject) => {
    const stop = () => reject(new Interrupted(String(signal.reason ?? 'an abort')));
    if (signal.aborted) stop();
    signal.addEventListener('abort', stop, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', stop));
  });
}

/**
 * Rolls back what the failed stage changed (best effort, said in the log): through a fresh client (the
 * stage's is fenced), under rollback's Lease per workload. An interrupted stage is not waited for (the
 * runner's grace period is seconds): the undo is written and marked, the restored rollout goes on.
 */
async function recover(
  stage: Stage,
  access: ClusterAccess,
  progress: DeployProgress,
  failure: string,
  interrupted: string | undefined,
  timeoutMs: number,
  logger: Logger,
): Promise<Pick<StagedOutcome, 'result' | 'release' | 'rolledBack' | 'manualRollback'>> {
  const written = progress.result()?.release;
  if (!written) {
    logger.info(`${stage.name}: nothing was applied; nothing to roll back`);
    return { result: 'failed', rolledBack: 'nothing was applied' };
  }
  const reason = `${stage.name} ${interrupted ? `was interrupted by ${interrupted}` : `failed its gate: ${failure}`}`;
  // The access loaded before the first stage: the same cluster, whatever happened to the file since.
  const client = new KubeClient(access);
  client.onRetry = (m) => logger.info(m);
  let release = written;
  try {
    return await logger.group(`Rollback: ${stage.name}`, async () => {
      release = await withRevisionsAfter(client, written);
      const r = await rollback({
        client,
        targets: releaseTargets(release),
        reason,
        identity: runIdentity(),
        wait: !interrupted,
        timeoutMs,
        logger,
      });
      const rolledBack = r.outcomes.map((o) => `${o.displayName}: ${o.message}`).join('; ');
      if (r.outcomes.some((o) => o.action === 'failed')) {
        // The undo is written and marked; the restored version does not come up: undoing again would not
        // help, looking at why it does not would.
        logger.error(
          `${stage.name}: rolled back, but the restored rollout did not become ready: ${rolledBack}; ` +
            `look at it with kubectl rollout status and kubectl describe`,
        );
        return { result: 'rollback failed' as const, release, rolledBack, manualRollback: [] };
      }
      return { result: 'rolled back' as const, release, rolledBack };
    });
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    const manualRollback = manualRollbackCommands(
      release,
      { kubeconfig: stage.kubeconfig, context: stage.context ?? access.contextName },
      reason,
    );
    logger.error(
      `${stage.name}: the rollback failed: ${message}. ${stage.name} may still run the new release; ` +
        (manualRollback.length
          ? `finish it by hand:\n  ${manualRollback.join('\n  ')}`
          : 'the release created every workload it changed: remove them by hand if they must go'),
    );
    return { result: 'rollback failed', release, rolledBack: `failed: ${message}`, manualRollback };
  } finally {
    client.close();
  }
}
