import {
  buildAnalysis,
  outcome,
  promDuration,
  type AnalysisSpec,
  type RoundRecord,
  type Trip,
} from '@upgrade-actions/analysis';
import {
  abortableSleep,
  checkKubeName,
  ConfigurationError,
  silentLogger,
  type Logger,
} from '@upgrade-actions/common';
import { enforceImagePolicy, prepareManifests, type ImageOverrides } from '@upgrade-actions/deploy';
import type { ImagePolicy } from '@upgrade-actions/images';
import {
  applyManifests,
  Discovery,
  followRolloutStatus,
  revisionOf,
  systemClock,
  type ClusterAccess,
  type Clock,
  type KubeClient,
  type Manifest,
} from '@upgrade-actions/kube';
import { apiServerAccess, workloadPodCheck } from '@upgrade-actions/probe';
import type { Release } from '@upgrade-actions/release';
import {
  LeaseLock,
  leaseName,
  markAnnotations,
  readMark,
  templateFingerprint,
} from '@upgrade-actions/rollback';
import {
  createRouter,
  TOTAL_REPLICAS_ANNOTATION,
  type Match,
  type RouterType,
  type TrafficRouter,
} from '@upgrade-actions/traffic';
import { CanaryCluster } from './cluster';
import {
  canaryName,
  renderCanaryDeployment,
  routedCanaryReplicas,
  selects,
  type Deployment,
} from './objects';
import { aborted, advance, decide, promoted, recordRound, trafficWeight, type Timing } from './plan';
import { newCanaryState, type CanaryPhase, type CanaryState } from './state';

export type CanaryAction = 'run' | 'promote' | 'abort';

export interface CanaryOptions {
  client: KubeClient;
  access: ClusterAccess;
  manifests: Manifest[];
  /** For objects that name none. */
  namespace: string;
  overrides: ImageOverrides;
  policy: ImagePolicy;
  /** The stable Service; default: the one whose selector matches the Deployment's pods. */
  service?: string;
  router: RouterType;
  ingress?: string;
  virtualService?: string;
  /** istio: the route of the VirtualService to weight (default: the first that sends to the Service). */
  virtualServiceRoute?: string;
  httpRoute?: string;
  matches: Match[];
  steps: number[];
  timing: Timing;
  failureThreshold: number;
  analysis: AnalysisSpec;
  /** How long this invocation may run before it saves its place and returns `progressing`; 0: no limit. */
  maxDurationMs: number;
  action: CanaryAction;
  identity: string;
  lockTimeoutMs: number;
  /** For the canary's rollout and the promotion's rolling update. */
  rolloutTimeoutMs: number;
  fieldManager: string;
  changeCause?: string;
  source?: Release['source'];
  logger?: Logger;
  clock?: Clock;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  signal?: AbortSignal;
  /** Called once when a canary starts, with its release; a returned id (a GitHub Deployment) is kept in the state. */
  onStart?: (release: Release) => Promise<number | undefined>;
  /** Called after each saved change of the state (a cancelled step writes its outputs from the last one). */
  onState?: (state: CanaryState) => void;
}

export interface CanaryResult {
  phase: CanaryPhase;
  /** Share of traffic on the new version when the run ended (100 once promoted, 0 once aborted). */
  weight: number;
  step: number;
  state?: CanaryState;
  release: Release;
  /** The gate that stopped it. */
  trip?: Trip;
  /** Why it ended this way, one line (abort reason, "already promoted", …). */
  message: string;
  /** The abort was asked for (`action: abort`): the step succeeds. */
  requested?: boolean;
  workload: string;
  canary: string;
  namespace: string;
  router: RouterType;
}

