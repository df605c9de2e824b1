import { checkKubeName, ConfigurationError, silentLogger, type Logger } from '@upgrade-actions/common';
import type { ImagePolicy } from '@upgrade-actions/images';
import {
  applyManifests,
  Discovery,
  followRolloutStatus,
  isNotFound,
  KubeApiError,
  resourcePath,
  systemClock,
  waitObserved,
  type ApplyResult,
  type ClusterAccess,
  type Clock,
  type KubeClient,
  type KubeObject,
  type Manifest,
  type ResolvedWorkload,
} from '@upgrade-actions/kube';
import type { Release, ReleaseWorkload } from '@upgrade-actions/release';
import {
  currentRevision,
  readMark,
  releaseTargets,
  rollback,
  templateFingerprint,
  type RollbackResult,
} from '@upgrade-actions/rollback';
import { apiPreflight } from './api-preflight';
import { clientSideApply, type KubectlAccess } from './client-side';
import { enforceImagePolicy, type ImageOverrides } from './images';
import { podProblems } from './pod-problems';
import { prepareManifests } from './prepare';

export interface DeployOptions {
  client: KubeClient;
  access: ClusterAccess;
  manifests: Manifest[];
  /** For objects that name none. */
  namespace: string;
  overrides: ImageOverrides;
  changeCause?: string;
  fieldManager: string;
  /** false: kubectl's client-side apply (last-applied-configuration), run through kubectl. */
  serverSide: boolean;
  /** How kubectl reaches the cluster, for client-side apply. */
  kubectl?: KubectlAccess;
  wait: boolean;
  /** For all rollouts together; 0: no limit. */
  timeoutMs: number;
  apiCheck: boolean;
  policy: ImagePolicy;
  /** Roll forward to a template a rollback marked failed. */
  allowFailedRevision: boolean;
  rollbackOnFailure: boolean;
  /** Lease holder for an automatic rollback. */
  identity: string;
  lockTimeoutMs?: number;
  source?: Release['source'];
  logger?: Logger;
  clock?: Clock;
  /** Filled as the deploy goes: what it did so far, for a caller that is stopped before the result. */
  progress?: DeployProgress;
}

export interface RolloutFailure {
  workload: string;
  message: string;
}

export interface DeployResult {
  release: Release;
  applied: ApplyResult[];
  failures: RolloutFailure[];
  /** The automatic rollback, when a rollout failed and rollback-on-failure is on. */
  rollback?: RollbackResult;
  warnings: string[];
  unusedOverrides: string[];
}

const key = (kind: string, ns: string, name: string) => `${kind}/${ns}/${name}`;

/**
 * What a deploy has done so far. Once its first write has begun, a deploy that stops (an API error
 * after the apply, a cancelled job) must still say what it applied: the `release` output is what a later
 * rollback step undoes. The engine fills this as it goes; `result()` describes it, or is undefined while
 * nothing has been written.
 */
export class DeployProgress {
  applied: ApplyResult[] = [];
  failures: RolloutFailure[] = [];
  rollback?: RollbackResult;
  warnings: string[] = [];
  unusedOverrides: string[] = [];
  /** Set just before the first write: the release descriptor of what is known at the time of the call. */
  describe?: () => Release;
  /** Set with `describe`: reads the revisions a stopped deploy had not read yet (best effort). */
  readRevisions?: () => Promise<void>;

  /**
   * For a deploy that stopped: reads what it can within `timeoutMs` (a revision the rollout had made
   * but not yet recorded, so that a later rollback knows what to undo), then describes it.
   */
  async settle(timeoutMs: number): Promise<DeployResult | undefined> {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      this.readRevisions?.().catch(() => {}),
      new Promise<void>((r) => (timer = setTimeout(r, timeoutMs))),
    ]);
    clearTimeout(timer);
    return this.result();
  }

  result(): DeployResult | undefined {
    if (!this.describe) return undefined;
    return {
      release: this.describe(),
      applied: this.applied,
      failures: this.failures,
      rollback: this.rollback,
      warnings: this.warnings,
      unusedOverrides: this.unusedOverrides,
    };
  }
}

/**
 * The deploy engine. Everything that can be checked is checked before the first write: manifests
 * (already parsed by the caller), image overrides and policy, the api-check preflight at the cluster's
 * version, a server-side dry run of every object, and the failed-revision marks rollback left.
 * Then: record each workload's revision, apply in dependency order, follow every rollout with
 * kubectl's messages, and describe what changed in the release descriptor. A failed rollout rolls
 * the whole release back when asked to.
 */
