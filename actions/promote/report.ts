import { wrapError, type Logger } from '@upgrade-actions/common';
import { client, upsertStickyComment } from '@upgrade-actions/github';
import { genericEvent, headline, postJson, slackMessage, type RollbackNotice } from '@upgrade-actions/notify';
import type { PromoteResult } from '@upgrade-actions/promote';
import { promoteSummary as rows } from '@upgrade-actions/promote';
import { Summary } from '@upgrade-actions/toolkit';

export const COMMENT_MARKER = '<!-- upgrade-actions:promote -->';

export { repository as github } from '@upgrade-actions/github';

/** `promote web-green rolled-back: web-preview:80/healthz failed 3 times in a row (status 500); web serves again`. */
export function failureLine(r: PromoteResult): string {
  const green = r.state?.green ?? r.previous;
  const tail =
    r.phase === 'rolled-back' ? `; traffic is back on ${r.active}` : `; traffic never left ${r.active}`;
  return `promote ${green} ${r.phase}: ${r.failure ?? 'failed'}${tail}`;
}

export function promoteSummary(r: PromoteResult): Summary {
  const s = new Summary().heading(`Promote: ${r.phase}`, 2);
  const lines = [
    `${r.service} serves ${r.active}${r.state ? ` (green ${r.state.green}, blue ${r.state.blue})` : ''}`,
    r.failure ? `Why: ${r.failure}` : '',
    r.switchBackMs !== undefined ? `Back on blue ${r.switchBackMs} ms after the failed round` : '',
  ].filter(Boolean);
  s.table(
    ['Service', 'Phase', 'Active', 'Previous', 'Details'],
    [[`${r.namespace}/${r.service}`, r.phase, r.active, r.previous, lines.join('; ')]],
  );
  if (r.state) {
    s.mermaid(rows.timelineMermaid(r.state, new Date().toISOString()));
    s.table(['Time (UTC)', 'Event', 'Detail'], rows.timelineRows(r.state));
    const rounds = rows.roundRows(r.state);
    if (rounds.length) s.table(['Round (UTC)', `Checks (${r.state.stage})`], rounds);
  }
  return s;
}

/** Who hears about a switch back or an abort, as rollback notifies: best effort, a failure is a warning. */
export async function notifyOutcome(
  i: { slackWebhook: string; webhook: string; token: string; comment: boolean },
  r: PromoteResult,
  event: Record<string, unknown>,
  logger: Logger,
): Promise<void> {
  const env = process.env;
  const server = env.GITHUB_SERVER_URL ?? 'https://github.com';
  const n: RollbackNotice = {
    status: r.phase === 'rolled-back' ? 'rolled-back' : 'failed',
    reason: failureLine(r),
    namespace: r.namespace,
    workloads: [
      {
        workload: `${r.namespace}/${r.service}`,
        action: r.phase,
        message: `${r.active} serves; ${r.previous} scaled down`,
      },
    ],
    durationSeconds: r.state ? Math.round((Date.now() - Date.parse(r.state.startedAt)) / 1000) : 0,
    runUrl:
      env.GITHUB_REPOSITORY && env.GITHUB_RUN_ID
        ? `${server}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}`
        : undefined,
    repository: env.GITHUB_REPOSITORY,
    sha: env.GITHUB_SHA,
  };
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
  const [owner, repo] = (env.GITHUB_REPOSITORY ?? '').split('/');
  const pr = (event.pull_request as { number?: number } | undefined)?.number;
  if (i.token && i.comment && owner && repo && pr) {
    await attempt(`pull request #${pr} comment`, () =>
      upsertStickyComment(
        client({ token: i.token }),
        { owner, repo, number: pr },
        COMMENT_MARKER,
        `${COMMENT_MARKER}\n### ${headline(n)}`,
        { logger },
      ),
    );
  }
}
