import { isNotFound, type KubeClient } from '@upgrade-actions/kube';
import { workloadSelector, type WorkloadRef } from './cluster';
import type { Check, CheckResult } from './types';

interface CoreEvent {
  type?: string;
  reason?: string;
  message?: string;
  count?: number;
  involvedObject?: { kind?: string; name?: string };
  lastTimestamp?: string;
  eventTime?: string;
  firstTimestamp?: string;
}

const SHOWN = 5;

/** The events of interest, pure: Warnings about one of `objects` (kind/name) at or after `sinceMs`. */
export function releaseWarnings(events: CoreEvent[], objects: Set<string>, sinceMs: number): CoreEvent[] {
  return events.filter((e) => {
    if (e.type !== 'Warning') return false;
    const at = Date.parse(e.lastTimestamp ?? e.eventTime ?? e.firstTimestamp ?? '');
    if (Number.isFinite(at) && at < sinceMs - 1000) return false;
    return objects.has(`${e.involvedObject?.kind}/${e.involvedObject?.name}`);
  });
}

/**
 * No `Warning` events from the release's objects (SEEDS.md §5's gate between stages): its workloads, the
 * ReplicaSets they own and their pods, since the release was created. A BackOff, a failed pull or a failed
 * mount during a soak fails the gate even when the pods happen to be Ready at the moment of a round.
 */
export function warningEventsCheck(client: KubeClient, workloads: WorkloadRef[], sinceMs: number): Check {
  // Selectors are immutable: each workload's is read once, not every round.
  const selectors = new Map<WorkloadRef, string>();
  return {
    name: 'warning events',
    level: 'basic',
    target: `Warning events of ${workloads.map((w) => `${w.kind.toLowerCase()}/${w.name}`).join(', ')}`,
    async run(signal): Promise<CheckResult> {
      const objects = new Set<string>();
      const found: CoreEvent[] = [];
      for (const ns of new Set(workloads.map((w) => w.namespace))) {
        const enc = encodeURIComponent(ns);
        for (const w of workloads.filter((x) => x.namespace === ns)) {
          objects.add(`${w.kind}/${w.name}`);
          let selector = selectors.get(w);
          if (selector === undefined) {
            try {
              selector = await workloadSelector(client, w, signal);
            } catch (e) {
              if (isNotFound(e)) continue;
              throw e;
            }
            selectors.set(w, selector);
          }
          const [rs, pods] = await Promise.all([
            client.get<{ items: { metadata: { name: string } }[] }>(
              `/apis/apps/v1/namespaces/${enc}/replicasets`,
              {
                query: { labelSelector: selector },
                signal,
              },
            ),
            client.get<{ items: { metadata: { name: string } }[] }>(`/api/v1/namespaces/${enc}/pods`, {
              query: { labelSelector: selector },
              signal,
            }),
          ]);
          for (const r of rs.items) objects.add(`ReplicaSet/${r.metadata.name}`);
          for (const p of pods.items) objects.add(`Pod/${p.metadata.name}`);
        }
        const events = await client.get<{ items: CoreEvent[] }>(`/api/v1/namespaces/${enc}/events`, {
          signal,
        });
        found.push(...releaseWarnings(events.items, objects, sinceMs));
      }
      const shown = found.slice(0, SHOWN).map((e) => ({
        object: `${e.involvedObject?.kind?.toLowerCase()}/${e.involvedObject?.name}`,
        reason: e.reason ?? '',
        message: e.message ?? '',
        count: e.count ?? 1,
      }));
      return {
        ok: found.length === 0,
        latency: null,
        observations: { warnings: found.length, events: shown },
        ...(found.length
          ? {
              error:
                `${found.length} Warning event(s): ${shown.map((e) => `${e.object} ${e.reason}: ${e.message}`).join('; ')}`.slice(
                  0,
                  600,
                ),
            }
          : {}),
      };
    },
  };
}
