import { ConfigurationError } from '@upgrade-actions/common';

/** SEEDS.md §3: 10% → 30% → 50% → 100%. */
export const DEFAULT_STEPS = [10, 30, 50, 100];

/**
 * `steps`: percentages of traffic on the canary, comma-separated, strictly increasing, ending at 100
 * (the last step is analysed like the others, then the canary is promoted). `5,25,45,65,85,100` is
 * SEEDS.md §2's "5% first, then +20%".
 */
export function parseSteps(text: string, input = 'steps'): number[] {
  const raw = text.trim();
  if (raw === '') return [...DEFAULT_STEPS];
  const parts = raw.split(',').map((p) => p.trim().replace(/%$/, ''));
  const steps: number[] = [];
  for (const p of parts) {
    const n = Number(p);
    if (p === '' || !Number.isFinite(n)) {
      throw new ConfigurationError(`${input}: "${p}" is not a percentage; give e.g. 10,30,50,100`);
    }
    if (n <= 0 || n > 100) {
      throw new ConfigurationError(
        `${input}: ${p} is out of range; each step is a percentage above 0 and at most 100`,
      );
    }
    if (!Number.isInteger(n)) {
      throw new ConfigurationError(
        `${input}: ${p} is not a whole percentage (routers weight in whole percent)`,
      );
    }
    const prev = steps[steps.length - 1];
    if (prev !== undefined && n <= prev) {
      throw new ConfigurationError(
        `${input}: ${n} after ${prev}: steps must be strictly increasing (e.g. 10,30,50,100)`,
      );
    }
    steps.push(n);
  }
  if (steps[steps.length - 1] !== 100) {
    throw new ConfigurationError(
      `${input}: the last step is ${steps[steps.length - 1]}; steps end at 100 (the canary then takes all traffic and is promoted)`,
    );
  }
  return steps;
}