/** The one Deployment a canary rolls out, after image overrides; the Service if the manifests carry it. */
function pickWorkload(manifests: Manifest[], serviceName?: string) {
  const deployments = manifests.filter(
    (m) => m.object.kind === 'Deployment' && m.object.apiVersion === 'apps/v1',
  );
  const others = manifests.filter((m) => ['StatefulSet', 'DaemonSet'].includes(m.object.kind ?? ''));
  if (deployments.length !== 1) {
    const found = deployments.map((m) => `deployment/${m.object.metadata?.name}`).join(', ') || 'none';
    throw new ConfigurationError(
      `manifests: a canary rolls out exactly one Deployment (found ${found}${others.length ? `; ${others.length} StatefulSet/DaemonSet, which a canary cannot split` : ''}); give one workload per canary step`,
    );
  }
  const deployment = deployments[0].object as Deployment;
  const labels = deployment.spec?.template?.metadata?.labels;
  const services = manifests.filter((m) => m.object.kind === 'Service' && m.object.apiVersion === 'v1');
  const service = serviceName
    ? services.find((m) => m.object.metadata?.name === serviceName)
    : services.find((m) =>
        selects((m.object.spec as { selector?: Record<string, string> })?.selector, labels),
      );
  return { deployment, service: service?.object };
}

const percent = (w: number) => `${Math.round(w * 100) / 100}%`;

/**
 * The canary engine. Everything the user gave is checked before the first write (manifests, policy,
 * router objects, analysis queries, failed-template marks, a canary of another release in flight).
 * Then, under the workload's Lease: start or resume from the state on the stable Deployment, move the
 * router step by step, analyse each step in rounds, and promote after the last step or abort at the
 * first gate that trips. Every change is saved before the next, so a run stopped anywhere (max-duration,
 * a cancelled job, a crash) is continued by the next run with the same inputs.
 */
