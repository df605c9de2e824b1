import path from 'node:path';
import { ConfigurationError, silentLogger, type Logger } from '@upgrade-actions/common';
import { deploy, kubeconfigSource, parseImageOverrides } from '@upgrade-actions/deploy';
import {
  apiCheck,
  countFindings,
  notServed,
  fails,
  formatMinor,
  clusterApiOf,
  parseMinor,
  serverVersion,
  type FailOn,
  type Finding,
} from '@upgrade-actions/deprecations';
import {
  planCluster,
  setUpCluster,
  State,
  tearDown,
  type ProgramRunner,
  type StateStore,
  type ToolCache,
} from '@upgrade-actions/kind';
import {
  KubeClient,
  loadClusterAccess,
  loadManifests,
  type ApplyResult,
  type ClusterAccess,
  type KubeConfigSource,
} from '@upgrade-actions/kube';
import {
  healthProbe,
  parseStatusSet,
  parseTarget,
  type HealthProbeInputs,
  type ProbeReport,
} from '@upgrade-actions/probe';
import type { Release } from '@upgrade-actions/release';
import { planSmokeTest, runSmokePlan, type SmokeReport, type SmokeTestRequest } from '@upgrade-actions/smoke';
import { deleteObjects, objectName, planCleanup } from './cleanup';
import { clusterInputs, type VerifyClusterInputs } from './cluster-inputs';
import { StageFailure, StageRunner, verdictOf, type StageName, type StageResult } from './stages';

/** Saved for the post step: `true` once main tore the cluster down itself (post then has nothing to do). */
export const TORN_DOWN = 'torn-down';

export interface VerifyInputs extends VerifyClusterInputs {
  manifests: string[];
  namespace: string;
  images: string;
  /** Path or content: use this cluster, create none. */
  kubeconfig: string;
  context: string;
  failOn: FailOn;
  /** For all rollouts together, ms. */
  timeout: number;
  forbidLatest: boolean;
  healthUrls: string[];
  healthChecks: string;
  expectedStatus: string;
  smokeFile: string;
  /** The smoke file's base URL: a URL, or a Service (`web.shop:80`) reached through the API server. */
  smokeBaseUrl: string;
  /** `NAME=VALUE` lines for `${NAME}` in the smoke file. */
  smokeVariables: string[];
  /** With a given kubeconfig: delete the objects this run created when it ends. */
  cleanup: boolean;
}

export interface VerifyDeps {
  log?: Logger;
  /** Where the post step's state goes; get() must read back what save() stored. */
  state: StateStore;
  cache: ToolCache;
  runner: ProgramRunner;
  tempDir: string;
  workspace: string;
  env: NodeJS.ProcessEnv;
  arch: string;
  identity: string;
  source?: Release['source'];
  onToolDir?: (dir: string) => void;
  uploadArtifact?: (name: string, files: string[], rootDir: string) => Promise<void>;
  now?: () => number;
}

export interface VerifyResult {
  verdict: 'passed' | 'failed';
  failedStage: StageName | '';
  stages: StageResult[];
  release?: Release;
  findings: Finding[];
  clusterName: string;
  kubernetesVersion: string;
  health?: ProbeReport;
  smoke?: SmokeReport;
}

/** Everything the user gave, read and checked before anything is created. */
function prepare(i: VerifyInputs, d: VerifyDeps) {
  const overrides = parseImageOverrides(i.images);
  const manifests = loadManifests(i.manifests, { cwd: d.workspace });
  const given = i.kubeconfig.trim() ? kubeconfigSource(i.kubeconfig, i.context, d.workspace) : undefined;
  const givenAccess = given ? loadClusterAccess(given) : undefined;
  const plan = given
    ? undefined
    : planCluster(clusterInputs(i), { env: d.env, arch: d.arch, workspace: d.workspace });
  // The health targets under this action's input names (the probe engine would say `urls`).
  for (const u of i.healthUrls) if (u.trim()) parseTarget(u, 'health-urls');
  parseStatusSet(i.expectedStatus, 'expected-status');
  const smoke: SmokeTestRequest | undefined = i.smokeFile.trim()
    ? {
        file: path.resolve(d.workspace, i.smokeFile.trim()),
        fileName: i.smokeFile.trim(),
        baseUrl: i.smokeBaseUrl,
        variables: i.smokeVariables,
        names: { file: 'smoke-file', baseUrl: 'smoke-base-url', variables: 'smoke-variables' },
      }
    : undefined;
  if (smoke) checkSmokeFile(smoke);
  else if (i.smokeBaseUrl.trim() || i.smokeVariables.some((v) => v.trim()))
    throw new ConfigurationError(
      `${i.smokeBaseUrl.trim() ? 'smoke-base-url' : 'smoke-variables'}: used by the smoke tests; give smoke-file too`,
    );
  return { overrides, manifests, given, givenAccess, plan, smoke };
}

