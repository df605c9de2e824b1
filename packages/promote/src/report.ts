import type { PromoteState, TimelineEvent } from './state';

/** Mermaid's gantt dates: UTC to the second, in the dateFormat declared below. */
const stamp = (iso: string) => iso.slice(0, 19);
/** Task names are free text in Mermaid but `:` and `#` and `;` end them. */
const label = (text: string) => text.replace(/[:#;]/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 80);

/**
 * The promotion as a Mermaid gantt chart for the job summary: green starting, validation, watch (red when
 * it failed), and milestones for the switch, the failed check and the switch back.
 */
export function timelineMermaid(state: PromoteState, endIso: string): string {
  const first = (e: TimelineEvent['event']) => state.events.find((x) => x.event === e)?.at;
  const ready = first('green-ready');
  const switched = first('switched');
  const failed = state.events.find((x) => x.event === 'check-failed');
  const end =
    state.events.find((x) => ['aborted', 'switched-back', 'scaled-down'].includes(x.event))?.at ?? endIso;
  const lines = [
    'gantt',
    `  title ${label(`${state.blue} → ${state.green}: ${state.phase}`)}`,
    '  dateFormat YYYY-MM-DDTHH:mm:ss',
    '  axisFormat %H:%M:%S',
    `  section ${label(state.green)}`,
    `  green starting :done, s, ${stamp(state.startedAt)}, ${stamp(ready ?? end)}`,
  ];
  if (ready) {
    const crit = state.trip?.stage === 'validating' ? 'crit, ' : '';
    lines.push(`  validation :${crit}done, v, ${stamp(ready)}, ${stamp(switched ?? end)}`);
  }
  if (switched) {
    const crit = state.phase === 'rolled-back' ? 'crit, ' : '';
    lines.push(`  watch :${crit}done, w, ${stamp(switched)}, ${stamp(end)}`);
    lines.push(`  switch to ${label(state.green)} :milestone, m1, ${stamp(switched)}, 0s`);
  }
  if (failed)
    lines.push(`  ${label(failed.detail ?? 'check failed')} :crit, milestone, m2, ${stamp(failed.at)}, 0s`);
  const back = first('switched-back');
  if (back) lines.push(`  back to ${label(state.blue)} :milestone, m3, ${stamp(back)}, 0s`);
  return lines.join('\n');
}

/** The timeline as table rows: time, event, detail. */
export function timelineRows(state: PromoteState): string[][] {
  return state.events.map((e) => [e.at.slice(11, 19), e.event, e.detail ?? '']);
}

/** The newest rounds as table rows: time, stage-less check outcomes. */
export function roundRows(state: PromoteState): string[][] {
  return state.rounds.map((r) => [
    r.at.slice(11, 19),
    Object.entries(r.checks)
      .map(
        ([n, c]) =>
          `${n}: ${c.ok ? 'ok' : c.unreachable ? 'unreachable' : 'failed'}${c.value ? ` (${c.value})` : ''}`,
      )
      .join('; '),
  ]);
}

export const promoteSummary = { timelineMermaid, timelineRows, roundRows };
