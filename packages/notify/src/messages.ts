/** What happened, for people: one notice turned into a Slack message or a generic JSON event. */
export interface RollbackNotice {
  /** `rolled-back`: every workload restored and verified; `failed`: something could not be restored or verified; `nothing`: already done or skipped. */
  status: 'rolled-back' | 'failed' | 'nothing';
  reason: string;
  namespace?: string;
  workloads: {
    workload: string;
    action: string;
    from?: number;
    to?: number;
    message: string;
  }[];
  durationSeconds: number;
  /** Link to the workflow run. */
  runUrl?: string;
  repository?: string;
  sha?: string;
}

const ICON: Record<RollbackNotice['status'], string> = {
  'rolled-back': ':leftwards_arrow_with_hook:',
  failed: ':rotating_light:',
  nothing: ':information_source:',
};

export function headline(n: RollbackNotice): string {
  const what =
    n.status === 'rolled-back'
      ? `Rolled back ${n.workloads.filter((w) => w.action === 'rolled-back').length} workload(s)`
      : n.status === 'failed'
        ? 'Rollback did not fully recover'
        : 'Rollback: nothing to do';
  return `${what}${n.repository ? ` in ${n.repository}` : ''}: ${n.reason}`;
}

/** Slack's incoming-webhook format: `text` (also the notification) and Block Kit `blocks`. Mattermost and Rocket.Chat read `text`. */
export function slackMessage(n: RollbackNotice): { text: string; blocks: object[] } {
  const lines = n.workloads.map(
    (w) =>
      `• \`${w.workload}\` ${w.action}` +
      (w.from !== undefined ? ` (revision ${w.from} → ${w.to})` : '') +
      ` — ${w.message}`,
  );
  const text = `${ICON[n.status]} ${headline(n)}`;
  const blocks: object[] = [
    { type: 'section', text: { type: 'mrkdwn', text: `*${escapeSlack(text)}*` } },
    { type: 'section', text: { type: 'mrkdwn', text: escapeSlack(lines.join('\n') || 'no workloads') } },
  ];
  const context = [`took ${n.durationSeconds.toFixed(1)} s`];
  if (n.sha) context.push(`commit ${n.sha.slice(0, 7)}`);
  if (n.runUrl) context.push(`<${n.runUrl}|workflow run>`);
  blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: context.join(' · ') }] });
  return { text, blocks };
}

/** Slack's three control characters; everything else is literal. */
function escapeSlack(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** The generic webhook body: a versioned event any receiver can parse. */
export function genericEvent(n: RollbackNotice): Record<string, unknown> {
  return { event: 'rollback', version: 'v1', summary: headline(n), ...n };
}