/**
 * The smoke file is read and validated before anything is created, as the smoke-test action does. Its
 * `${release.…}` variables only exist once deploy has run: those (and only those) wait for the stage.
 */
function checkSmokeFile(req: SmokeTestRequest): void {
  try {
    planSmokeTest(req);
  } catch (e) {
    if (!(e instanceof ConfigurationError)) throw e;
    const lines = e.message.split('\n');
    if (!lines.every((l) => /variable \$\{release\.[^}]*\} is not defined/.test(l))) throw e;
  }
}

/**
 * The teardown of a cluster the user gave: nothing was created but the objects deploy applied. With
 * cleanup, those this run created are deleted and those that existed before are named as left
 * (changed by the apply); without, every applied object is named as left. Never silent about either.
 */
async function givenClusterTeardown(
  cleanup: boolean,
  applied: ApplyResult[] | undefined,
  deployRan: boolean,
  client: KubeClient | undefined,
  log: Logger,
) {
  if (applied === undefined) {
    // Deploy never ran, or stopped before answering: say which rather than claim nothing is there.
    return {
      skipped: true,
      detail: deployRan
        ? 'kubeconfig given: deploy stopped before it said what it applied; nothing was deleted'
        : 'kubeconfig given: nothing was applied',
    };
  }
  if (applied.length === 0) return { skipped: true, detail: 'kubeconfig given: nothing was applied' };
  const names = (rs: ApplyResult[]) => rs.map(objectName).join(', ');
  if (!cleanup)
    return {
      skipped: true,
      detail: `cleanup: false: left ${applied.length} applied object(s): ${names(applied)}`,
    };
  const { remove, leave } = planCleanup(applied);
  const kept = leave.length
    ? `; left ${leave.length} that existed before (changed by the apply): ${names(leave)}`
    : '';
  if (remove.length === 0) return { detail: `nothing was created${kept}` };
  const r = await log.group('Cleanup', () => deleteObjects(client!, remove, log));
  if (r.errors.length)
    throw new StageFailure(
      `could not delete ${r.errors.join('; ')}${r.deleted.length ? `; deleted ${r.deleted.join(', ')}` : ''}${kept}`,
    );
  return { detail: `deleted ${r.deleted.length} object(s) this run created: ${r.deleted.join(', ')}${kept}` };
}

/**
 * Verifies an upgrade in one go: creates a kind cluster (unless a kubeconfig is given), checks the
 * manifests' APIs against the cluster's version, deploys them and waits for the rollouts, runs the
 * health probe and smoke tests when configured, and tears the cluster down. A failed stage skips the
 * ones after it except teardown. Bad input throws ConfigurationError before anything is created.
 */
