import { recordFailures, type RoundRecord, type Trip } from '@upgrade-actions/analysis';
import type { CanaryState, StepRecord } from './state';
import { MAX_ROUNDS_KEPT } from './state';

export interface Timing {
  /** How long each step is analysed before the next (`step-interval`). */
  stepIntervalMs: number;
  /** How often the analysis runs within a step (`analysis-interval`). */
  analysisIntervalMs: number;
}

/** What the engine does next. Pure: the engine owns the clock, the router and the analysis. */
export type Decision =
  | { kind: 'done' }
  /** Run an analysis round at `at` (now or later). */
  | { kind: 'analyse'; at: number }
  /** Nothing to do until `until` (the step's end). */
  | { kind: 'wait'; until: number }
  | { kind: 'advance'; step: number; weight: number }
  | { kind: 'promote' };

const ms = (iso: string) => Date.parse(iso);

function current(state: CanaryState): StepRecord {
  return state.history[state.history.length - 1];
}

/**
 * Rounds fall every analysis interval from the step's start, the last one no later than the step's end,
 * and every step has at least one round; once the step's time is up and its rounds are in, the canary
 * moves to the next step — or, after the last (100%), is promoted.
 */
export function decide(state: CanaryState, now: number, t: Timing): Decision {
  if (state.phase === 'promoted' || state.phase === 'aborted') return { kind: 'done' };
  const step = current(state);
  const start = ms(step.startedAt);
  const end = start + t.stepIntervalMs;
  const last = step.rounds.length > 0 ? ms(step.rounds[step.rounds.length - 1].at) : start;
  const due = last + t.analysisIntervalMs;
  if (step.roundCount === 0 || due <= end) return { kind: 'analyse', at: Math.min(due, end) };
  if (now < end) return { kind: 'wait', until: end };
  // A step whose checks are failing does not advance, whatever its time says: it is held, and analysed
  // again, until the checks pass or the gate trips (Flagger holds the weight the same way).
  if (Object.values(step.consecutiveFailures).some((n) => n > 0)) return { kind: 'analyse', at: due };
  if (state.step >= state.steps.length - 1) return { kind: 'promote' };
  return { kind: 'advance', step: state.step + 1, weight: state.steps[state.step + 1] };
}

/**
 * Adds one analysis round to the step in flight, through the analysis' consecutive-failure gate (a
 * failure extends a check's run, a pass resets it, an unreachable observation does neither). The run
 * carries over between invocations: it lives in the step's record.
 */
export function recordRound(
  state: CanaryState,
  round: RoundRecord,
  threshold: number,
): { state: CanaryState; trip?: Trip } {
  const step = current(state);
  const { consecutive, unreachable, trip } = recordFailures(
    step.consecutiveFailures,
    round,
    threshold,
    step.consecutiveUnreachable,
  );
  const { consecutiveUnreachable: _previous, ...rest } = step;
  const next: StepRecord = {
    ...rest,
    rounds: [...step.rounds, round].slice(-MAX_ROUNDS_KEPT),
    roundCount: step.roundCount + 1,
    consecutiveFailures: consecutive,
    ...(Object.keys(unreachable).length ? { consecutiveUnreachable: unreachable } : {}),
  };
  return { state: { ...state, history: [...state.history.slice(0, -1), next] }, ...(trip ? { trip } : {}) };
}

export function advance(state: CanaryState, step: number, now: number): CanaryState {
  return {
    ...state,
    step,
    history: [
      ...state.history,
      {
        weight: state.steps[step],
        startedAt: new Date(now).toISOString(),
        rounds: [],
        roundCount: 0,
        // A check's run of failures carries into the next step: failing at the end of one step and at
        // the start of the next is failing twice in a row.
        consecutiveFailures: { ...state.history[state.history.length - 1].consecutiveFailures },
        ...(state.history[state.history.length - 1].consecutiveUnreachable
          ? { consecutiveUnreachable: { ...state.history[state.history.length - 1].consecutiveUnreachable } }
          : {}),
      },
    ],
  };
}

export function aborted(state: CanaryState, reason: string): CanaryState {
  return { ...state, phase: 'aborted', reason };
}

export function promoted(state: CanaryState): CanaryState {
  return { ...state, phase: 'promoted' };
}

/** The share of traffic on the new version, as Argo Rollouts reports it: 100 once promoted, 0 once aborted. */
export function trafficWeight(state: CanaryState): number {
  if (state.phase === 'promoted') return 100;
  if (state.phase === 'aborted') return 0;
  return state.steps[state.step];
}
