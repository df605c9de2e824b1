import type { RoundRecord, Trip } from '@upgrade-actions/analysis';
import type { KubeObject } from '@upgrade-actions/kube';
import type { Selector } from './colours';

/** The promotion's place, kept on the Service so a later run (after `max-duration`, a re-run) continues. */
export const STATE_ANNOTATION = 'promote.upgrade-actions.io/state';
/** The workload the Service serves today (absent: the release's own workload, as deploy created it). */
export const ACTIVE_ANNOTATION = 'promote.upgrade-actions.io/active';
/** On a colour workload: the fingerprint of the release template it was created from. */
export const TEMPLATE_ANNOTATION = 'promote.upgrade-actions.io/template';
/** The Service's selector before promote first pinned it to one colour (JSON). */
export const BASE_SELECTOR_ANNOTATION = 'promote.upgrade-actions.io/base-selector';

export type Phase = 'progressing' | 'promoted' | 'aborted' | 'rolled-back';
/** validating: green analysed through the preview Service; watching: green serves; scaling-down: watch passed. */
export type Stage = 'validating' | 'watching' | 'scaling-down' | 'done';

export interface TimelineEvent {
  at: string;
  event:
    | 'started'
    | 'green-ready'
    | 'validated'
    | 'merged'
    | 'switched'
    | 'check-failed'
    | 'switched-back'
    | 'aborted'
    | 'scaled-down'
    | 'paused'
    | 'resumed';
  detail?: string;
}

export interface PromoteState {
  version: 1;
  phase: Phase;
  stage: Stage;
  /** The green template's fingerprint (rollback's templateFingerprint): another release refuses to resume this one. */
  fingerprint: string;
  /** The workload that served before (blue) and the new one (green), with the selector that picks each alone. */
  blue: string;
  green: string;
  blueSelector: Selector;
  greenSelector: Selector;
  startedAt: string;
  stageStartedAt: string;
  /** The newest rounds of the current stage (annotations are small) and how many ran in it. */
  rounds: RoundRecord[];
  roundCount: number;
  consecutiveFailures: Record<string, number>;
  /** Per check, how many rounds in a row it went unobserved (absent in states written before it existed). */
  consecutiveUnreachable?: Record<string, number>;
  events: TimelineEvent[];
  trip?: Trip & { stage: Stage };
  /** The pull request merge happened (a resumed run does not merge again). */
  merged?: boolean;
}

export const MAX_ROUNDS_KEPT = 20;

export function readState(obj: KubeObject | undefined): PromoteState | undefined {
  const raw = obj?.metadata?.annotations?.[STATE_ANNOTATION];
  if (!raw) return undefined;
  try {
    const s = JSON.parse(raw) as PromoteState;
    if (s.version !== 1 || typeof s.green !== 'string' || typeof s.blue !== 'string') return undefined;
    return s;
  } catch {
    return undefined;
  }
}

export function newState(
  init: Pick<PromoteState, 'fingerprint' | 'blue' | 'green' | 'blueSelector' | 'greenSelector'>,
  now: number,
): PromoteState {
  const at = new Date(now).toISOString();
  return {
    version: 1,
    phase: 'progressing',
    stage: 'validating',
    ...init,
    startedAt: at,
    stageStartedAt: at,
    rounds: [],
    roundCount: 0,
    consecutiveFailures: {},
    events: [{ at, event: 'started', detail: `${init.green} beside ${init.blue}` }],
  };
}