export async function verifyUpgrade(i: VerifyInputs, d: VerifyDeps): Promise<VerifyResult> {
  const log = d.log ?? silentLogger;
  const p = prepare(i, d);
  const stages = new StageRunner(d.now, (stage, e) => {
    // A user-fixable failure is its one line in the table; anything else is a bug: keep its stack.
    if (!(e instanceof ConfigurationError || e instanceof StageFailure) && e instanceof Error && e.stack)
      log.debug(`${stage}: ${e.stack}`);
  });
  const result: VerifyResult = {
    verdict: 'passed',
    failedStage: '',
    stages: stages.results,
    findings: [],
    clusterName: p.plan?.name ?? '',
    kubernetesVersion: '',
  };
  if (p.plan) {
    // Before the long operations: a cancelled main still leaves post what it needs to delete.
    d.state.save(State.keep, String(i.keep));
    d.state.save(State.exportLogs, i.exportLogs);
  }

  let source: KubeConfigSource | undefined = p.given;
  let access: ClusterAccess | undefined = p.givenAccess;
  await stages.stage('cluster', async () => {
    if (!p.plan) return { skipped: true, detail: 'kubeconfig given: using that cluster' };
    const out = await setUpCluster(p.plan, {
      log,
      state: d.state,
      cache: d.cache,
      runner: d.runner,
      tempDir: d.tempDir,
      onToolDir: d.onToolDir,
    });
    source = { path: out.kubeconfig, context: out.context };
    access = loadClusterAccess(source);
    result.kubernetesVersion = out.kubernetesVersion;
    return { detail: `kind cluster ${out.clusterName}, context ${out.context}` };
  });

  const client = access ? new KubeClient(access) : undefined;
  // What deploy applied to a given cluster: the teardown deletes what it created (cleanup: true).
  let applied: ApplyResult[] | undefined;
  try {
    await stages.stage('api-check', () =>
      log.group('API check', async () => {
        const cluster = clusterApiOf(client!);
        const version = await serverVersion(cluster);
        result.kubernetesVersion = version;
        const minor = parseMinor(version);
        if (!minor)
          throw new StageFailure(`the cluster reports an unreadable version ${JSON.stringify(version)}`);
        // The target is the cluster's version; live objects are not judged (they are not this upgrade's).
        const r = await apiCheck({
          paths: i.manifests,
          cwd: d.workspace,
          targetVersion: formatMinor(minor),
          logger: log,
          names: { paths: 'manifests' },
        });
        result.findings = r.findings;
        const counts = countFindings(r.findings);
        const what = `${counts.removed} removed, ${counts.notYetAvailable} not yet available, ${counts.deprecated} deprecated at Kubernetes ${formatMinor(minor)}`;
        if (fails(r.findings, i.failOn)) {
          const bad = r.findings
            .filter((f) => notServed(f) || i.failOn === 'deprecated')
            .map((f) => `${f.kind}${f.name ? ` ${f.name}` : ''} (${f.apiVersion})`);
          throw new StageFailure(`${what} (fail-on: ${i.failOn}): ${bad.join(', ')}`);
        }
        return { detail: `${r.objects} objects: ${what}` };
      }),
    );

    const deployed = await stages.stage('deploy', async () => {
      const r = await deploy({
        client: client!,
        access: access!,
        manifests: p.manifests,
        namespace: i.namespace || access!.namespace,
        overrides: p.overrides,
        fieldManager: 'upgrade-actions',
        serverSide: true,
        wait: true,
        timeoutMs: i.timeout,
        // The api-check stage has judged the manifests already.
        apiCheck: false,
        policy: { forbidLatest: i.forbidLatest, requireDigest: false },
        allowFailedRevision: false,
        // An ephemeral verification reports a failed rollout; it does not repair it.
        rollbackOnFailure: false,
        identity: d.identity,
        source: d.source,
        logger: log,
      });
      result.release = r.release;
      applied = r.applied;
      for (const w of r.warnings) log.warning(w);
      if (r.failures.length)
        throw new StageFailure(r.failures.map((f) => `${f.workload}: ${f.message}`).join('; '));
      return {
        detail: `${r.applied.length} objects applied, ${r.release.workloads.length} workload(s) rolled out`,
        release: r.release,
      };
    });

    await stages.stage('health', async () => {
      if (!i.healthUrls.some((u) => u.trim()) && !i.healthChecks.trim())
        return { skipped: true, detail: 'not configured (health-urls, health-checks)' };
      const inputs: HealthProbeInputs = {
        mode: 'once',
        duration: '0s',
        interval: '0s',
        failureThreshold: 1,
        urls: i.healthUrls,
        checks: i.healthChecks || undefined,
        expectedStatus: i.expectedStatus,
        timeout: '5s',
      };
      const { report } = await log.group('Health probe', () =>
        healthProbe(inputs, { release: deployed?.release, client, logger: log }),
      );
      result.health = report;
      const bad = report.checks.filter((c) => c.status !== 'healthy').map((c) => c.name);
      if (report.status !== 'healthy')
        throw new StageFailure(`unhealthy: ${bad.join(', ') || report.error || 'see the health report'}`);
      return { detail: `${report.checks.length} check(s) healthy` };
    });

    await stages.stage('smoke', async () => {
      if (!p.smoke) return { skipped: true, detail: 'not configured (smoke-file)' };
      const plan = planSmokeTest({ ...p.smoke, release: result.release });
      const report = await log.group('Smoke tests', () => runSmokePlan(plan, { client, logger: log }));
      result.smoke = report;
      if (report.failed > 0) {
        const names = report.steps.filter((s) => s.status === 'failed').map((s) => s.name);
        throw new StageFailure(`${report.failed} of ${report.total} failed: ${names.join(', ')}`);
      }
      return { detail: `${report.passed} of ${report.total} passed` };
    });

    await stages.stage(
      'teardown',
      async () => {
        if (!p.plan)
          return givenClusterTeardown(
            i.cleanup,
            applied,
            stages.results.some((r) => r.stage === 'deploy' && r.result !== 'skipped'),
            client,
            log,
          );
        if (i.keep) return { skipped: true, detail: `keep: true: cluster ${p.plan.name} is kept` };
        // Logs are exported (export-logs: on-failure) when the verification failed.
        d.state.save(State.outcome, stages.failed ? 'failure' : 'success');
        const r = await tearDown({
          log,
          state: d.state,
          runner: d.runner,
          tempDir: d.tempDir,
          uploadArtifact: d.uploadArtifact,
        });
        if (r.errors.length) throw new StageFailure(r.errors.join('; '));
        d.state.save(TORN_DOWN, 'true');
        return { detail: r.deleted ? `cluster ${p.plan.name} deleted` : 'nothing to delete' };
      },
      { always: true },
    );
  } finally {
    client?.close();
  }

  const v = verdictOf(stages.results);
  result.verdict = v.verdict;
  result.failedStage = v.failedStage;
  return result;
}
