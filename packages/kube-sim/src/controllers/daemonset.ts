import type { Context } from './context';
export const DAEMONSET = 'daemonset';
export function syncDaemonSet(_ctx: Context, _k: string): void {}