export async function runCanary(opts: CanaryOptions): Promise<CanaryResult> {
  const logger = opts.logger ?? silentLogger;
  const clock = opts.clock ?? systemClock;
  const sleep = opts.sleep ?? abortableSleep;
  const client = opts.client;
  client.onRetry = (m) => logger.info(m);
  const started = clock.now();
  const deadline = opts.maxDurationMs > 0 ? started + opts.maxDurationMs : Infinity;

  // --- Checks before any write ---------------------------------------------------------------------
  if (opts.manifests.length === 0) throw new ConfigurationError('manifests: the files contain no objects');
  if (opts.matches.length && opts.router === 'replicas') {
    throw new ConfigurationError(
      'header-match/cookie-match: the replicas router cannot route by header or cookie (kube-proxy balances connections); use traffic-router nginx, istio or gateway-api',
    );
  }
  const needs: Partial<Record<RouterType, [string, string | undefined]>> = {
    nginx: ['ingress', opts.ingress],
    istio: ['virtual-service', opts.virtualService],
    'gateway-api': ['http-route', opts.httpRoute],
  };
  const need = needs[opts.router];
  if (need && !need[1]) {
    throw new ConfigurationError(
      `${need[0]}: traffic-router ${opts.router} edits an existing ${need[0]}; give its name`,
    );
  }
  const prepared = prepareManifests(opts.manifests, {
    overrides: opts.overrides,
    changeCause: opts.changeCause,
  });
  for (const name of prepared.unusedOverrides)
    logger.warning(`images: no container runs ${name}; its override was not used`);
  enforceImagePolicy(prepared.images, opts.policy);
  const picked = pickWorkload(prepared.manifests, opts.service);
  const name = picked.deployment.metadata?.name ?? '';
  const namespace = picked.deployment.metadata?.namespace || opts.namespace;
  const canary = canaryName(name);
  const discovery = new Discovery(client);
  const version = await client.get<{ gitVersion?: string }>('/version');

  const stableNow = await new CanaryCluster(
    client,
    namespace,
    name,
    canary,
    '',
    '',
    opts.fieldManager,
  ).getDeployment(name);
  const serviceName =
    opts.service ||
    picked.service?.metadata?.name ||
    (stableNow ? await findService(client, namespace, stableNow) : '');
  if (stableNow && !serviceName) {
    throw new ConfigurationError(
      `service: no Service in ${namespace} selects the pods of deployment/${name}; give the service input`,
    );
  }
  // The names this run would create or edit, checked before the first write (the API server would refuse
  // them only after other objects were written): `<name>-canary`, `<service>-canary`, `<ingress>-canary`.
  checkKubeName('namespace', namespace, 'label', 'a namespace name');
  checkKubeName('manifests', name, 'subdomain', 'a Deployment name', ['-canary']);
  if (serviceName) checkKubeName('service', serviceName, 'label', 'a Service name', ['-canary']);
  if (opts.router === 'nginx' && opts.ingress)
    checkKubeName('ingress', opts.ingress, 'subdomain', 'an Ingress name', ['-canary']);
  if (opts.router === 'gateway-api' && opts.httpRoute)
    checkKubeName('http-route', opts.httpRoute, 'subdomain', 'an HTTPRoute name');
  if (opts.router === 'istio' && opts.virtualService)
    checkKubeName('virtual-service', opts.virtualService, 'subdomain', 'a VirtualService name');
  const cluster = new CanaryCluster(
    client,
    namespace,
    name,
    canary,
    serviceName,
    `${serviceName}-canary`,
    opts.fieldManager,
    logger,
  );
  /** Every state change is saved on the cluster first, then told to the caller (outputs on cancellation). */
  const save = async (st: CanaryState) => {
    await cluster.saveState(st);
    opts.onState?.(st);
  };
  const router: TrafficRouter = createRouter({
    type: opts.router,
    client,
    namespace,
    service: serviceName,
    canaryService: cluster.canaryServiceName,
    stableWorkload: name,
    canaryWorkload: canary,
    fieldManager: opts.fieldManager,
    ingress: opts.ingress,
    virtualService: opts.virtualService,
    virtualServiceRoute: opts.virtualServiceRoute,
    httpRoute: opts.httpRoute,
  });
  const analysis = buildAnalysis(opts.analysis, {
    vars: { namespace, target: canary, stable: name, interval: promDuration(opts.timing.analysisIntervalMs) },
    api: apiServerAccess(opts.access, namespace),
  });
  const podCheck = workloadPodCheck(client, { kind: 'Deployment', name: canary, namespace });

  // The template as the API server stores it (defaulted), so it compares with the live one and with marks.
  // A first release (no stable Deployment, perhaps no namespace yet) has nothing to compare.
  const dry = stableNow
    ? (
        await applyManifests(
          client,
          prepared.manifests.filter((m) => m.object === picked.deployment),
          { fieldManager: opts.fieldManager, namespace, dryRun: true, logger },
          discovery,
        )
      )[0].object
    : picked.deployment;
  const fingerprint = templateFingerprint((dry.spec as Deployment['spec'])?.template as never);

  const base = { workload: name, canary, namespace, router: opts.router };
  const release = (state: CanaryState | undefined, after: Deployment | undefined): Release => {
    const revisionBefore = state?.stableRevision ?? (stableNow ? revisionOf(stableNow) : null);
    return {
      version: 'v1',
      cluster: {
        context: opts.access.contextName,
        server: opts.access.server,
        kubernetesVersion: version.gitVersion ?? '',
      },
      namespace,
      images: Object.fromEntries(opts.overrides),
      workloads: [
        {
          kind: 'Deployment',
          name,
          namespace,
          revisionBefore,
          revisionAfter: after ? revisionOf(after) : revisionBefore,
          ...(opts.changeCause ? { changeCause: opts.changeCause } : {}),
          images: prepared.workloads.find((w) => w.name === name)?.images ?? {},
        },
      ],
      createdAt: new Date(clock.now()).toISOString(),
      ...(opts.source ? { source: opts.source } : {}),
    };
  };

  if (stableNow) {
    const mark = readMark(stableNow);
    if (mark && mark.templateFingerprint === fingerprint && opts.action !== 'abort') {
      const state = await cluster.readState();
      if (state?.fingerprint === fingerprint && state.phase === 'aborted') {
        return {
          ...base,
          phase: 'aborted',
          weight: 0,
          step: state.step,
          state,
          release: release(state, undefined),
          message: `this release was aborted at ${mark.at}: ${mark.reason}`,
        };
      }
      throw new ConfigurationError(
        `deployment.apps/${name}: this pod template was marked failed at ${mark.at} (${mark.reason}); fix the release before another canary`,
      );
    }
    await router.check();
    await analysis.preflight(opts.signal);
  }

  // A first release takes no lock: its namespace may not exist yet, and applying is idempotent.
  if (!stableNow) return await firstRelease();

  // --- Under the Lease -----------------------------------------------------------------------------
  const lease = new LeaseLock(client, {
    namespace,
    name: leaseName('Deployment', name),
    identity: opts.identity,
    clock,
    logger,
  });
  const { waitedMs, heldBy } = await lease.acquire(opts.lockTimeoutMs);
  if (heldBy)
    logger.info(`Waited ${(waitedMs / 1000).toFixed(1)} s for ${lease.description} (held by ${heldBy})`);
  try {
    // What another run may have done while this one waited is read now, under the Lease.
    const stable = await cluster.getDeployment(name);
    if (!stable) return await firstRelease();
    let state = await cluster.readState();
    const inFlight = state && (state.phase === 'progressing' || state.phase === 'paused');

    if (opts.action === 'abort') {
      if (!inFlight && !(await cluster.getDeployment(canary))) {
        const phase = state?.phase ?? 'promoted';
        return {
          ...base,
          phase,
          weight: state ? trafficWeight(state) : 100,
          step: state?.step ?? 0,
          state,
          release: release(state, stable),
          message: 'nothing in flight to abort',
        };
      }
      return await abort(state, 'abort requested (action: abort)', undefined, true);
    }
    if (inFlight && state!.fingerprint !== fingerprint) {
      throw new ConfigurationError(
        `manifests: a canary of another release of deployment/${name} is in flight (step ${state!.step + 1} of ${state!.steps.length}, ${percent(trafficWeight(state!))} of traffic, started ${state!.startedAt}); run with action: abort first, or re-run with that release's manifests`,
      );
    }
    if (!inFlight) {
      if (templateFingerprint(stable.spec?.template as never) === fingerprint) {
        logger.info(`deployment.apps/${name} already runs this pod template: nothing to do`);
        const done = state?.fingerprint === fingerprint ? state : undefined;
        return {
          ...base,
          phase: 'promoted',
          weight: 100,
          step: done ? done.step : opts.steps.length - 1,
          state: done,
          release: release(done, stable),
          message: 'already promoted',
        };
      }
      if (opts.action === 'promote') {
        throw new ConfigurationError(
          'action: promote needs a canary of this release in flight; run it first (action: run)',
        );
      }
      state = {
        ...newCanaryState(fingerprint, opts.steps, clock.now()),
        stableRevision: revisionOf(stable),
        router: opts.router,
      };
      await save(state);
      if (opts.onStart) {
        const id = await opts.onStart(release(state, stable));
        if (id !== undefined) {
          state = { ...state, deploymentId: id };
          await save(state);
        }
      }
      logger.info(
        `Canary of deployment.apps/${name}: steps ${opts.steps.map(percent).join(' → ')} through the ${opts.router} router`,
      );
    } else {
      logger.info(
        `Resuming the canary of deployment.apps/${name} at step ${state!.step + 1} of ${state!.steps.length} (${percent(trafficWeight(state!))})`,
      );
    }
    let s = state!;

    // Converge the cluster on the saved state: every write below is idempotent.
    const ready = await ensureCanary(stable, s, !inFlight);
    if (ready !== true) return await abort(s, `the canary's pods failed: ${ready}`);
    if (opts.action === 'promote') {
      logger.info('Promotion requested (action: promote): the remaining steps are skipped');
      return await promote(s);
    }

    for (;;) {
      const now = clock.now();
      const d = decide(s, now, opts.timing);
      if (d.kind === 'done') break;
      if (d.kind === 'promote') return await promote(s);
      if (d.kind === 'advance') {
        s = advance(s, d.step, now);
        await save(s);
        await setWeight(stable, d.weight);
        logger.info(`Step ${d.step + 1}/${s.steps.length}: ${percent(d.weight)} of traffic to the canary`);
        // The step's new canary pods must be available before its rounds judge them: pods still starting
        // are not a failing canary (a slow start would otherwise trip the pods gate).
        const available = await waitCanary();
        if (available !== true) return await abort(s, `the canary's pods failed: ${available}`);
        continue;
      }
      const until = d.kind === 'analyse' ? d.at : d.until;
      if (until > now) {
        if (until > deadline) {
          await sleep(deadline - now, opts.signal);
          return paused(s, `max-duration reached; the next run resumes at step ${s.step + 1}`);
        }
        await sleep(until - now, opts.signal);
        if (opts.signal?.aborted) return paused(s, 'cancelled; the next run resumes where this one stopped');
        continue;
      }
      if (d.kind === 'wait') continue;
      const round = await analyse();
      const r = recordRound(s, round, opts.failureThreshold);
      s = r.state;
      await save(s);
      logRound(s, round);
      if (r.trip) {
        const t = r.trip;
        return await abort(
          s,
          `${t.check} failed ${t.consecutiveFailures} rounds in a row${t.value ? `: ${t.value}` : ''}${t.threshold ? ` (${t.threshold})` : ''}${t.message && !t.value ? `: ${t.message}` : ''}`,
          t,
        );
      }
    }
    return {
      ...base,
      phase: s.phase,
      weight: trafficWeight(s),
      step: s.step,
      state: s,
      release: release(s, stable),
      message: s.reason ?? s.phase,
    };
  } finally {
    await lease.release();
  }

  // --- The steps, as local functions over the values above ----------------------------------------

  async function findService(c: KubeClient, ns: string, d: Deployment): Promise<string> {
    const list = await c.get<{
      items: { metadata?: { name?: string }; spec?: { selector?: Record<string, string> } }[];
    }>(`/api/v1/namespaces/${encodeURIComponent(ns)}/services`);
    const matching = list.items.filter(
      (svc) =>
        selects(svc.spec?.selector, d.spec?.template?.metadata?.labels) &&
        !svc.metadata?.name?.endsWith('-canary'),
    );
    if (matching.length > 1) {
      throw new ConfigurationError(
        `service: ${matching.map((m) => m.metadata?.name).join(', ')} all select the pods of deployment/${d.metadata?.name}; name the stable one in the service input`,
      );
    }
    return matching[0]?.metadata?.name ?? '';
  }

  /**
   * The stable's replicas when the canary began: the replicas router keeps it on the canary Deployment
   * (it moves the stable's replicas); with a traffic router the stable keeps its replicas.
   */
  async function total(stable: Deployment): Promise<number> {
    const c = await cluster.getDeployment(canary);
    const saved = Number(c?.metadata?.annotations?.[TOTAL_REPLICAS_ANNOTATION]);
    if (Number.isInteger(saved) && saved > 0) return saved;
    return stable.spec?.replicas ?? picked.deployment.spec?.replicas ?? 1;
  }

  async function setWeight(stable: Deployment, weight: number): Promise<void> {
    if (opts.router !== 'replicas')
      await cluster.scaleCanary(routedCanaryReplicas(await total(stable), weight));
    await router.setWeight(weight);
  }

  /**
   * Creates or re-asserts the canary: the canary Deployment and Service, the pin, the weight. The other
   * objects of the manifests (the Service, ConfigMaps, the router's object) are applied when the canary
   * starts, never on a resume: re-applying the stable Service or the VirtualService mid-flight would undo
   * the pin or the weights for a moment.
   */
  async function ensureCanary(stable: Deployment, s: CanaryState, starting: boolean): Promise<true | string> {
    return logger.group(`Canary: deployment.apps/${canary}`, async () => {
      const others = prepared.manifests.filter((m) => m.object !== picked.deployment);
      if (starting && others.length) {
        const applied = await applyManifests(
          client,
          others,
          { fieldManager: opts.fieldManager, namespace, logger },
          discovery,
        );
        for (const a of applied) logger.info(`${a.name} serverside-applied`);
      }
      const stableSvc = await cluster.getService(serviceName);
      if (!stableSvc)
        throw new ConfigurationError(`service: service/${serviceName} does not exist in ${namespace}`);
      const weight = trafficWeight(s);
      const existing = await cluster.getDeployment(canary);
      const replicas =
        opts.router === 'replicas'
          ? (existing?.spec?.replicas ?? 0)
          : routedCanaryReplicas(await total(stable), weight);
      await cluster.applyCanaryDeployment(
        renderCanaryDeployment(
          dry as Deployment,
          name,
          Math.max(replicas, opts.router === 'replicas' ? 0 : 1),
        ),
      );
      await cluster.applyCanaryService(stableSvc);
      if (opts.router !== 'replicas') {
        const hash = await cluster.stableHash(stable);
        if (hash) await cluster.pinStableService(hash);
      }
      await router.setWeight(weight);
      await router.setMatches(opts.matches);
      logger.info(
        `${percent(weight)} of traffic to the canary${opts.matches.length ? `, plus requests matching ${opts.matches.map(describeMatch).join(', ')}` : ''}`,
      );
      return waitCanary();
    });
  }

  /** Follows the canary Deployment's rollout as kubectl does: true once available, else kubectl's error. */
  async function waitCanary(): Promise<true | string> {
    const info = (await discovery.forKind('apps/v1', 'Deployment'))!;
    const object = await cluster.getDeployment(canary);
    if (!object) return `deployment.apps/${canary} is gone`;
    try {
      await followRolloutStatus(
        client,
        { info, object, displayName: `deployment.apps/${canary}` },
        { timeoutMs: opts.rolloutTimeoutMs, clock, logger, onMessage: (l) => logger.info(l.trimEnd()) },
      );
      return true;
    } catch (e) {
      return (e as Error).message;
    }
  }

  async function analyse(): Promise<RoundRecord> {
    const [round, pods] = await Promise.all([
      analysis.round(opts.signal, () => clock.now()),
      podCheck
        .run(opts.signal)
        .catch((e: Error) => ({ ok: false, latency: null, observations: {}, error: e.message })),
    ]);
    return { ...round, checks: { ...round.checks, [`pods ${canary}`]: outcome(pods) } };
  }

  function logRound(s: CanaryState, round: RoundRecord): void {
    const step = s.history[s.history.length - 1];
    for (const [check, o] of Object.entries(round.checks)) {
      const mark = o.unreachable ? '?' : o.ok ? '✓' : '✗';
      const run = step.consecutiveFailures[check] ?? 0;
      logger.info(
        `step ${s.step + 1} round ${step.roundCount}: ${mark} ${check}${o.value ? ` ${o.value}` : ''}${o.threshold ? ` (${o.threshold})` : ''}${!o.ok && o.message ? ` — ${o.message}` : ''}${run ? ` [${run}/${opts.failureThreshold} in a row]` : ''}`,
      );
    }
  }

  function paused(s: CanaryState, message: string): CanaryResult {
    logger.info(message);
    return {
      ...base,
      phase: 'progressing',
      weight: trafficWeight(s),
      step: s.step,
      state: s,
      release: release(s, undefined),
      message,
    };
  }

  async function promote(s: CanaryState): Promise<CanaryResult> {
    return logger.group(`Promote: deployment.apps/${name}`, async () => {
      const stable = (await cluster.getDeployment(name))!;
      const desired = structuredClone(picked.deployment);
      desired.spec = { ...desired.spec, replicas: await total(stable) };
      // The stable workload takes the canary's template: a normal rolling update, kubectl's messages.
      await applyManifests(
        client,
        [{ object: desired, source: 'promotion', document: 1 }],
        { fieldManager: opts.fieldManager, namespace, logger },
        discovery,
      );
      const info = (await discovery.forKind('apps/v1', 'Deployment'))!;
      await followRolloutStatus(
        client,
        { info, object: (await cluster.getDeployment(name))!, displayName: `deployment.apps/${name}` },
        { timeoutMs: opts.rolloutTimeoutMs, clock, logger, onMessage: (l) => logger.info(l.trimEnd()) },
      );
      await cluster.unpinStableService();
      await router.restore();
      await cluster.removeCanaryObjects();
      const done = promoted(s);
      await save(done);
      const after = await cluster.getDeployment(name);
      logger.info(
        `Promoted: deployment.apps/${name} runs the new release (revision ${after ? revisionOf(after) : '?'})`,
      );
      return {
        ...base,
        phase: 'promoted' as const,
        weight: 100,
        step: done.step,
        state: done,
        release: release(done, after),
        message: 'promoted',
      };
    });
  }

  async function abort(
    s: CanaryState | undefined,
    reason: string,
    trip?: Trip,
    requested = false,
  ): Promise<CanaryResult> {
    return logger.group(`Abort: ${reason}`, async () => {
      // Traffic first: the stable version takes everything back before anything is deleted.
      await router.restore();
      await cluster.unpinStableService();
      await cluster.removeCanaryObjects();
      const stable = await cluster.getDeployment(name);
      const fp = s?.fingerprint ?? fingerprint;
      if (stable) {
        const rev = revisionOf(stable);
        await client.request(
          'PATCH',
          `/apis/apps/v1/namespaces/${encodeURIComponent(namespace)}/deployments/${encodeURIComponent(name)}`,
          {
            body: {
              metadata: {
                annotations: markAnnotations({
                  failedRevision: 0,
                  reason: `canary aborted: ${reason}`,
                  at: new Date(clock.now()).toISOString(),
                  templateFingerprint: fp,
                  rolledBackTo: rev,
                }),
              },
            },
            contentType: 'application/merge-patch+json',
          },
        );
      }
      const done = s ? aborted(s, reason) : undefined;
      if (done) await save(done);
      logger.info(
        `Aborted: all traffic on deployment.apps/${name}; the canary's objects are removed and its template is marked failed`,
      );
      return {
        ...base,
        phase: 'aborted' as const,
        weight: 0,
        step: done?.step ?? 0,
        state: done,
        release: release(done, stable),
        message: reason,
        ...(trip ? { trip } : {}),
        ...(requested ? { requested } : {}),
      };
    });
  }

  /** No stable version yet: nothing to compare with, so the release is applied as deploy would apply it. */
  async function firstRelease(): Promise<CanaryResult> {
    logger.info(
      `deployment.apps/${name} does not exist yet: a first release has no stable version to compare with; applying it directly`,
    );
    const applied = await applyManifests(
      client,
      prepared.manifests,
      { fieldManager: opts.fieldManager, namespace, logger },
      discovery,
    );
    for (const a of applied) logger.info(`${a.name} serverside-applied`);
    const info = (await discovery.forKind('apps/v1', 'Deployment'))!;
    await followRolloutStatus(
      client,
      { info, object: (await cluster.getDeployment(name))!, displayName: `deployment.apps/${name}` },
      { timeoutMs: opts.rolloutTimeoutMs, clock, logger, onMessage: (l) => logger.info(l.trimEnd()) },
    );
    const after = await cluster.getDeployment(name);
    return {
      ...base,
      phase: 'promoted',
      weight: 100,
      step: opts.steps.length - 1,
      release: release(undefined, after),
      message: 'first release: applied without a canary',
    };
  }
}

function describeMatch(m: Match): string {
  return m.kind === 'header' ? `header ${m.name}: ${m.value}` : `cookie ${m.name}=always`;
}
