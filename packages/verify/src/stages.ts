import { formatDuration } from '@upgrade-actions/common';

/** The stages of a verification, in the order they run. */
export const STAGES = ['cluster', 'api-check', 'deploy', 'health', 'smoke', 'teardown'] as const;
export type StageName = (typeof STAGES)[number];

export type StageOutcome = 'passed' | 'failed' | 'skipped';

export interface StageResult {
  stage: StageName;
  result: StageOutcome;
  durationMs: number;
  /** One line: what was done, why it failed, or why it was skipped. */
  detail: string;
}

export type Verdict = { verdict: 'passed'; failedStage: '' } | { verdict: 'failed'; failedStage: StageName };

/** Pure: passed when no stage failed; otherwise failed, naming the first stage (in run order) that failed. */
export function verdictOf(results: readonly StageResult[]): Verdict {
  const failed = STAGES.find((s) => results.some((r) => r.stage === s && r.result === 'failed'));
  return failed ? { verdict: 'failed', failedStage: failed } : { verdict: 'passed', failedStage: '' };
}

const MARK: Record<StageOutcome, string> = {
  passed: '✅ passed',
  failed: '❌ failed',
  skipped: '⏭️ skipped',
};

/** Pure: the summary table, one row per stage in run order (a stage never reached reads as skipped). */
export function stageRows(results: readonly StageResult[]): string[][] {
  return STAGES.map((s) => {
    const r = results.find((x) => x.stage === s);
    if (!r) return [s, MARK.skipped, '-', 'not reached'];
    return [s, MARK[r.result], r.result === 'skipped' ? '-' : formatDuration(r.durationMs), r.detail];
  });
}

export const STAGE_TABLE_HEADER = ['stage', 'result', 'duration', 'detail'];

/** A stage's verdict (a rollout that failed, a test that failed): reported as its line, never as a bug. */
export class StageFailure extends Error {
  override name = 'StageFailure';
}

/** What a stage's body returns: a detail line, or `skipped` with the reason. */
export interface StageReport {
  skipped?: boolean;
  detail: string;
}

/**
 * Runs stages in order and records each one's result and duration. Once a stage fails the later
 * ones are skipped (nothing is deployed after a failed api-check); `always` stages (teardown) run
 * regardless. A stage fails by throwing: its message becomes the detail.
 */
export class StageRunner {
  readonly results: StageResult[] = [];
  constructor(
    private readonly now: () => number = Date.now,
    /** Hears each error a stage threw (the caller logs a bug's stack; the result keeps its message). */
    private readonly onError: (stage: StageName, error: unknown) => void = () => {},
  ) {}

  get failed(): boolean {
    return this.results.some((r) => r.result === 'failed');
  }

  /** Runs `body` unless an earlier stage failed; returns its value, or undefined when skipped or failed. */
  async stage<T extends StageReport>(
    name: StageName,
    body: () => Promise<T>,
    opts: { always?: boolean } = {},
  ): Promise<T | undefined> {
    if (this.failed && !opts.always) {
      const first = verdictOf(this.results).failedStage;
      this.results.push({ stage: name, result: 'skipped', durationMs: 0, detail: `${first} failed` });
      return undefined;
    }
    const t0 = this.now();
    try {
      const out = await body();
      this.results.push({
        stage: name,
        result: out.skipped ? 'skipped' : 'passed',
        durationMs: this.now() - t0,
        detail: out.detail,
      });
      return out;
    } catch (e) {
      this.onError(name, e);
      const message = e instanceof Error ? e.message : String(e);
      this.results.push({ stage: name, result: 'failed', durationMs: this.now() - t0, detail: message });
      return undefined;
    }
  }
}
