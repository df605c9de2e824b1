import type { Analysis, Trip } from '@upgrade-actions/analysis';
import { checkKubeName, ConfigurationError, silentLogger, type Logger } from '@upgrade-actions/common';
import { enforceImagePolicy, prepareManifests, type ImageOverrides } from '@upgrade-actions/deploy';
import { imageName, parseImageReference, type ImagePolicy } from '@upgrade-actions/images';
import {
  Discovery,
  followRolloutStatus,
  resolveWorkload,
  sleep,
  systemClock,
  type Clock,
  type KubeClient,
  type KubeObject,
  type Manifest,
} from '@upgrade-actions/kube';
import type { Release } from '@upgrade-actions/release';
import { LeaseLock, leaseName, readMark, FAILED_TEMPLATE } from '@upgrade-actions/rollback';
import type { Service } from '@upgrade-actions/traffic';
import { colourDeployment, nextWorkload, selects, COLOUR_LABEL, type Selector } from './colours';
import {
  applyPreview,
  applyWorkload,
  clearMark,
  fingerprintOf,
  getDeployment,
  getService,
  markFailed,
  patchService,
  pinSelector,
  scale,
  type Deployment,
} from './cluster';
import { decide, describeTrip, enterStage, outcomeOfTrip, recordRound, withEvent, type Timing } from './plan';
import {
  ACTIVE_ANNOTATION,
  BASE_SELECTOR_ANNOTATION,
  STATE_ANNOTATION,
  TEMPLATE_ANNOTATION,
  newState,
  readState,
  type Phase,
  type PromoteState,
} from './state';

export interface PromoteOptions {
  client: KubeClient;
  /** Namespace of objects the manifests give none. */
  namespace: string;
  manifests: Manifest[];
  overrides: ImageOverrides;
  /** The Service whose selector switches; default: the manifests' Service that selects the workload's pods. */
  service?: string;
  policy: ImagePolicy;
  timing: Timing;
  failureThreshold: number;
  /** The analysis of green (`target`) beside blue (`stable`); called before anything is written, so bad input fails first. */
  analysis: (vars: { target: string; stable: string; namespace: string }) => Analysis;
  /** 0: until promoted, aborted or rolled back. */
  maxDurationMs: number;
  action: 'run' | 'abort';
  lockTimeoutMs: number;
  /** How long green's rollout may take to become ready. */
  readyTimeoutMs: number;
  identity: string;
  /** After validation, before the switch (merge the pull request); a throw aborts with traffic never moved. */
  beforeSwitch?: () => Promise<void>;
  /** Once the run knows its colours, before green is judged (create the GitHub Deployment). */
  onStart?: (info: { green: string; blue: string; resumed: boolean; release: Release }) => Promise<void>;
  /** Each state the Service holds once written (a cancelled job reports where the promotion stands). */
  onState?: (state: PromoteState) => void;
  clock?: Clock;
  logger?: Logger;
  signal?: AbortSignal;
}

export interface PromoteResult {
  phase: Phase;
  /** The workload serving when the run ended, and the other colour. */
  active: string;
  previous: string;
  namespace: string;
  service: string;
  state?: PromoteState;
  trip?: Trip;
  /** Why it failed, when it did: one line. */
  failure?: string;
  release: Release;
  /** ms from the failed round's result to the Service's selector back on blue, as the API server acknowledged it. */
  switchBackMs?: number;
}

interface Target {
  ns: string;
  base: string;
  workload: KubeObject;
  serviceName: string;
  fingerprint: string;
  images: Record<string, string>;
}

