import type { ServerResponse } from 'node:http';
import type { Store } from '../store';
import { ApiError, type KObject, type ResourceType, type StoreEvent } from '../types';
import { statusBody } from './status';

export interface WatchOptions {
  store: Store;
  type: ResourceType;
  /** Namespace, label and field filters combined. */
  matches: (o: KObject) => boolean;
  /** `resourceVersion` from the request ('' or '0' = start with the current state). */
  resourceVersion: string;
  timeoutMs?: number;
  sendInitialEvents: boolean;
  allowBookmarks: boolean;
  bookmarkIntervalMs: number;
  /** Cuts the connection without a final event (fault injection). */
  dropAfterMs?: number;
  /** Turns an object into what is sent (the object for the requested version, or a one-row Table). */
  render: (o: KObject, first: boolean) => unknown;
  /** Called when the watch ends, whatever the reason. */
  onClose?: () => void;
}

type EventType = 'ADDED' | 'MODIFIED' | 'DELETED';

/**
 * Streams a watch as the API server does: HTTP 200, chunked, one `{"type","object"}` JSON document per line.
 * Filters apply to both sides of a change, so an object that stops matching a selector is sent as DELETED
 * and one that starts matching as ADDED. Resuming from a resourceVersion older than the event log yields
 * an ERROR event carrying a 410 `Expired` Status, as from the watch cache.
 */
export function serveWatch(res: ServerResponse, o: WatchOptions): void {
  res.writeHead(200, {
    'Content-Type': 'application/json',
    'Transfer-Encoding': 'chunked',
    'Cache-Control': 'no-cache, private',
  });
  res.flushHeaders();
  let first = true;
  let closed = false;
  let lastRv = o.store.resourceVersion;
  const timers: NodeJS.Timeout[] = [];
  let unsubscribe = () => {};

  const write = (type: string, object: unknown) => {
    if (closed) return;
    res.write(JSON.stringify({ type, object }) + '\n');
  };
  const send = (type: EventType, obj: KObject) => {
    lastRv = obj.metadata.resourceVersion ?? lastRv;
    write(type, o.render(obj, first));
    first = false;
  };
  const bookmark = (annotations?: Record<string, string>) =>
    write('BOOKMARK', {
      kind: o.type.kind,
      apiVersion: o.type.group ? `${o.type.group}/${o.type.version}` : o.type.version,
      metadata: { resourceVersion: lastRv, ...(annotations ? { annotations } : {}) },
    });
  const close = (how: 'end' | 'drop') => {
    if (closed) return;
    closed = true;
    unsubscribe();
    for (const t of timers) clearTimeout(t);
    if (how === 'drop') res.destroy();
    else res.end();
    o.onClose?.();
  };
  res.on('close', () => close('end'));

  const onEvent = (e: StoreEvent) => {
    if (e.resource.group !== o.type.group || e.resource.resource !== o.type.resource) return;
    const now = e.type !== 'DELETED' && o.matches(e.object);
    const before =
      e.type === 'ADDED'
        ? false
        : e.type === 'DELETED'
          ? o.matches(e.old ?? e.object)
          : !!e.old && o.matches(e.old);
    if (e.type === 'DELETED') {
      if (before) send('DELETED', e.object);
      else lastRv = e.object.metadata.resourceVersion ?? lastRv;
    } else if (now && before) send('MODIFIED', e.object);
    else if (now) send('ADDED', e.object);
    else if (before) send('DELETED', e.object);
    else lastRv = e.object.metadata.resourceVersion ?? lastRv;
  };

  const rv = o.resourceVersion;
  if (rv === '' || rv === '0' || o.sendInitialEvents) {
    const items = o.store.list(o.type).filter(o.matches);
    lastRv = o.store.resourceVersion;
    for (const obj of items) send('ADDED', obj);
    lastRv = o.store.resourceVersion;
    if (o.sendInitialEvents && o.allowBookmarks) bookmark({ 'k8s.io/initial-events-end': 'true' });
  } else {
    let backlog: StoreEvent[];
    try {
      if (!/^\d+$/.test(rv)) throw new ApiError(400, 'BadRequest', `invalid resource version: ${rv}`);
      backlog = o.store.eventsSince(o.type, Number(rv));
    } catch (err) {
      const api = err instanceof ApiError ? err : new ApiError(500, 'InternalError', String(err));
      write('ERROR', statusBody(api));
      close('end');
      return;
    }
    lastRv = rv;
    for (const e of backlog) onEvent(e);
  }
  unsubscribe = o.store.subscribe(onEvent);
  // The stream's socket keeps the process alive while it is open; its timers need not.
  const later = (fn: () => void, ms: number) => timers.push(setTimeout(fn, ms).unref());
  if (o.timeoutMs !== undefined) later(() => close('end'), o.timeoutMs);
  if (o.dropAfterMs !== undefined) later(() => close('drop'), o.dropAfterMs);
  if (o.allowBookmarks) {
    const tick = () => {
      bookmark();
      later(tick, o.bookmarkIntervalMs);
    };
    later(tick, o.bookmarkIntervalMs);
  }
}
