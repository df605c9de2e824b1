import { R } from '../resources';
import type { KObject } from '../types';
import type { Context } from './context';
import {
  isPodActive,
  isPodReady,
  parseTime,
  podPhase,
  splitKey,
  timestamp,
  type Condition,
  type LabelSelector,
} from './objects';
import { claim, writeStatus } from './ownership';
import { deletionOrder, podFromTemplate, type PodTemplate } from './pods';

export const JOB = 'job';
const COMPONENT = 'job-controller';

interface JobSpec {
  completions?: number;
  parallelism?: number;
  backoffLimit?: number;
  activeDeadlineSeconds?: number;
  selector?: LabelSelector;
  manualSelector?: boolean;
  suspend?: boolean;
  template?: PodTemplate;
}

interface JobStatus {
  startTime?: string;
  completionTime?: string;
  active?: number;
  succeeded?: number;
  failed?: number;
  ready?: number;
  terminating?: number;
  conditions?: Condition[];
  uncountedTerminatedPods?: Record<string, never>;
}

const restarts = (pod: KObject): number =>
  (
    (pod.status as { containerStatuses?: Array<{ restartCount?: number }> } | undefined)?.containerStatuses ??
    []
  ).reduce((n, c) => n + (c.restartCount ?? 0), 0);

function finishedCondition(s: JobStatus): Condition | undefined {
  return s.conditions?.find((c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True');
}

/**
 * The Job controller (NonIndexed completion mode): keeps `parallelism` pods running until
 * `completions` pods succeeded, counts failures (pod failures, and container restarts under
 * restartPolicy OnFailure) against backoffLimit, enforces activeDeadlineSeconds, and finishes with
 * SuccessCriteriaMet+Complete or FailureTarget+Failed as Kubernetes 1.31+ does.
 */
export function syncJob(ctx: Context, k: string): void {
  const [ns, name] = splitKey(k);
  let job = ctx.store.get(R.jobs, ns, name);
  if (!job) return;
  let spec = (job.spec ?? {}) as JobSpec;

  // The API server generates the selector and labels of a Job; do it here when it did not.
  if (!spec.selector && !spec.manualSelector) {
    const uid = job.metadata.uid!;
    const labels = {
      'batch.kubernetes.io/controller-uid': uid,
      'batch.kubernetes.io/job-name': name,
      'controller-uid': uid,
      'job-name': name,
    };
    spec.selector = { matchLabels: { 'batch.kubernetes.io/controller-uid': uid } };
    spec.template = {
      ...(spec.template ?? {}),
      metadata: {
        ...(spec.template?.metadata ?? {}),
        labels: { ...(spec.template?.metadata?.labels ?? {}), ...labels },
      },
    };
    job = ctx.store.update(R.jobs, {
      ...job,
      spec,
      metadata: { ...job.metadata, resourceVersion: undefined },
    });
    spec = job.spec as JobSpec;
  }

  const old = (job.status ?? {}) as JobStatus;
  const now = ctx.now();
  const status: JobStatus = { ...structuredClone(old) };
  const pods = claim(ctx, R.pods, job, spec.selector);
  const active = pods.filter(isPodActive);
  const succeeded = pods.filter((p) => podPhase(p) === 'Succeeded').length;
  const failedPods = pods.filter((p) => podPhase(p) === 'Failed').length;
  const restartPolicy = (spec.template?.spec as { restartPolicy?: string } | undefined)?.restartPolicy;
  const failures =
    failedPods + (restartPolicy === 'OnFailure' ? active.reduce((n, p) => n + restarts(p), 0) : 0);

  const finished = finishedCondition(status);
  if (!finished && !spec.suspend) {
    status.startTime ??= timestamp(now);
    const completions = spec.completions ?? (spec.parallelism === undefined ? 1 : undefined);
    const parallelism = spec.parallelism ?? 1;
    const backoffLimit = spec.backoffLimit ?? 6;
    const started = parseTime(status.startTime)!;
    const deadline = spec.activeDeadlineSeconds;

    let failure: [string, string] | undefined;
    if (failures > backoffLimit)
      failure = ['BackoffLimitExceeded', 'Job has reached the specified backoff limit'];
    else if (deadline !== undefined && now.getTime() - started >= deadline * 1000)
      failure = ['DeadlineExceeded', 'Job was active longer than specified deadline'];
    const complete =
      completions !== undefined ? succeeded >= completions : succeeded > 0 && active.length === 0;

    if (failure || complete) {
      for (const p of active) removePod(ctx, job, p);
      const t = timestamp(now);
      const cond = (type: string, reason: string, message: string): Condition => ({
        type,
        status: 'True',
        lastProbeTime: t,
        lastTransitionTime: t,
        reason,
        message,
      });
      if (failure) {
        status.conditions = [
          ...(status.conditions ?? []),
          cond('FailureTarget', ...failure),
          cond('Failed', ...failure),
        ];
        ctx.event(job, 'Warning', failure[0], failure[1], COMPONENT);
      } else {
        const msg = 'Reached expected number of succeeded pods';
        status.conditions = [
          ...(status.conditions ?? []),
          cond('SuccessCriteriaMet', 'CompletionsReached', msg),
          cond('Complete', 'CompletionsReached', msg),
        ];
        status.completionTime = t;
        ctx.event(job, 'Normal', 'Completed', 'Job completed', COMPONENT);
      }
      active.length = 0;
    } else {
      const want =
        completions !== undefined
          ? Math.min(parallelism, completions - succeeded)
          : succeeded > 0
            ? 0
            : parallelism;
      if (active.length < want) {
        for (let i = active.length; i < want; i++) {
          const pod = ctx.store.create(
            R.pods,
            podFromTemplate(spec.template, job, { generateName: `${name}-` }),
          );
          active.push(pod);
          ctx.event(job, 'Normal', 'SuccessfulCreate', `Created pod: ${pod.metadata.name}`, COMPONENT);
        }
      } else if (active.length > want) {
        for (const p of [...active].sort(deletionOrder).slice(0, active.length - want)) {
          removePod(ctx, job, p);
          active.splice(active.indexOf(p), 1);
        }
      }
      if (deadline !== undefined) ctx.enqueueAt(JOB, k, started + deadline * 1000);
    }
  }

  status.active = active.length;
  status.succeeded = succeeded;
  status.failed = failedPods;
  status.ready = active.filter(isPodReady).length;
  status.terminating = 0;
  status.uncountedTerminatedPods = {};
  const out: Record<string, unknown> = { ...status };
  for (const f of ['active', 'succeeded', 'failed']) if (!out[f]) delete out[f];
  writeStatus(ctx.store, R.jobs, job, out);
}

function removePod(ctx: Context, job: KObject, pod: KObject): void {
  if (ctx.deletePod(pod))
    ctx.event(job, 'Normal', 'SuccessfulDelete', `Deleted pod: ${pod.metadata.name}`, COMPONENT);
}
