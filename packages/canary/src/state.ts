import type { RoundRecord } from '@upgrade-actions/analysis';
import type { KubeObject } from '@upgrade-actions/kube';

/** The canary's place, kept on the stable Deployment (which outlives the canary) so any later run continues from it. */
export const CANARY_STATE_ANNOTATION = 'canary.upgrade-actions.io/state';

export type CanaryPhase = 'progressing' | 'paused' | 'promoted' | 'aborted';

export type { RoundRecord } from '@upgrade-actions/analysis';

export interface StepRecord {
  weight: number;
  startedAt: string;
  /** The newest rounds of the step (at most MAX_ROUNDS_KEPT: annotations are small). */
  rounds: RoundRecord[];
  /** Rounds run in the step, including those no longer kept. */
  roundCount: number;
  /** Per check, how many rounds in a row it has failed up to now (the gate's state across runs). */
  consecutiveFailures: Record<string, number>;
  /** Per check, how many rounds in a row it went unobserved (absent in states written before it existed). */
  consecutiveUnreachable?: Record<string, number>;
}

export interface CanaryState {
  version: 1;
  /** The canary's pod template, as rollback's templateFingerprint computes it: a different release refuses to resume. */
  fingerprint: string;
  steps: number[];
  /** Index into `steps` of the step in flight. */
  step: number;
  phase: CanaryPhase;
  startedAt: string;
  history: StepRecord[];
  /** Why it was aborted: the gate and the value it saw. */
  reason?: string;
  /** The stable Deployment's revision when the canary began (the release descriptor's revisionBefore). */
  stableRevision?: number;
  /** The traffic router that carries the split, so a resumed run drives the same one. */
  router?: string;
  /** The GitHub Deployment created when the canary started (environment input): later runs set its statuses. */
  deploymentId?: number;
}

export const MAX_ROUNDS_KEPT = 20;

export function readCanaryState(obj: KubeObject | undefined): CanaryState | undefined {
  const raw = obj?.metadata?.annotations?.[CANARY_STATE_ANNOTATION];
  if (!raw) return undefined;
  try {
    const s = JSON.parse(raw) as CanaryState;
    if (s.version !== 1 || !Array.isArray(s.steps) || typeof s.step !== 'number') return undefined;
    return s;
  } catch {
    return undefined;
  }
}

export function writeCanaryState(state: CanaryState): string {
  return JSON.stringify(state);
}

export function newCanaryState(fingerprint: string, steps: number[], now: number): CanaryState {
  const at = new Date(now).toISOString();
  return {
    version: 1,
    fingerprint,
    steps,
    step: 0,
    phase: 'progressing',
    startedAt: at,
    history: [{ weight: steps[0], startedAt: at, rounds: [], roundCount: 0, consecutiveFailures: {} }],
  };
}