export async function deploy(opts: DeployOptions): Promise<DeployResult> {
  const logger = opts.logger ?? silentLogger;
  const clock = opts.clock ?? systemClock;
  const client = opts.client;
  // A retried request is said in the deploy's log, where the reader of this step looks.
  client.onRetry = (m) => logger.info(m);
  const discovery = new Discovery(client);
  const progress = opts.progress ?? new DeployProgress();
  const warnings = progress.warnings;

  if (opts.manifests.length === 0) throw new ConfigurationError('manifests: the files contain no objects');
  if (opts.namespace) checkKubeName('namespace', opts.namespace, 'label', 'a namespace name');
  const prepared = prepareManifests(opts.manifests, {
    overrides: opts.overrides,
    changeCause: opts.changeCause,
  });
  progress.unusedOverrides = prepared.unusedOverrides;
  for (const name of prepared.unusedOverrides)
    warnings.push(`images: no container runs ${name}; its override was not used`);
  enforceImagePolicy(prepared.images, opts.policy);

  const version = await client.get<{ gitVersion?: string }>('/version');
  const kubernetesVersion = version.gitVersion ?? '';
  if (opts.apiCheck) {
    const r = apiPreflight(prepared.manifests, kubernetesVersion);
    warnings.push(...r.warnings);
  }

  // Server-side dry run: the API server validates and defaults every object without storing any.
  // Objects in a namespace these manifests create cannot be dry-run before it exists; they are new anyway.
  const created = new Set<string>();
  for (const m of prepared.manifests) {
    if (m.object.kind !== 'Namespace' || m.object.apiVersion !== 'v1') continue;
    try {
      await client.get(`/api/v1/namespaces/${encodeURIComponent(m.object.metadata?.name ?? '')}`);
    } catch (e) {
      if (!isNotFound(e)) throw e;
      created.add(m.object.metadata?.name ?? '');
    }
  }
  const targetNs = (o: KubeObject) => o.metadata?.namespace || opts.namespace;
  let dryRun: ApplyResult[];
  try {
    dryRun = await applyManifests(
      client,
      prepared.manifests.filter((m) => m.object.kind === 'Namespace' || !created.has(targetNs(m.object))),
      { fieldManager: opts.fieldManager, namespace: opts.namespace, dryRun: true, logger, clock },
      discovery,
    );
  } catch (e) {
    // 429 is the server's load, not the manifests' fault (the client already retried it); 401 and 403 are
    // the kubeconfig user's credentials and RBAC, which the error itself says how to check.
    if (e instanceof KubeApiError && e.code >= 400 && e.code < 500 && ![401, 403, 429].includes(e.code)) {
      throw new ConfigurationError(
        `manifests: the server rejected them, nothing was applied: ${e.serverMessage}`,
      );
    }
    throw e;
  }

  const workloads = prepared.workloads.map((p) => {
    const ns = p.namespace || opts.namespace;
    const dry = dryRun.find(
      (r) => r.object.kind === p.kind && r.object.metadata?.name === p.name && r.namespace === ns,
    );
    return { ...p, namespace: ns, displayName: `${p.kind.toLowerCase()}.apps/${p.name}`, dry: dry?.object };
  });
  const live = new Map<string, KubeObject | undefined>();
  for (const w of workloads) {
    const info = (await discovery.forKind('apps/v1', w.kind))!;
    let obj: KubeObject | undefined;
    if (!created.has(w.namespace)) {
      try {
        obj = await client.get(resourcePath(info, w.namespace, w.name));
      } catch (e) {
        if (!isNotFound(e)) throw e;
      }
    }
    live.set(key(w.kind, w.namespace, w.name), obj);
    const mark = obj ? readMark(obj) : undefined;
    if (!mark || !w.dry || opts.allowFailedRevision) continue;
    const next = templateFingerprint((w.dry.spec as { template?: object } | undefined)?.template);
    const now = templateFingerprint((obj?.spec as { template?: object } | undefined)?.template);
    if (mark.templateFingerprint === next && now !== next) {
      throw new ConfigurationError(
        `${w.displayName}: this pod template is revision ${mark.failedRevision}, which was rolled back at ${mark.at} (${mark.reason}); ` +
          `fix it, or set allow-failed-revision to deploy it again`,
      );
    }
  }

  const before = new Map<string, number | null>();
  for (const [k, obj] of live) before.set(k, obj ? await currentRevision(client, obj) : null);

  const after = new Map<string, number | null>();
  // From here on the cluster changes: whatever stops the deploy, it can say what it applied.
  const describe = (): Release => ({
    version: 'v1',
    cluster: { context: opts.access.contextName, server: opts.access.server, kubernetesVersion },
    namespace: releaseNamespace(workloads, opts.namespace),
    images: Object.fromEntries(opts.overrides),
    workloads: workloads.map((w): ReleaseWorkload => {
      const k = key(w.kind, w.namespace, w.name);
      return {
        kind: w.kind,
        name: w.name,
        namespace: w.namespace,
        revisionBefore: before.get(k) ?? null,
        revisionAfter: after.get(k) ?? null,
        ...(opts.changeCause ? { changeCause: opts.changeCause } : {}),
        images: w.images,
      };
    }),
    createdAt: new Date(clock.now()).toISOString(),
    ...(opts.source ? { source: opts.source } : {}),
  });
  progress.describe = describe;
  progress.readRevisions = async () => {
    for (const w of workloads) {
      const k = key(w.kind, w.namespace, w.name);
      if (after.has(k)) continue;
      try {
        const info = (await discovery.forKind('apps/v1', w.kind))!;
        const revision = await currentRevision(
          client,
          await client.get(resourcePath(info, w.namespace, w.name)),
        );
        // The revision before is still current until the controller has seen the new template: unknown then.
        if (revision > 0 && revision !== before.get(k)) after.set(k, revision);
      } catch {
        // Stays unknown: the release says so (revisionAfter null).
      }
    }
  };

  const applied = await logger.group('Apply', async () => {
    const results = opts.serverSide
      ? await applyManifests(
          client,
          prepared.manifests,
          { fieldManager: opts.fieldManager, namespace: opts.namespace, logger, clock },
          discovery,
        )
      : await clientSideApply(
          prepared.manifests,
          opts.namespace,
          opts.fieldManager,
          opts.kubectl ?? {},
          client,
          discovery,
          logger,
        );
    for (const r of results) logger.info(`${r.name} ${opts.serverSide ? 'serverside-applied' : r.action}`);
    return results;
  });
  progress.applied = applied;

  const failures = progress.failures;
  const deadline = opts.timeoutMs > 0 ? clock.now() + opts.timeoutMs : Infinity;
  for (const w of workloads) {
    const ns = w.namespace;
    const name = w.name;
    const info = (await discovery.forKind('apps/v1', w.kind))!;
    const target: ResolvedWorkload = {
      info,
      object: await client.get(resourcePath(info, ns, name)),
      displayName: w.displayName,
    };
    if (opts.wait) {
      await logger.group(`Rollout status: ${w.displayName}`, async () => {
        try {
          const left = deadline - clock.now();
          if (left <= 0) throw new Error('timed out waiting for the condition');
          await followRolloutStatus(client, target, {
            timeoutMs: Number.isFinite(left) ? left : 0,
            clock,
            logger,
            onMessage: (line) => logger.info(line.trimEnd()),
          });
        } catch (e) {
          // What the pods say (an image that cannot be pulled…) is what the user must fix: said with it.
          const problems = await podProblems(client, target.object).catch(() => []);
          const message = [(e as Error).message, ...problems].join(': ');
          // Said once, when it happens: before the automatic rollback that follows it in the log.
          const failure = { workload: `${ns}/${w.displayName}`, message };
          logger.error(`rollout failed: ${failure.workload}: ${message}`);
          failures.push(failure);
        }
      });
    } else {
      await waitObserved(client, target, clock);
    }
    const now = await client.get(resourcePath(info, ns, name));
    after.set(key(w.kind, ns, name), await currentRevision(client, now));
  }

  const release = describe();
  if (failures.length > 0 && opts.rollbackOnFailure) {
    progress.rollback = await logger.group('Automatic rollback', () =>
      rollback({
        client,
        discovery,
        targets: releaseTargets(release),
        reason: `deploy failed: ${failures.map((f) => `${f.workload}: ${f.message}`).join('; ')}`,
        identity: opts.identity,
        wait: true,
        timeoutMs: opts.timeoutMs || 300_000,
        lockTimeoutMs: opts.lockTimeoutMs,
        logger,
        clock,
      }),
    );
  }
  return { ...progress.result()!, release };
}

/**
 * The release's namespace: where its workloads went when they all went to one (manifests that name
 * `shop2` are a release in shop2, whatever the default namespace was), else the default for unnamed objects.
 */
export function releaseNamespace(workloads: { namespace: string }[], fallback: string): string {
  const namespaces = new Set(workloads.map((w) => w.namespace));
  return namespaces.size === 1 ? [...namespaces][0] : fallback;
}
