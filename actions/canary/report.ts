import type { Logger } from '@upgrade-actions/common';
import { mermaidCharts, stepRows, type CanaryResult } from '@upgrade-actions/canary';
import type { RollbackNotice } from '@upgrade-actions/notify';
import { escapeHtml, Summary } from '@upgrade-actions/toolkit';
import { notify } from '../rollback/notify';

const HEADLINE: Record<CanaryResult['phase'], string> = {
  progressing: 'in progress',
  paused: 'paused',
  promoted: 'promoted',
  aborted: 'aborted',
};

/** The job summary: what happened in one line, the rollout as a chart GitHub renders, then every step. */
export function canarySummary(r: CanaryResult): Summary {
  const s = new Summary().heading(
    `Canary of deployment/${r.workload}: ${HEADLINE[r.phase]} (${r.weight}% on the new version)`,
    2,
  );
  s.paragraph(
    [
      `Router: ${r.router}`,
      `namespace ${r.namespace}`,
      r.trip
        ? `stopped by ${r.trip.check}: ${r.trip.value ?? r.trip.message ?? ''}${r.trip.threshold ? ` (${r.trip.threshold})` : ''}`
        : r.message,
    ]
      .map(escapeHtml)
      .join(' · '),
  );
  if (r.state) for (const chart of mermaidCharts(r)) s.mermaid(chart);
  const rows = stepRows(r.state);
  if (rows.length) s.table(['Step', 'Weight', 'Started', 'Rounds', 'Last round'], rows);
  return s;
}

interface NotifyInputs {
  slackWebhook: string;
  webhook: string;
  token: string;
  comment: boolean;
}

/** An abort is told as rollback tells a rollback: Slack, a generic webhook, the pull request. Best effort. */
export async function notifyAbort(
  i: NotifyInputs,
  r: CanaryResult,
  event: Record<string, unknown>,
  logger: Logger,
  env = process.env,
): Promise<void> {
  const server = env.GITHUB_SERVER_URL ?? 'https://github.com';
  const notice: RollbackNotice = {
    status: 'rolled-back',
    reason: `canary aborted: ${r.message}`,
    namespace: r.namespace,
    workloads: [
      {
        workload: `${r.namespace}/deployment.apps/${r.workload}`,
        action: 'rolled-back',
        message: `all traffic back on the stable version; deployment.apps/${r.canary} removed`,
      },
    ],
    durationSeconds: 0,
    runUrl:
      env.GITHUB_REPOSITORY && env.GITHUB_RUN_ID
        ? `${server}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}`
        : undefined,
    repository: env.GITHUB_REPOSITORY,
    sha: env.GITHUB_SHA,
  };
  await notify(
    {
      slackWebhook: i.slackWebhook,
      webhook: i.webhook,
      githubToken: i.token,
      comment: i.comment,
      deploymentId: '',
      deploymentState: 'failure',
    },
    notice,
    event,
    logger,
  );
}
