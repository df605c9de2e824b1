import type { Context } from './context';
export const STATEFULSET = 'statefulset';
export function syncStatefulSet(_ctx: Context, _k: string): void {}
