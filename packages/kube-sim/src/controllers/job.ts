import type { Context } from './context';
export const JOB = 'job';
export function syncJob(_ctx: Context, _k: string): void {}
