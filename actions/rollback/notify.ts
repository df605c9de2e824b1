import { wrapError, type Logger } from '@upgrade-actions/common';
import { client, setDeploymentStatus, upsertStickyComment } from '@upgrade-actions/github';
import { genericEvent, headline, postJson, slackMessage, type RollbackNotice } from '@upgrade-actions/notify';
import type { RollbackResult } from '@upgrade-actions/rollback';

export const COMMENT_MARKER = '<!-- upgrade-actions:rollback -->';

export type Overall = 'rolled-back' | 'already-rolled-back' | 'nothing' | 'failed';

/** One word for the whole run: failed wins, then rolled-back, then already-rolled-back. */
export function overall(result: RollbackResult): Overall {
  const actions = result.outcomes.map((o) => o.action);
  if (actions.includes('failed')) return 'failed';
  if (actions.includes('rolled-back')) return 'rolled-back';
  if (actions.includes('already-rolled-back')) return 'already-rolled-back';
  return 'nothing';
}

export function noticeOf(
  result: RollbackResult,
  reason: string,
  namespace: string,
  env = process.env,
): RollbackNotice {
  const o = overall(result);
  const server = env.GITHUB_SERVER_URL ?? 'https://github.com';
  return {
    status: o === 'failed' ? 'failed' : o === 'rolled-back' ? 'rolled-back' : 'nothing',
    reason,
    namespace,
    workloads: result.outcomes.map((w) => ({
      workload: `${w.namespace}/${w.displayName}`,
      action: w.action,
      ...(w.from !== undefined ? { from: w.from, to: w.to } : {}),
      message: w.message,
    })),
    durationSeconds: Math.round(result.durationMs) / 1000,
    runUrl:
      env.GITHUB_REPOSITORY && env.GITHUB_RUN_ID
        ? `${server}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}`
        : undefined,
    repository: env.GITHUB_REPOSITORY,
    sha: env.GITHUB_SHA,
  };
}

export function commentMarkdown(n: RollbackNotice): string {
  const rows = n.workloads.map(
    (w) =>
      `| \`${w.workload}\` | ${w.action} | ${w.from ?? ''} | ${w.to ?? ''} | ${w.message.replace(/\|/g, '\\|')} |`,
  );
  return [
    COMMENT_MARKER,
    `### ${headline(n)}`,
    '',
    '| Workload | Outcome | From | To | Details |',
    '| --- | --- | --- | --- | --- |',
    ...rows,
    '',
    n.runUrl
      ? `[Workflow run](${n.runUrl}) · ${n.durationSeconds.toFixed(1)} s`
      : `${n.durationSeconds.toFixed(1)} s`,
  ].join('\n');
}

interface NotifyInputs {
  slackWebhook: string;
  webhook: string;
  githubToken: string;
  comment: boolean;
  deploymentId: string;
  deploymentState: 'failure' | 'inactive' | 'error';
}

/**
 * Every notification is best-effort: the rollback already happened, so a webhook or API that fails is
 * a warning, never the step's result. Webhook URLs were masked when the inputs were read.
 */
export async function notify(
  i: NotifyInputs,
  n: RollbackNotice,
  event: Record<string, unknown>,
  logger: Logger,
): Promise<void> {
  const attempt = async (what: string, fn: () => Promise<unknown>) => {
    try {
      await fn();
      logger.info(`Notified: ${what}`);
    } catch (e) {
      logger.warning(`${what}: ${wrapError(e).message}`);
    }
  };
  if (i.slackWebhook)
    await attempt('slack-webhook', () =>
      postJson(i.slackWebhook, slackMessage(n), { label: 'slack-webhook' }),
    );
  if (i.webhook) await attempt('webhook', () => postJson(i.webhook, genericEvent(n), { label: 'webhook' }));
  const [owner, repo] = (process.env.GITHUB_REPOSITORY ?? '').split('/');
  if (!i.githubToken || !owner || !repo) {
    if (i.deploymentId)
      logger.warning('deployment-id: needs github-token and GITHUB_REPOSITORY; no status was set');
    return;
  }
  const octokit = client({ token: i.githubToken });
  const pr = (event.pull_request as { number?: number } | undefined)?.number;
  if (i.comment && pr) {
    await attempt(`pull request #${pr} comment`, () =>
      upsertStickyComment(octokit, { owner, repo, number: pr }, COMMENT_MARKER, commentMarkdown(n), {
        logger,
      }),
    );
  }
  if (i.deploymentId) {
    await attempt(`deployment ${i.deploymentId} status`, () =>
      setDeploymentStatus(
        octokit,
        {
          owner,
          repo,
          deploymentId: Number(i.deploymentId),
          state: i.deploymentState,
          description: headline(n),
          logUrl: n.runUrl,
        },
        logger,
      ),
    );
  }
}
