import type { Logger } from '@upgrade-actions/common';
import { formatDuration } from '@upgrade-actions/common';
import type { ClusterApi } from './api';
import { nodesReadiness, type Readiness } from './readiness';

export interface WaitOptions {
  api: Pick<ClusterApi, 'healthy' | 'nodes' | 'serverVersion'>;
  expectedNodes: number;
  timeoutMs: number;
  log: Logger;
  intervalMs?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export class ClusterNotReadyError extends Error {
  override name = 'ClusterNotReadyError';
}

/**
 * Waits until the API server answers `/readyz` and every expected node is Ready, checking again every
 * `intervalMs` (time injected for tests). On timeout the error says what was still awaited.
 */
export async function waitForCluster(
  o: WaitOptions,
): Promise<{ serverVersion: string; readiness: Readiness }> {
  const now = o.now ?? Date.now;
  const sleep = o.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const interval = o.intervalMs ?? 1000;
  const deadline = now() + o.timeoutMs;
  let last = 'waiting for the API server to answer';
  let lastLogged = '';
  for (;;) {
    try {
      const h = await o.api.healthy();
      if (!h.ok) last = `waiting for the API server to be ready: /readyz ${h.detail}`;
      else {
        const r = nodesReadiness(await o.api.nodes(), o.expectedNodes);
        if (r.done) {
          o.log.info(r.message);
          return { serverVersion: await o.api.serverVersion(), readiness: r };
        }
        last = r.message;
      }
    } catch (e) {
      last = `waiting for the API server to answer: ${(e as Error).message}`;
    }
    if (last !== lastLogged) o.log.info(last);
    lastLogged = last;
    if (now() >= deadline)
      throw new ClusterNotReadyError(`cluster not ready after ${formatDuration(o.timeoutMs)}: ${last}`);
    await sleep(Math.max(0, Math.min(interval, deadline - now())));
  }
}
