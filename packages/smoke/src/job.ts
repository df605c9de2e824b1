import http from 'node:http';
import https from 'node:https';
import { parseImageReference } from '@upgrade-actions/images';
import {
  checkKubeName,
  ConfigurationError,
  formatDuration,
  onCancel,
  silentLogger,
  type Logger,
} from '@upgrade-actions/common';
import { untilWithSync, WaitTimeoutError, type KubeClient, type KubeObject } from '@upgrade-actions/kube';
import { apiServerAccess, HINTS, httpRequest, type ApiCredentials } from '@upgrade-actions/probe';
import type { SmokeReport } from './runner';

export interface JobSmokeOptions {
  client: KubeClient;
  namespace: string;
  image: string;
  /** The container's command (entrypoint) and args; no shell is added. */
  command?: string[];
  args?: string[];
  env?: Record<string, string>;
  /** Whole run, from creating the Job to its end (default 10 minutes). */
  timeoutMs?: number;
  logger?: Logger;
  signal?: AbortSignal;
}

export interface JobSmokeResult {
  passed: boolean;
  job: string;
  pod: string | null;
  exitCode: number | null;
  /** One line: why it passed or failed. */
  reason: string;
  logs: string[];
  durationMs: number;
}

/** Waiting reasons after which the container will not start on its own: fail now with the seed's hint. */
const STUCK = new Set(['ErrImagePull', 'ImagePullBackOff', 'InvalidImageName', 'CreateContainerConfigError']);

interface PodObject extends KubeObject {
  status?: {
    phase?: string;
    containerStatuses?: Array<{
      state?: {
        waiting?: { reason?: string; message?: string };
        terminated?: { exitCode?: number; reason?: string };
      };
    }>;
  };
}

interface JobObject extends KubeObject {
  status?: {
    succeeded?: number;
    failed?: number;
    conditions?: Array<{ type: string; status: string; reason?: string; message?: string }>;
  };
}

function jobManifest(o: JobSmokeOptions): KubeObject {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: {
      generateName: 'smoke-test-',
      namespace: o.namespace,
      labels: {
        'app.kubernetes.io/managed-by': 'upgrade-actions',
        'app.kubernetes.io/component': 'smoke-test',
      },
    },
    spec: {
      // One try: a smoke test that fails must fail the step, not be retried into a pass.
      backoffLimit: 0,
      template: {
        metadata: { labels: { 'app.kubernetes.io/managed-by': 'upgrade-actions' } },
        spec: {
          restartPolicy: 'Never',
          containers: [
            {
              name: 'smoke',
              image: o.image,
              ...(o.command?.length ? { command: o.command } : {}),
              ...(o.args?.length ? { args: o.args } : {}),
              ...(o.env ? { env: Object.entries(o.env).map(([name, value]) => ({ name, value })) } : {}),
            },
          ],
        },
      },
    },
  } as KubeObject;
}

/** Follows a pod's log, one callback per line, until the signal aborts or the server ends the stream. */
function followLog(
  api: ApiCredentials & { server: string },
  path: string,
  onLine: (l: string) => void,
  signal: AbortSignal,
): Promise<void> {
  return new Promise((resolve) => {
    const url = new URL(path, api.server);
    const lib = url.protocol === 'https:' ? https : http;
    const req = lib.request(url, {
      headers: api.headers,
      signal,
      ...(url.protocol === 'https:'
        ? {
            rejectUnauthorized: !api.tls.insecureSkipVerify,
            ca: api.tls.ca,
            cert: api.tls.cert,
            key: api.tls.key,
            servername: api.tls.servername,
          }
        : {}),
    });
    req.on('response', (res) => {
      if ((res.statusCode ?? 0) >= 300) {
        res.resume();
        return resolve();
      }
      let buffer = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk;
        let nl: number;
        while ((nl = buffer.indexOf('\n')) >= 0) {
          onLine(buffer.slice(0, nl));
          buffer = buffer.slice(nl + 1);
        }
      });
      res.on('end', () => resolve());
      res.on('error', () => resolve());
    });
    // Best effort: the full log is read again once the Job has finished.
    req.on('error', () => resolve());
    req.end();
  });
}

/**
 * The in-cluster form of the smoke test: a Job from an image and command in the release namespace,
 * its log streamed into the step log, passing on exit code 0. The Job is always deleted (with its
 * pods, propagationPolicy Background as `kubectl delete job` does), on failure and timeout too.
 */
