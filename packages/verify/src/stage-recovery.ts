import { Discovery, resolveWorkload, type KubeClient } from '@upgrade-actions/kube';
import type { Release } from '@upgrade-actions/release';
import { currentRevision } from '@upgrade-actions/rollback';

/**
 * A deploy stopped midway (an API error, an interrupt) may not have read the revision its apply made:
 * the release then says `revisionAfter: null`, and rollback would not undo a workload that moved on from
 * `revisionBefore` without knowing it was this release that moved it. Read what is missing, as deploy's
 * own `readRevisions` would (through a client that is still allowed to talk to the cluster).
 */
export async function withRevisionsAfter(client: KubeClient, release: Release): Promise<Release> {
  const discovery = new Discovery(client);
  const workloads = await Promise.all(
    release.workloads.map(async (w) => {
      if (w.revisionAfter !== null || w.revisionBefore === null) return w;
      const { object } = await resolveWorkload(client, discovery, {
        type: w.kind,
        name: w.name,
        namespace: w.namespace,
      });
      const revision = await currentRevision(client, object);
      // Still the revision before: the controller has not seen a new template (or none was written).
      return revision > 0 && revision !== w.revisionBefore ? { ...w, revisionAfter: revision } : w;
    }),
  );
  return { ...release, workloads };
}

/** A word of a command line as a POSIX shell reads it back: quoted only when it has to be. */
export function shellWord(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/**
 * What to run by hand when a stage's automatic rollback failed: one `upgrade-actions rollback` per
 * workload the release changed, back to the revision it had before (a second run is a no-op: rollback
 * reads its own marks). A workload the release created has no earlier revision and gets none.
 */
export function manualRollbackCommands(
  release: Release,
  access: { kubeconfig: string; context?: string },
  reason: string,
): string[] {
  return release.workloads
    .filter((w) => w.revisionBefore !== null)
    .map((w) =>
      [
        'upgrade-actions',
        'rollback',
        `${w.kind.toLowerCase()}/${w.name}`,
        '-n',
        w.namespace,
        '--to-revision',
        String(w.revisionBefore),
        '--kubeconfig',
        access.kubeconfig,
        ...(access.context ? ['--context', access.context] : []),
        '--reason',
        reason,
      ]
        .map(shellWord)
        .join(' '),
    );
}
