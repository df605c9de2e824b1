import { recordFailures, type RoundRecord, type Trip } from '@upgrade-actions/analysis';
import { MAX_ROUNDS_KEPT, type PromoteState, type Stage, type TimelineEvent } from './state';

export interface Timing {
  /** How long green is analysed before the switch (`validation`). */
  validationMs: number;
  /** How long green is watched after the switch (`watch`). */
  watchMs: number;
  /** How long blue stays up after a good watch (`scale-down-delay`). */
  scaleDownDelayMs: number;
  /** How often the analysis runs (`analysis-interval`). */
  intervalMs: number;
}

/** What the engine does next. Pure: the engine owns the clock, the cluster and the analysis. */
export type Decision =
  | { kind: 'done' }
  /** Run an analysis round at `at` (now or later). */
  | { kind: 'analyse'; at: number }
  /** Validation passed: (merge, then) switch the Service to green. */
  | { kind: 'switch' }
  /** The watch passed: wait until `at`, then scale blue down. */
  | { kind: 'scale-down'; at: number };

const ms = (iso: string) => Date.parse(iso);

/**
 * Rounds fall every analysis interval from the stage's start, the last no later than its end, and every
 * analysed stage has at least one round (a `validation` or `watch` of 0 still looks once). Once the
 * validation's rounds are in, green takes the traffic; once the watch's are, blue goes after the delay.
 * A stage ends only with every check's last round passed.
 */
export function decide(state: PromoteState, t: Timing): Decision {
  if (state.phase !== 'progressing') return { kind: 'done' };
  const start = ms(state.stageStartedAt);
  if (state.stage === 'scaling-down') return { kind: 'scale-down', at: start + t.scaleDownDelayMs };
  if (state.stage === 'done') return { kind: 'done' };
  const end = start + (state.stage === 'validating' ? t.validationMs : t.watchMs);
  const last = state.rounds.length ? ms(state.rounds[state.rounds.length - 1].at) : start;
  const due = last + t.intervalMs;
  // Until a round has looked at the stage's end (rounds drift later by their own duration, so the last
  // one is pulled back to the end rather than dropped).
  if (state.roundCount === 0 || last < end) return { kind: 'analyse', at: Math.min(due, end) };
  // A check still failing when time is up has not passed: look again until it passes or trips the gate,
  // so a stage shorter than threshold × interval never lets a failing green through.
  if (Object.values(state.consecutiveFailures).some((n) => n > 0)) return { kind: 'analyse', at: due };
  return state.stage === 'validating'
    ? { kind: 'switch' }
    : { kind: 'scale-down', at: end + t.scaleDownDelayMs };
}

/** Adds a round through the consecutive-failure gate; the run of failures carries over between invocations. */
export function recordRound(
  state: PromoteState,
  round: RoundRecord,
  threshold: number,
): { state: PromoteState; trip?: Trip } {
  const { consecutive, unreachable, trip } = recordFailures(
    state.consecutiveFailures,
    round,
    threshold,
    state.consecutiveUnreachable,
  );
  const { consecutiveUnreachable: _previous, ...rest } = state;
  return {
    state: {
      ...rest,
      rounds: [...state.rounds, round].slice(-MAX_ROUNDS_KEPT),
      roundCount: state.roundCount + 1,
      consecutiveFailures: consecutive,
      ...(Object.keys(unreachable).length ? { consecutiveUnreachable: unreachable } : {}),
    },
    ...(trip ? { trip } : {}),
  };
}

export function withEvent(state: PromoteState, event: TimelineEvent): PromoteState {
  return { ...state, events: [...state.events, event].slice(-50) };
}

/** Moves to the next stage; the gate starts afresh (a validation failure run does not carry into the watch). */
export function enterStage(state: PromoteState, stage: Stage, now: number): PromoteState {
  return {
    ...state,
    stage,
    stageStartedAt: new Date(now).toISOString(),
    rounds: [],
    roundCount: 0,
    consecutiveFailures: {},
    consecutiveUnreachable: undefined,
  };
}

/** What a tripped gate means: before the switch traffic never moved (aborted), after it green is switched back. */
export function outcomeOfTrip(state: PromoteState): 'aborted' | 'rolled-back' {
  return state.stage === 'validating' ? 'aborted' : 'rolled-back';
}

/** One line for a failed gate: `http web-preview:80/healthz failed 3 times in a row (status 500, …)`. */
export function describeTrip(trip: Trip): string {
  const seen = [trip.value, trip.threshold ? `limit ${trip.threshold}` : undefined, trip.message]
    .filter(Boolean)
    .join('; ');
  return `${trip.check} failed ${trip.consecutiveFailures} time${trip.consecutiveFailures === 1 ? '' : 's'} in a row${seen ? ` (${seen})` : ''}`;
}