export async function runSmokeJob(o: JobSmokeOptions): Promise<JobSmokeResult> {
  if (!o.image.trim()) throw new ConfigurationError('image: give the image of the smoke test Job');
  // Checked as a reference before anything is sent: `x; touch …` never reaches the API server.
  parseImageReference(o.image, 'image');
  checkKubeName('namespace', o.namespace, 'label', 'a namespace name');
  const log = o.logger ?? silentLogger;
  const started = Date.now();
  const timeout = AbortSignal.timeout(o.timeoutMs ?? 600_000);
  const signal = o.signal ? AbortSignal.any([timeout, o.signal]) : timeout;
  const ns = encodeURIComponent(o.namespace);
  const access = apiServerAccess(o.client.access, o.namespace);
  const api = { server: access.server, ...(await access.credentials()) };
  const created = await o.client.request<KubeObject>('POST', `/apis/batch/v1/namespaces/${ns}/jobs`, {
    body: jobManifest(o),
  });
  const job = created.metadata!.name!;
  log.info(`job/${job} created in ${o.namespace} (image ${o.image})`);
  // Deleted once, whichever comes first: the end of the run, or a cancelled step (the process exits after
  // the cancel handlers, so a `finally` alone would leave the Job running in the cluster).
  let deleting: Promise<void> | undefined;
  const deleteJob = () =>
    (deleting ??= (async () => {
      try {
        await o.client.request('DELETE', `/apis/batch/v1/namespaces/${ns}/jobs/${encodeURIComponent(job)}`, {
          query: { propagationPolicy: 'Background' },
        });
        log.info(`job/${job} deleted`);
      } catch (e) {
        log.warning(
          `could not delete job/${job}: ${(e as Error).message}; delete it with kubectl delete job -n ${o.namespace} ${job}`,
        );
      }
    })());
  const unregisterCancel = onCancel(deleteJob);
  const printed: string[] = [];
  let pod: string | null = null;
  const result = (passed: boolean, exitCode: number | null, reason: string): JobSmokeResult => ({
    passed,
    job,
    pod,
    exitCode,
    reason,
    logs: printed,
    durationMs: Date.now() - started,
  });

  try {
    // 1. The pod: running or finished, or stuck in a way that will not heal.
    let stuck: string | undefined;
    const p = (await untilWithSync(
      o.client,
      { path: `/api/v1/namespaces/${ns}/pods`, labelSelector: `batch.kubernetes.io/job-name=${job}`, signal },
      (_type, obj) => {
        const s = (obj as PodObject).status;
        const waiting = s?.containerStatuses?.[0]?.state?.waiting;
        if (waiting?.reason && STUCK.has(waiting.reason)) {
          stuck = `${waiting.reason}${waiting.message ? `: ${waiting.message}` : ''}; ${HINTS[waiting.reason]}`;
          return true;
        }
        return s?.phase !== undefined && s.phase !== 'Pending';
      },
    )) as PodObject;
    pod = p.metadata!.name!;
    if (stuck) return result(false, null, `pod ${pod} cannot start: ${stuck}`);

    // 2. Stream the log while waiting for the Job to finish.
    const logPath = `/api/v1/namespaces/${ns}/pods/${encodeURIComponent(pod)}/log`;
    const stopLog = new AbortController();
    const following = followLog(
      api,
      `${logPath}?follow=true`,
      (l) => {
        printed.push(l);
        log.info(l);
      },
      AbortSignal.any([stopLog.signal, signal]),
    );
    const done = (await untilWithSync(
      o.client,
      { path: `/apis/batch/v1/namespaces/${ns}/jobs`, fieldSelector: `metadata.name=${job}`, signal },
      (type, obj) => {
        if (type === 'DELETED') throw new Error(`job/${job} was deleted while it ran`);
        const s = (obj as JobObject).status;
        return (s?.succeeded ?? 0) > 0 || (s?.failed ?? 0) > 0;
      },
    )) as JobObject;
    stopLog.abort();
    await following;

    // 3. Whatever the stream missed (it may start late or end early), from the full log.
    try {
      const full = await httpRequest({
        url: new URL(logPath, api.server).toString(),
        headers: api.headers,
        tls: api.tls,
        timeoutMs: 30_000,
      });
      if (full.status < 300) {
        const lines = full.body.toString('utf8').split('\n');
        if (lines.at(-1) === '') lines.pop();
        for (const l of lines.slice(printed.length)) {
          printed.push(l);
          log.info(l);
        }
      }
    } catch {
      // the log is a convenience; the verdict comes from the Job
    }
    const finished = (await o.client.get(
      `/api/v1/namespaces/${ns}/pods/${encodeURIComponent(pod)}`,
    )) as PodObject;
    const exitCode = finished.status?.containerStatuses?.[0]?.state?.terminated?.exitCode ?? null;
    if ((done.status?.succeeded ?? 0) > 0) return result(true, exitCode ?? 0, `job/${job} succeeded`);
    const failedCond = done.status?.conditions?.find((c) => c.type === 'Failed' && c.status === 'True');
    return result(
      false,
      exitCode,
      `job/${job} failed${exitCode !== null ? ` with exit code ${exitCode}` : ''}${failedCond?.message ? `: ${failedCond.message}` : ''}`,
    );
  } catch (e) {
    if (e instanceof WaitTimeoutError) {
      if (o.signal?.aborted) return result(false, null, `job/${job} cancelled`);
      return result(
        false,
        null,
        `job/${job} did not finish within ${formatDuration(o.timeoutMs ?? 600_000)}`,
      );
    }
    throw e;
  } finally {
    unregisterCancel();
    await deleteJob();
  }
}

/** The Job's outcome as a smoke report (one test), so outputs, the summary and JUnit work the same. */
export function jobReport(r: JobSmokeResult, image: string): SmokeReport {
  return {
    passed: r.passed ? 1 : 0,
    failed: r.passed ? 0 : 1,
    total: 1,
    timestamp: new Date(Date.now() - r.durationMs).toISOString(),
    durationMs: r.durationMs,
    steps: [
      {
        name: `job ${r.job}`,
        phase: 'test',
        status: r.passed ? 'passed' : 'failed',
        attempts: 1,
        latency: null,
        request: `Job ${r.job} (${image})`,
        failures:
          r.passed || r.exitCode === null
            ? []
            : [{ assertion: 'exit code', expected: '0', actual: String(r.exitCode) }],
        ...(r.passed || r.exitCode !== null ? {} : { error: r.reason }),
        durationMs: r.durationMs,
      },
    ],
  };
}