/** What the manifests ask for: one Deployment (after image overrides, checked by deploy's policy) and its Service. */
export function readTarget(
  opts: Pick<PromoteOptions, 'manifests' | 'overrides' | 'policy' | 'namespace' | 'service'>,
): Target {
  const prepared = prepareManifests(opts.manifests, { overrides: opts.overrides });
  enforceImagePolicy(prepared.images, opts.policy);
  const workloads = prepared.manifests.filter((m) =>
    ['Deployment', 'StatefulSet', 'DaemonSet'].includes(m.object.kind ?? ''),
  );
  const names = workloads.map((m) => `${m.object.kind}/${m.object.metadata?.name}`);
  if (workloads.length !== 1 || workloads[0].object.kind !== 'Deployment') {
    throw new ConfigurationError(
      `manifests: promote switches one Deployment between two colours; found ${names.length ? names.join(', ') : 'no workload'}`,
    );
  }
  const workload = workloads[0].object;
  const labels = (workload.spec as Deployment['spec'])?.template?.metadata?.labels ?? {};
  const ns = workload.metadata?.namespace || opts.namespace;
  let serviceName = opts.service;
  if (!serviceName) {
    const svc = prepared.manifests.find(
      (m) =>
        m.object.kind === 'Service' &&
        Object.keys((m.object as Service).spec?.selector ?? {}).length > 0 &&
        selects((m.object as Service).spec!.selector!, labels),
    );
    if (!svc)
      throw new ConfigurationError(
        `service: the manifests hold no Service selecting the pods of ${workload.metadata?.name}; name the Service whose selector switches`,
      );
    serviceName = svc.object.metadata!.name!;
  }
  // The names this run creates from the given ones, checked before anything is written:
  // `<service>-preview` (a Service: a DNS-1123 label) and `<name>-blue`/`<name>-green`.
  checkKubeName('namespace', ns, 'label', 'a namespace name');
  checkKubeName('service', serviceName, 'label', 'a Service name', ['-preview']);
  checkKubeName('manifests', workload.metadata?.name ?? '', 'subdomain', 'a Deployment name', [
    '-green',
    '-blue',
  ]);
  const images = prepared.workloads[0]?.images ?? {};
  return {
    ns,
    base: workload.metadata?.name ?? '',
    workload,
    serviceName,
    fingerprint: fingerprintOf((workload.spec as Deployment['spec'])?.template),
    images,
  };
}

const now = (clock: Clock) => new Date(clock.now()).toISOString();

/**
 * Blue-green promotion of one Deployment behind one Service. Green starts beside blue as its own workload
 * whose pods alone carry a colour label; `<service>-preview` selects green while it is analysed for
 * `validation`; the switch is one write of the Service's selector; the watch analyses green serving, and
 * a tripped gate writes the selector back to blue at once. Every step is saved on the Service, so a run
 * stopped by `max-duration` (or a cancelled job) continues where it was; a Lease keeps two runs apart.
 */
