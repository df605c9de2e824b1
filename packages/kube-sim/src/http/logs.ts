import type { ServerResponse } from 'node:http';
import type { PodLogs } from '../pod-logs';
import { ApiError, type KObject } from '../types';

type Any = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Picks the container as the API server does: the named one, the only one, or the default-container annotation. */
function chooseContainer(pod: KObject, requested: string | null): string {
  const names = (((pod.spec as Any)?.containers ?? []) as Any[]).map((c) => String(c.name));
  const initNames = (((pod.spec as Any)?.initContainers ?? []) as Any[]).map((c) => String(c.name));
  const name = pod.metadata.name;
  if (requested) {
    if (!names.includes(requested) && !initNames.includes(requested)) {
      throw new ApiError(400, 'BadRequest', `container ${requested} is not valid for pod ${name}`);
    }
    return requested;
  }
  if (names.length === 1) return names[0];
  const annotated = pod.metadata.annotations?.['kubectl.kubernetes.io/default-container'];
  if (annotated && names.includes(annotated)) return annotated;
  throw new ApiError(
    400,
    'BadRequest',
    `a container name must be specified for pod ${name}, choose one of: [${names.join(' ')}]`,
  );
}

function waitingReason(pod: KObject, container: string): string | undefined {
  const status = (pod.status ?? {}) as Any;
  const cs = ((status.containerStatuses ?? []) as Any[]).find((c) => c.name === container);
  if (cs?.state?.waiting) return cs.state.waiting.reason ?? 'ContainerCreating';
  if (!cs && status.phase === 'Pending') return 'ContainerCreating';
  return undefined;
}

/** Serves `pods/{name}/log` (`container`, `tailLines`, `timestamps`, `limitBytes`, `follow`). */
export function serveLogs(
  res: ServerResponse,
  logs: PodLogs,
  pod: KObject,
  q: URLSearchParams,
  onPodGone: (fn: () => void) => () => void,
): void {
  const ns = pod.metadata.namespace ?? 'default';
  const container = chooseContainer(pod, q.get('container'));
  let lines = logs.read(ns, pod.metadata.name, container);
  if (!lines.length) {
    const reason = waitingReason(pod, container);
    if (reason)
      throw new ApiError(
        400,
        'BadRequest',
        `container "${container}" in pod "${pod.metadata.name}" is waiting to start: ${reason}`,
      );
  }
  const tail = q.get('tailLines');
  if (tail !== null && /^\d+$/.test(tail)) lines = Number(tail) === 0 ? [] : lines.slice(-Number(tail));
  const timestamps = q.get('timestamps') === 'true';
  const fmt = (l: { time: string; text: string }) => (timestamps ? `${l.time} ${l.text}\n` : `${l.text}\n`);
  let text = lines.map(fmt).join('');
  const limit = q.get('limitBytes');
  if (limit !== null && /^\d+$/.test(limit))
    text = Buffer.from(text).subarray(0, Number(limit)).toString('utf8');
  if (q.get('follow') !== 'true') {
    res.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Length': Buffer.byteLength(text) });
    res.end(text);
    return;
  }
  res.writeHead(200, { 'Content-Type': 'text/plain', 'Transfer-Encoding': 'chunked' });
  res.write(text);
  const stopFollow = logs.follow(ns, pod.metadata.name, container, (l) => res.write(fmt(l)));
  const stopWatching = onPodGone(() => res.end());
  res.on('close', () => {
    stopFollow();
    stopWatching();
  });
}
