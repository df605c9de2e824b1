import type { CanaryResult } from './engine';
import type { CanaryState } from './state';

/** The `analysis` output: per step, its weight and each kept round with every check and what it saw. */
export function analysisJson(state: CanaryState | undefined): string {
  if (!state) return '[]';
  return JSON.stringify(
    state.history.map((h, i) => ({
      step: i,
      weight: h.weight,
      startedAt: h.startedAt,
      rounds: h.roundCount,
      consecutiveFailures: h.consecutiveFailures,
      checks: h.rounds,
    })),
  );
}

const pct = (n: number) => `${n}%`;

/** One row per step reached: weight, start, rounds, and each check's last observation. */
export function stepRows(state: CanaryState | undefined): string[][] {
  if (!state) return [];
  return state.history.map((h, i) => {
    const last = h.rounds[h.rounds.length - 1];
    const checks = last
      ? Object.entries(last.checks)
          .map(
            ([name, o]) =>
              `${o.unreachable ? '?' : o.ok ? '✓' : '✗'} ${name}${o.value ? ` ${o.value}` : ''}${o.threshold ? ` (${o.threshold})` : ''}`,
          )
          .join('; ')
      : '';
    return [`${i + 1}/${state.steps.length}`, pct(h.weight), h.startedAt, String(h.roundCount), checks];
  });
}

const number = (text: string | undefined): number | undefined => {
  const m = /^-?\d+(\.\d+)?(e-?\d+)?/.exec(text ?? '');
  return m ? Number(m[0]) : undefined;
};
const stableOf = (text: string | undefined): number | undefined => {
  const m = / vs stable (-?\d+(\.\d+)?(e-?\d+)?)/.exec(text ?? '');
  return m ? Number(m[1]) : undefined;
};
const label = (s: string) => `"${s.replace(/"/g, "'")}"`;

/**
 * The rollout as a picture GitHub renders: the weight reached at each step (bars up to where it stopped,
 * the planned steps after it at 0), and, when a gate stopped it, that check's values round by round
 * against the stable version's (comparison gates) — the value that stopped it is the last point.
 */
export function mermaidCharts(result: CanaryResult): string[] {
  const s = result.state;
  const steps = s?.steps ?? [];
  const reached = s?.history.map((h) => h.weight) ?? [];
  const bars = steps.map((_, i) => (i < reached.length ? reached[i] : 0));
  const title = `deployment/${result.workload}: ${result.phase}${result.trip ? ` at ${result.trip.check}` : ''}`;
  const weightChart = [
    'xychart-beta',
    `  title ${label(`${title} (traffic on the new version per step)`)}`,
    `  x-axis [${steps.map((w, i) => label(`step ${i + 1}: ${w}%`)).join(', ')}]`,
    '  y-axis "traffic %" 0 --> 100',
    `  bar [${bars.join(', ')}]`,
  ].join('\n');
  if (!result.trip || !s) return [weightChart];
  const rounds = s.history.flatMap((h) => h.rounds).filter((r) => r.checks[result.trip!.check]);
  const values = rounds.map((r) => number(r.checks[result.trip!.check].value));
  if (values.length < 2 || values.some((v) => v === undefined)) return [weightChart];
  const stable = rounds.map((r) => stableOf(r.checks[result.trip!.check].value));
  const lines = [`  line [${values.join(', ')}]`];
  if (stable.every((v) => v !== undefined)) lines.push(`  line [${stable.join(', ')}]`);
  return [
    weightChart,
    [
      'xychart-beta',
      `  title ${label(`${result.trip.check}${result.trip.threshold ? ` (${result.trip.threshold})` : ''}: new version${lines.length > 1 ? ' vs stable' : ''} per round`)}`,
      `  x-axis [${rounds.map((_, i) => label(`r${i + 1}`)).join(', ')}]`,
      ...lines,
    ].join('\n'),
  ];
}