export async function promote(opts: PromoteOptions): Promise<PromoteResult> {
  const clock = opts.clock ?? systemClock;
  const logger = opts.logger ?? silentLogger;
  const { client } = opts;
  const target = readTarget(opts);
  const { ns, base, serviceName } = target;

  const found = await getService(client, ns, serviceName);
  if (!found)
    throw new ConfigurationError(
      `service: Service ${ns}/${serviceName} not found; promote switches an existing Service between versions (deploy the first one with deploy)`,
    );
  // Validate the analysis inputs against the names this run would use, before anything is written.
  const predicted = readState(found);
  const predictedBlue =
    predicted?.phase === 'progressing'
      ? predicted.blue
      : found.metadata?.annotations?.[ACTIVE_ANNOTATION] || base;
  const predictedGreen =
    predicted?.phase === 'progressing' ? predicted.green : nextWorkload(predictedBlue, base).name;
  let analysis = opts.analysis({ target: predictedGreen, stable: predictedBlue, namespace: ns });

  const lock = new LeaseLock(client, {
    namespace: ns,
    name: leaseName('Deployment', base),
    identity: opts.identity,
    clock,
    logger,
  });
  const waited = await lock.acquire(opts.lockTimeoutMs);
  if (waited.heldBy)
    logger.info(
      `Took ${lock.description} after ${Math.round(waited.waitedMs / 1000)}s (held by ${waited.heldBy})`,
    );
  try {
    let svc = (await getService(client, ns, serviceName))!;
    const started = clock.now();
    let state = readState(svc);
    const result = (phase: Phase, extra: Partial<PromoteResult> = {}): PromoteResult => {
      const active = svc.metadata?.annotations?.[ACTIVE_ANNOTATION] || base;
      const previous = state
        ? active === state.green
          ? state.blue
          : state.green
        : nextWorkload(active, base).name;
      return {
        phase,
        active,
        previous,
        namespace: ns,
        service: serviceName,
        state,
        release: releaseOf(target, state?.green ?? active),
        ...extra,
      };
    };
    /** One write of the Service: the state, and with it the selector and annotations that change. */
    const save = async (
      s: PromoteState,
      change: { selector?: Selector; active?: string; annotations?: Record<string, string> } = {},
    ) => {
      state = s;
      svc = await patchService(client, svc, {
        ...(change.selector ? { selector: change.selector } : {}),
        annotations: {
          ...change.annotations,
          [STATE_ANNOTATION]: JSON.stringify(s),
          ...(change.active ? { [ACTIVE_ANNOTATION]: change.active } : {}),
        },
      });
      opts.onState?.(s);
    };

    if (opts.action === 'abort') {
      if (!state || state.phase !== 'progressing') {
        logger.info(`No promotion of ${base} is in flight; nothing to abort`);
        return result(state?.phase ?? 'aborted');
      }
      return await fail(`aborted on request by ${opts.identity}`, undefined, true);
    }

    if (state?.phase === 'progressing') {
      if (state.fingerprint !== target.fingerprint) {
        throw new ConfigurationError(
          `manifests: another promotion of ${base} is in flight (${state.green}, started ${state.startedAt}) with a different template; let it finish, or stop it with action: abort`,
        );
      }
      logger.info(`Resuming the promotion of ${state.green} (${state.stage}, started ${state.startedAt})`);
      await save(withEvent(state, { at: now(clock), event: 'resumed', detail: state.stage }));
    } else {
      const activeName = svc.metadata?.annotations?.[ACTIVE_ANNOTATION] || base;
      const active = await getDeployment(client, ns, activeName);
      if (!active)
        throw new ConfigurationError(
          `service: ${serviceName} serves ${activeName}, which does not exist in ${ns}; deploy it first`,
        );
      // Our own annotation says what a colour runs (the API server's defaults change the template it returns).
      const activeFingerprint =
        active.metadata?.annotations?.[TEMPLATE_ANNOTATION] ?? fingerprintOf(active.spec?.template);
      if (activeFingerprint === target.fingerprint) {
        logger.info(`${activeName} already serves this template; nothing to promote`);
        return result('promoted');
      }
      const { name: green, colour } = nextWorkload(activeName, base);
      const existingGreen = await getDeployment(client, ns, green);
      for (const obj of [existingGreen, active, await getDeployment(client, ns, base)]) {
        const mark = obj && readMark(obj);
        if (mark && mark.templateFingerprint === target.fingerprint) {
          throw new ConfigurationError(
            `manifests: this template of ${base} was marked failed on ${obj!.metadata?.name} at ${mark.at} (${mark.reason}); promote refuses it. Change the release, or remove the ${FAILED_TEMPLATE} annotation to allow it`,
          );
        }
      }
      const baseSelector: Selector = JSON.parse(
        svc.metadata?.annotations?.[BASE_SELECTOR_ANNOTATION] ?? JSON.stringify(svc.spec?.selector ?? {}),
      );
      const podLabels = (target.workload.spec as Deployment['spec'])?.template?.metadata?.labels;
      if (!Object.keys(baseSelector).length || !selects(baseSelector, podLabels)) {
        throw new ConfigurationError(
          `service: the selector of ${serviceName} (${JSON.stringify(baseSelector)}) does not select the pods of ${base}`,
        );
      }
      const blueSelector = await pinSelector(client, ns, baseSelector, active);
      const greenSelector = { ...baseSelector, [COLOUR_LABEL]: colour };
      if (green !== predictedGreen || activeName !== predictedBlue)
        analysis = opts.analysis({ target: green, stable: activeName, namespace: ns });

      // Blue alone behind the Service before green exists: the same pods as before, so no traffic moves.
      const pinned = JSON.stringify(svc.spec?.selector ?? {}) === JSON.stringify(blueSelector);
      await save(
        newState(
          { fingerprint: target.fingerprint, blue: activeName, green, blueSelector, greenSelector },
          clock.now(),
        ),
        { selector: blueSelector, annotations: { [BASE_SELECTOR_ANNOTATION]: JSON.stringify(baseSelector) } },
      );
      if (!pinned) logger.info(`Pinned ${serviceName} to ${activeName} (${JSON.stringify(blueSelector)})`);
      const replicas = active.spec?.replicas ?? (target.workload.spec as Deployment['spec'])?.replicas;
      await applyWorkload(
        client,
        ns,
        colourDeployment(target.workload, green, colour, replicas, {
          [TEMPLATE_ANNOTATION]: target.fingerprint,
        }),
        logger,
      );
      logger.info(`Applied ${green} (${replicas ?? 1} replicas) beside ${activeName}`);
      // The idle colour may carry the mark of an older, different release that failed on it: not this one's.
      if (existingGreen && readMark(existingGreen)) await clearMark(client, ns, green);
    }

    await opts.onStart?.({
      green: state!.green,
      blue: state!.blue,
      resumed: state!.events.some((e) => e.event === 'resumed'),
      release: releaseOf(target, state!.green),
    });

    // Green must run before it is judged (again on resume: a crashed pod is caught here, not by the analysis).
    if (state!.stage === 'validating') {
      await applyPreview(client, svc, state!.greenSelector, logger);
      try {
        const w = await resolveWorkload(client, new Discovery(client), {
          type: 'deployment',
          name: state!.green,
          namespace: ns,
        });
        await followRolloutStatus(client, w, {
          timeoutMs: opts.readyTimeoutMs,
          clock,
          logger,
          onMessage: (line) => logger.info(line.trimEnd()),
        });
      } catch (e) {
        return await fail(`${state!.green} did not become ready: ${(e as Error).message}`);
      }
      if (state!.roundCount === 0) {
        await save(
          withEvent(enterStage(state!, 'validating', clock.now()), { at: now(clock), event: 'green-ready' }),
        );
        logger.info(
          `Validating ${state!.green} through ${serviceName}-preview for ${opts.timing.validationMs / 1000}s`,
        );
      }
    }
    await analysis.preflight(opts.signal);

    const deadline = opts.maxDurationMs > 0 ? started + opts.maxDurationMs : Infinity;
    const pause = async () => {
      await save(withEvent(state!, { at: now(clock), event: 'paused', detail: state!.stage }));
      logger.info(`max-duration reached: ${state!.green} is ${state!.stage}; run again to continue`);
      return result('progressing');
    };
    const waitUntil = async (at: number) => {
      if (at > deadline) return false;
      const left = at - clock.now();
      if (left > 0) await sleep(clock, left, opts.signal);
      if (opts.signal?.aborted) throw new Error('cancelled');
      return true;
    };

    for (;;) {
      const d = decide(state!, opts.timing);
      if (d.kind === 'done') return result(state!.phase);
      if (d.kind === 'analyse') {
        if (!(await waitUntil(d.at))) return await pause();
        const round = await analysis.round(opts.signal, clock.now);
        const r = recordRound(state!, round, opts.failureThreshold);
        const line = Object.entries(round.checks)
          .map(
            ([n, c]) =>
              `${n} ${c.ok ? 'ok' : c.unreachable ? 'unreachable' : 'FAIL'}${c.value ? ` (${c.value})` : ''}`,
          )
          .join(', ');
        logger.info(`${state!.stage} round ${r.state.roundCount}: ${line}`);
        if (r.trip) {
          const failedAt = clock.now();
          state = withEvent(
            { ...r.state, trip: { ...r.trip, stage: r.state.stage } },
            {
              at: now(clock),
              event: 'check-failed',
              detail: describeTrip(r.trip),
            },
          );
          return await fail(describeTrip(r.trip), failedAt);
        }
        await save(r.state);
        continue;
      }
      if (d.kind === 'switch') {
        if (!state!.merged && opts.beforeSwitch) {
          try {
            await opts.beforeSwitch();
          } catch (e) {
            if (!(e instanceof ConfigurationError)) throw e;
            return await fail(e.message);
          }
          state = withEvent({ ...state!, merged: true }, { at: now(clock), event: 'merged' });
        }
        const next = withEvent(
          enterStage(withEvent(state!, { at: now(clock), event: 'validated' }), 'watching', clock.now()),
          {
            at: now(clock),
            event: 'switched',
            detail: `${serviceName} → ${state!.green}`,
          },
        );
        // The switch: one write of the Service, selector and state together.
        await save(next, { selector: state!.greenSelector, active: state!.green });
        logger.info(
          `Switched ${serviceName} to ${state!.green}; watching for ${opts.timing.watchMs / 1000}s`,
        );
        continue;
      }
      // scale-down
      if (state!.stage !== 'scaling-down') await save(enterStage(state!, 'scaling-down', clock.now()));
      const at = decide(state!, opts.timing);
      if (at.kind === 'scale-down' && !(await waitUntil(at.at))) return await pause();
      await scale(client, ns, state!.blue, 0);
      logger.info(`Scaled ${state!.blue} down; ${state!.green} serves ${serviceName}`);
      await save(
        withEvent(
          { ...state!, phase: 'promoted', stage: 'done' },
          { at: now(clock), event: 'scaled-down', detail: state!.blue },
        ),
      );
      return result('promoted');
    }

    /**
     * Ends the promotion with blue serving: the selector back on blue in one write (when it had moved),
     * the preview back on blue, green marked failed and scaled down.
     */
    async function fail(reason: string, failedAt?: number, requested = false): Promise<PromoteResult> {
      const s = state!;
      const switched = s.stage !== 'validating';
      const phase: Phase = requested
        ? 'aborted'
        : outcomeOfTrip(s) === 'aborted' || !switched
          ? 'aborted'
          : 'rolled-back';
      const finalState = withEvent(
        { ...s, phase, stage: 'done' },
        {
          at: now(clock),
          event: switched ? 'switched-back' : 'aborted',
          detail: reason,
        },
      );
      let switchBackMs: number | undefined;
      if (switched) {
        await save(finalState, { selector: s.blueSelector, active: s.blue });
        if (failedAt !== undefined) switchBackMs = clock.now() - failedAt;
        logger.info(
          `Switched ${serviceName} back to ${s.blue}${switchBackMs !== undefined ? ` ${switchBackMs} ms after the failed round` : ''}`,
        );
      } else {
        await save(finalState);
      }
      await applyPreview(client, svc, s.blueSelector, logger);
      const green = await getDeployment(client, ns, s.green);
      if (green) {
        await markFailed(client, ns, green, s.fingerprint, reason, now(clock));
        await scale(client, ns, s.green, 0);
        logger.info(`Marked ${s.green} failed and scaled it down`);
      }
      return result(phase, {
        failure: reason,
        ...(s.trip ? { trip: s.trip } : {}),
        ...(switchBackMs !== undefined ? { switchBackMs } : {}),
      });
    }
  } finally {
    await lock.release();
  }
}

function releaseOf(target: Target, workload: string): Release {
  const images: Record<string, string> = {};
  for (const ref of Object.values(target.images)) {
    try {
      images[imageName(parseImageReference(ref))] = ref;
    } catch {
      // an image the server will judge; the release names only what parses
    }
  }
  return {
    version: 'v1',
    cluster: {},
    namespace: target.ns,
    images,
    workloads: [
      {
        kind: 'Deployment',
        name: workload,
        namespace: target.ns,
        revisionBefore: null,
        revisionAfter: null,
        images: target.images,
      },
    ],
    createdAt: new Date().toISOString(),
  };
}
