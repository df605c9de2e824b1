import type { Logger } from '@upgrade-actions/common';
import { silentLogger } from '@upgrade-actions/common';
import type { KubeClient, WatchEvent } from './client';
import { type Clock, sleep, systemClock } from './clock';
import { isGone, KubeApiError } from './errors';
import type { KubeObject } from './types';

export type SyncEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface UntilOptions {
  /** Collection path, e.g. `/apis/apps/v1/namespaces/default/deployments`. */
  path: string;
  fieldSelector?: string;
  labelSelector?: string;
  /** Aborting ends the wait with a TimeoutError (`timed out waiting for the condition`). */
  signal?: AbortSignal;
  clock?: Clock;
  logger?: Logger;
  /** Server-side timeout of each watch request, seconds (client-go picks 5–10 min). */
  watchTimeoutSeconds?: number;
}

/** kubectl's wait.ErrWaitTimeout text. */
export class WaitTimeoutError extends Error {
  override name = 'WaitTimeoutError';
  constructor() {
    super('timed out waiting for the condition');
  }
}

interface ListResponse {
  metadata?: { resourceVersion?: string };
  items?: KubeObject[];
}

/**
 * client-go's watchtools.UntilWithSync, the loop behind `kubectl rollout status`: list, hand every
 * object to `condition` as ADDED, then watch from the list's resourceVersion. A watch that ends or
 * drops is re-opened from the last resourceVersion seen (bookmarks included); a `410 Gone` (as an
 * answer or as an ERROR event) relists, and objects seen again are handed over as MODIFIED (gone
 * ones as DELETED), as the informer's resync does. Resolves with the object for which `condition`
 * returned true; rethrows what `condition` throws.
 */
export async function untilWithSync(
  client: KubeClient,
  opts: UntilOptions,
  condition: (type: SyncEventType, obj: KubeObject) => boolean | Promise<boolean>,
): Promise<KubeObject> {
  const clock = opts.clock ?? systemClock;
  const logger = opts.logger ?? silentLogger;
  const known = new Map<string, KubeObject>();
  const key = (o: KubeObject) => `${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`;
  const selectors = { fieldSelector: opts.fieldSelector, labelSelector: opts.labelSelector };
  let backoff = 0;
  const pause = async () => {
    backoff = Math.min(backoff ? backoff * 2 : 100, 5000);
    await sleep(clock, backoff, opts.signal);
  };
  const checkAbort = () => {
    if (opts.signal?.aborted) throw new WaitTimeoutError();
  };

  for (;;) {
    checkAbort();
    // (Re)list: the start, and after 410 Gone.
    let list: ListResponse;
    try {
      list = await client.get<ListResponse>(opts.path, { query: selectors, signal: opts.signal });
    } catch (e) {
      checkAbort();
      if (e instanceof KubeApiError && e.code < 500 && e.code !== 429) throw e;
      logger.debug(`list ${opts.path} failed, retrying: ${(e as Error).message}`);
      await pause();
      continue;
    }
    const seen = new Set<string>();
    for (const obj of list.items ?? []) {
      const k = key(obj);
      seen.add(k);
      const type: SyncEventType = known.has(k) ? 'MODIFIED' : 'ADDED';
      known.set(k, obj);
      if (await condition(type, obj)) return obj;
    }
    for (const [k, obj] of [...known]) {
      if (seen.has(k)) continue;
      known.delete(k);
      if (await condition('DELETED', obj)) return obj;
    }
    let rv = list.metadata?.resourceVersion ?? '';

    // Watch until the history we hold is too old.
    let gone = false;
    while (!gone) {
      checkAbort();
      let ev: WatchEvent | undefined;
      let events = 0;
      try {
        const stream = client.watch(opts.path, {
          query: {
            ...selectors,
            resourceVersion: rv,
            allowWatchBookmarks: true,
            timeoutSeconds: opts.watchTimeoutSeconds ?? 300 + Math.floor(Math.random() * 300),
          },
          signal: opts.signal,
        });
        for await (ev of stream) {
          events++;
          backoff = 0;
          if (ev.type === 'ERROR') {
            if (ev.object.code === 410) {
              logger.debug(`watch ${opts.path} from ${rv}: 410 Gone, relisting`);
              gone = true;
              break;
            }
            throw new KubeApiError(
              ev.object.code ?? 500,
              ev.object.reason ?? '',
              ev.object.message ?? 'watch error',
            );
          }
          const objRv = ev.object.metadata?.resourceVersion;
          if (objRv) rv = objRv;
          if (ev.type === 'BOOKMARK') continue;
          const k = key(ev.object);
          if (ev.type === 'DELETED') known.delete(k);
          else known.set(k, ev.object);
          if (await condition(ev.type, ev.object)) return ev.object;
        }
      } catch (e) {
        checkAbort();
        if (isGone(e)) {
          logger.debug(`watch ${opts.path} from ${rv}: 410 Gone, relisting`);
          gone = true;
          continue;
        }
        if (e instanceof KubeApiError && e.code !== 500 && e.code !== 503 && e.code !== 429) throw e;
        if (!(e instanceof KubeApiError) && !isNetworkError(e)) throw e;
        logger.debug(`watch ${opts.path} failed, retrying from ${rv}: ${(e as Error).message}`);
        await pause();
        continue;
      }
      // The stream ended (server timeout or dropped connection): resume from the last resourceVersion.
      if (!gone) {
        logger.debug(`watch ${opts.path} ended; resuming from resourceVersion ${rv}`);
        // A stream that closes at once, again and again, must not spin.
        if (events === 0) await pause();
      }
    }
  }
}

function isNetworkError(e: unknown): boolean {
  const code = (e as NodeJS.ErrnoException).code ?? '';
  return (
    ['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'UND_ERR_SOCKET'].includes(code) ||
    (e as Error).name === 'KubeConnectionError'
  );
}
