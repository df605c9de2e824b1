import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigurationError, type Logger } from '@upgrade-actions/common';
import type { KubeClient } from '@upgrade-actions/kube';
import { apiServerAccess, parseTarget, type TlsOptions } from '@upgrade-actions/probe';
import type { Release } from '@upgrade-actions/release';
import { jobReport, runSmokeJob } from './job';
import { loadSmokeFile, type LoadedSmokeFile } from './load';
import { reportJUnit } from './report';
import { baseUrlText, runSmoke, type SmokeReport } from './runner';
import { flattenVariables } from './variables';

/**
 * What the smoke-test stage is asked to do, from the action's inputs or the CLI's flags. Either a
 * test `file`, or an in-cluster Job `image` (with `command`), not both. Paths are already absolute.
 */
export interface SmokeTestRequest {
  /** The YAML test file; `fileName` is how errors name it (as the user wrote it). */
  file?: string;
  fileName?: string;
  /**
   * Joined with each request's path; `${base-url}` in the file. A URL, or a Service reached through
   * the API server's proxy: `name[.namespace]:port[/path]` (needs the cluster's `client`).
   */
  baseUrl?: string;
  /** `${NAME}` variables given by the caller (`NAME=VALUE` lines). */
  variables?: string[];
  /** The deploy step's release: `${release.namespace}`, `${release.workloads.0.name}`, ... */
  release?: Release;
  insecureSkipTlsVerify?: boolean;
  caFile?: string;
  /** In-cluster Job mode: image, command (entrypoint) and args, in `namespace` (default: the release's). */
  image?: string;
  command?: string[];
  args?: string[];
  namespace?: string;
  jobTimeoutMs?: number;
  /** Where to write the JUnit XML report; empty: nowhere. */
  junitPath?: string;
  /** Names of the inputs, so that errors speak the caller's language (`base-url` or `--base-url`); '' names none. */
  names?: Partial<Record<'file' | 'baseUrl' | 'variables' | 'caFile' | 'image', string>>;
}

export interface SmokeTestDeps {
  /** The cluster, for Job mode and for a base URL that is a Service. */
  client?: KubeClient;
  logger?: Logger;
  signal?: AbortSignal;
}

/** A validated request: runs without any further input error. */
export type SmokePlan =
  | {
      mode: 'file';
      loaded: LoadedSmokeFile;
      tls: TlsOptions;
      junitPath?: string;
      /** The base URL is a Service: the run needs the cluster (SmokeTestDeps.client). */
      needsCluster: boolean;
      /** Default namespace of a Service base URL that names none: the release's (else the kubeconfig's). */
      namespace?: string;
      /** How errors name the base URL input. */
      baseUrlName: string;
    }
  | {
      mode: 'job';
      image: string;
      command: string[];
      args: string[];
      namespace?: string;
      timeoutMs?: number;
      junitPath?: string;
    };

function readText(file: string, what: string, shown: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    throw new ConfigurationError(
      `${what ? `${what}: ` : ''}cannot read ${shown} (${(e as NodeJS.ErrnoException).code ?? e})`,
    );
  }
}

/** `NAME=VALUE` lines into variables, refusing anything else. */
export function parseVariables(lines: string[], what = 'variables'): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of lines.map((l) => l.trim()).filter(Boolean)) {
    const i = line.indexOf('=');
    const name = i > 0 ? line.slice(0, i).trim() : '';
    if (!/^[A-Za-z_][\w.-]*$/.test(name))
      throw new ConfigurationError(`${what}: "${line}" is not NAME=VALUE`);
    out[name] = line.slice(i + 1);
  }
  return out;
}

/**
 * Checks every input and reads and validates the test file, before any request or Job: throws a
 * ConfigurationError naming the input (or `file:line:col` inside the test file).
 */
export function planSmokeTest(req: SmokeTestRequest): SmokePlan {
  const n = {
    file: 'file',
    baseUrl: 'base-url',
    variables: 'variables',
    caFile: 'ca-file',
    image: 'image',
    ...req.names,
  };
  const hasFile = !!req.file?.trim();
  const hasImage = !!req.image?.trim();
  if (hasFile === hasImage) {
    throw new ConfigurationError(
      `${n.file} or ${n.image}: give a smoke test file, or an image for the in-cluster Job, ${hasFile ? 'not both' : 'one of them'}`,
    );
  }
  const junitPath = req.junitPath?.trim() || undefined;
  if (hasImage) {
    return {
      mode: 'job',
      image: req.image!.trim(),
      command: req.command ?? [],
      args: req.args ?? [],
      namespace: req.namespace || req.release?.namespace,
      timeoutMs: req.jobTimeoutMs,
      junitPath,
    };
  }
  const variables = {
    ...(req.release ? flattenVariables('release', req.release) : {}),
    ...parseVariables(req.variables ?? [], n.variables),
  };
  if (req.baseUrl?.trim()) {
    // A URL or a Service (web.shop:80): refused here when it is neither, before any request.
    parseTarget(req.baseUrl.trim(), n.baseUrl);
    variables['base-url'] = req.baseUrl.trim();
  }
  const ca = req.caFile ? readText(req.caFile, n.caFile, req.caFile) : undefined;
  const shown = req.fileName ?? req.file!;
  const loaded = loadSmokeFile(readText(req.file!, n.file, shown), {
    fileName: shown,
    variables,
    baseUrlName: n.baseUrl,
  });
  const base = baseUrlText(loaded);
  const what = loaded.file.baseUrl !== undefined ? `${shown}: baseUrl` : n.baseUrl;
  return {
    mode: 'file',
    loaded,
    tls: { insecureSkipVerify: req.insecureSkipTlsVerify ?? false, ...(ca ? { ca } : {}) },
    junitPath,
    needsCluster: base !== undefined && parseTarget(base, what).kind === 'service',
    namespace: req.namespace || req.release?.namespace,
    baseUrlName: n.baseUrl,
  };
}

/** Runs a plan: the file's steps, or the Job; writes the JUnit report when asked. */
export async function runSmokePlan(plan: SmokePlan, deps: SmokeTestDeps = {}): Promise<SmokeReport> {
  let report: SmokeReport;
  if (plan.mode === 'file') {
    // A Service base URL goes through the API server with the kubeconfig's credentials.
    const api =
      plan.needsCluster && deps.client ? apiServerAccess(deps.client.access, plan.namespace) : undefined;
    report = await runSmoke(plan.loaded, {
      logger: deps.logger,
      signal: deps.signal,
      tls: plan.tls,
      api,
      baseUrlName: plan.baseUrlName,
    });
  } else {
    if (!deps.client)
      throw new ConfigurationError('image: the in-cluster Job needs a cluster; give a kubeconfig');
    const namespace = plan.namespace || deps.client.access.namespace || 'default';
    const r = await runSmokeJob({
      client: deps.client,
      namespace,
      image: plan.image,
      command: plan.command,
      args: plan.args,
      timeoutMs: plan.timeoutMs,
      logger: deps.logger,
      signal: deps.signal,
    });
    report = jobReport(r, plan.image);
  }
  if (plan.junitPath) {
    mkdirSync(path.dirname(plan.junitPath), { recursive: true });
    writeFileSync(plan.junitPath, reportJUnit(report));
  }
  return report;
}

/** The whole smoke-test stage, as the action and the CLI run it: plan (all input errors), then run. */
export async function smokeTest(req: SmokeTestRequest, deps: SmokeTestDeps = {}): Promise<SmokeReport> {
  return runSmokePlan(planSmokeTest(req), deps);
}
