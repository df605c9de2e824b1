import { R } from '../resources';
import { ApiError, type KObject } from '../types';
import type { Context } from './context';
import { goPodTemplate, sortKeysDeep } from './go-json';
import { semanticEqual } from './hash';
import { newControllerRef, type LabelSelector } from './objects';
import { claim } from './ownership';
import type { PodTemplate } from './pods';

/** ControllerRevisions (`pkg/controller/history`), shared by the StatefulSet and DaemonSet controllers. */

export type Revision = KObject & {
  data?: { spec?: { template?: PodTemplate & { $patch?: string } } };
  revision: number;
};

/**
 * What a revision stores: the template as a replace patch, as `kubectl rollout undo` applies it back,
 * in the exact JSON upstream's `getPatch` writes (sorted keys, Go zero values; see `go-json.ts`).
 */
export function revisionData(template: PodTemplate | undefined): Revision['data'] {
  return sortKeysDeep({
    spec: { template: { ...goPodTemplate(template as Record<string, unknown>), $patch: 'replace' } },
  });
}

/** The template a revision holds, without the patch directive and the encoding's `creationTimestamp: null`. */
export function templateOf(rev: Revision): PodTemplate {
  const t = structuredClone(rev.data?.spec?.template ?? {});
  delete t.$patch;
  const metadata = t.metadata as Record<string, unknown> | undefined;
  if (metadata && metadata.creationTimestamp === null) delete metadata.creationTimestamp;
  return t;
}

export function listRevisions(ctx: Context, owner: KObject, selector: LabelSelector | undefined): Revision[] {
  return (claim(ctx, R.controllerrevisions, owner, selector, { mutable: true }) as Revision[]).sort(
    (a, b) => a.revision - b.revision || a.metadata.name.localeCompare(b.metadata.name),
  );
}

export interface RevisionSpec {
  template: PodTemplate | undefined;
  labels: Record<string, string>;
  /** `(collisionCount) → hash`; the revision is named `<owner>-<hash>`. */
  hash: (collisionCount: number | undefined) => string;
  labelFor: (hash: string, name: string) => Record<string, string>;
  annotations?: Record<string, string>;
}

/**
 * The revision for the owner's current template: the latest if it already matches, an older equal one
 * re-numbered to the top (a rollback), or a new one numbered max+1. Returns it and the collision count.
 */
export function updateRevision(
  ctx: Context,
  owner: KObject,
  revisions: Revision[],
  spec: RevisionSpec,
  collisionCount: number | undefined,
): { revision: Revision; collisionCount: number | undefined } {
  const data = revisionData(spec.template);
  const max = revisions.reduce((m, r) => Math.max(m, r.revision), 0);
  const equal = revisions.filter((r) => semanticEqual(r.data, data));
  if (equal.length) {
    const latest = equal[equal.length - 1];
    if (latest.revision === max) return { revision: latest, collisionCount };
    latest.revision = max + 1;
    const updated = ctx.store.update(R.controllerrevisions, {
      ...latest,
      metadata: { ...latest.metadata, resourceVersion: undefined },
    }) as Revision;
    return { revision: updated, collisionCount };
  }
  for (let cc = collisionCount; ; cc = (cc ?? 0) + 1) {
    const hash = spec.hash(cc);
    const name = `${owner.metadata.name}-${hash}`;
    try {
      const created = ctx.store.create(R.controllerrevisions, {
        apiVersion: 'apps/v1',
        kind: 'ControllerRevision',
        metadata: {
          name,
          namespace: owner.metadata.namespace,
          labels: { ...spec.labels, ...spec.labelFor(hash, name) },
          ...(spec.annotations && Object.keys(spec.annotations).length
            ? { annotations: { ...spec.annotations } }
            : {}),
          ownerReferences: [newControllerRef(owner)],
        },
        data,
        revision: max + 1,
      }) as Revision;
      return { revision: created, collisionCount: cc };
    } catch (err) {
      if (!(err instanceof ApiError) || err.code !== 409) throw err;
      const clash = ctx.store.get(R.controllerrevisions, owner.metadata.namespace, name) as
        Revision | undefined;
      if (clash && semanticEqual(clash.data, data)) return { revision: clash, collisionCount: cc };
      if ((cc ?? 0) > 100) throw err;
    }
  }
}

/** Deletes the oldest revisions no pod and no status points at, beyond `limit`. */
export function truncateHistory(ctx: Context, revisions: Revision[], live: Set<string>, limit: number): void {
  const dead = revisions.filter((r) => !live.has(r.metadata.name));
  for (const r of dead.slice(0, Math.max(0, dead.length - limit))) {
    try {
      ctx.store.delete(R.controllerrevisions, r.metadata.namespace, r.metadata.name);
    } catch {
      // already gone
    }
  }
}
