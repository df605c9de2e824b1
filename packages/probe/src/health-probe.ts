import type { HealthStatus } from './types';
import { ConfigurationError, parseDuration, type Logger } from '@upgrade-actions/common';
import type { KubeClient } from '@upgrade-actions/kube';
import type { Release } from '@upgrade-actions/release';
import { apiServerAccess, workloadPodCheck } from './cluster';
import { warningEventsCheck } from './events';
import { runProbe, type ProbeOptions } from './probe';
import type { ProbeReport } from './report';
import { buildChecks, needsCluster, type ProbeInputs } from './spec';

/** Everything the health-probe action reads, already typed by the toolkit. */
export interface HealthProbeInputs extends ProbeInputs {
  mode: string;
  duration: string;
  interval: string;
  failureThreshold: number;
  /** SEEDS.md §5's gate between stages: no Warning events from the release's objects since it was created. */
  failOnWarningEvents?: boolean;
}

export interface HealthProbeDeps {
  /** The deploy step's release: its workloads get the basic-level check, its namespace is the default for services. */
  release?: Release;
  /** The cluster, for the basic level and service targets; made by the caller from the kubeconfig input. */
  client?: KubeClient;
  logger?: Logger;
  signal?: AbortSignal;
  now?: ProbeOptions['now'];
  sleep?: ProbeOptions['sleep'];
}

/** The action's outputs, as strings and booleans the toolkit writes. */
export interface HealthProbeOutputs {
  status: HealthStatus;
  report: string;
  shouldRollback: boolean;
  consecutiveFailures: number;
}

/**
 * Validates every input and builds the checks and the run options, before any request: the basic
 * level for each workload of the release (when a cluster is given), service and business levels from
 * the inputs. Throws ConfigurationError naming the input.
 */
export function planHealthProbe(inputs: HealthProbeInputs, deps: HealthProbeDeps = {}): ProbeOptions {
  if (inputs.mode !== 'once' && inputs.mode !== 'watch') {
    throw new ConfigurationError(`mode: "${inputs.mode}" is not a mode; use once or watch`);
  }
  if (!Number.isInteger(inputs.failureThreshold) || inputs.failureThreshold < 1) {
    throw new ConfigurationError(
      `failure-threshold: ${inputs.failureThreshold} is not a whole number of at least 1`,
    );
  }
  const durationMs = parseDuration(inputs.duration, 'duration');
  const intervalMs = parseDuration(inputs.interval, 'interval');
  if (inputs.mode === 'watch' && intervalMs <= 0)
    throw new ConfigurationError('interval: must be longer than 0s in watch mode');
  if (inputs.mode === 'watch' && durationMs <= 0)
    throw new ConfigurationError('duration: must be longer than 0s in watch mode');

  const podChecks =
    deps.release && deps.client ? deps.release.workloads.map((w) => workloadPodCheck(deps.client!, w)) : [];
  let api;
  if (needsCluster(inputs)) {
    if (!deps.client) {
      throw new ConfigurationError(
        'urls: service targets (name:port/path) need a cluster; give a kubeconfig, or use URLs',
      );
    }
    api = apiServerAccess(deps.client.access, deps.release?.namespace);
  }
  const hasOwnTargets = inputs.urls.some((u) => u.trim()) || !!inputs.checks?.trim();
  if (inputs.failOnWarningEvents && !(deps.release && deps.client)) {
    throw new ConfigurationError(
      'fail-on-warning-events: needs the release input and a cluster (kubeconfig)',
    );
  }
  const since = deps.release?.createdAt ? Date.parse(deps.release.createdAt) : NaN;
  const eventChecks =
    inputs.failOnWarningEvents && deps.release && deps.client
      ? [
          warningEventsCheck(
            deps.client,
            deps.release.workloads,
            Number.isFinite(since) ? since : (deps.now ?? Date.now)(),
          ),
        ]
      : [];
  const checks = [
    ...podChecks,
    ...eventChecks,
    ...(hasOwnTargets || !podChecks.length
      ? buildChecks(inputs, { api }, { presetDefaults: releaseBaseline(deps.release, deps.now) })
      : []),
  ];
  return {
    checks,
    mode: inputs.mode,
    durationMs,
    intervalMs,
    failureThreshold: inputs.failureThreshold,
    logger: deps.logger,
    signal: deps.signal,
    now: deps.now,
    sleep: deps.sleep,
  };
}

export function probeOutputs(report: ProbeReport): HealthProbeOutputs {
  return {
    status: report.status,
    report: JSON.stringify(report),
    shouldRollback: report.shouldRollback,
    consecutiveFailures: report.consecutiveFailures,
  };
}

/** The whole health-probe stage: plan, run, and the outputs to set. */
export async function healthProbe(
  inputs: HealthProbeInputs,
  deps: HealthProbeDeps = {},
): Promise<{ report: ProbeReport; outputs: HealthProbeOutputs }> {
  const report = await runProbe(planHealthProbe(inputs, deps));
  return { report, outputs: probeOutputs(report) };
}

/**
 * business-metric-drop compares with the metric's value before the deploy: the offset is the time since
 * the release was created (at least a minute, so the window is not the deploy's own first seconds).
 */
export function releaseBaseline(
  release: Release | undefined,
  now: () => number = Date.now,
): Record<string, string> {
  const created = release?.createdAt ? Date.parse(release.createdAt) : NaN;
  if (!Number.isFinite(created)) return {};
  return { baseline: `${Math.max(60, Math.round((now() - created) / 1000))}s` };
}
