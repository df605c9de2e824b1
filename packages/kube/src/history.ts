import { describePodTemplate } from './describe-template';
import { allReplicaSets } from './replicasets';
import { ownedRevisions, templateOfRevision } from './rollback';
import { revisionOf } from './revision';
import { tabbed } from './tabwriter';
import type {
  ControllerRevision,
  DaemonSet,
  Deployment,
  PodTemplateSpec,
  ReplicaSet,
  StatefulSet,
} from './types';

export const CHANGE_CAUSE_ANNOTATION = 'kubernetes.io/change-cause';

interface Entry {
  template: PodTemplateSpec | undefined;
  changeCause: string;
}

/**
 * The text kubectl's HistoryViewer returns for a Deployment (`kubectl rollout history`): the
 * `REVISION  CHANGE-CAUSE` table, `No rollout history found.`, or with `revision` > 0 that
 * revision's pod template (its change cause shown as an annotation). Throws
 * `unable to find the specified revision` like kubectl.
 */
export function deploymentHistory(deployment: Deployment, replicaSets: ReplicaSet[], revision = 0): string {
  const entries = new Map<number, Entry>();
  for (const rs of allReplicaSets(deployment, replicaSets)) {
    let v: number;
    try {
      v = revisionOf(rs);
    } catch {
      continue; // kubectl logs a warning and skips it
    }
    const template = structuredClone(rs.spec?.template ?? {});
    const changeCause = rs.metadata?.annotations?.[CHANGE_CAUSE_ANNOTATION] ?? '';
    template.metadata ??= {};
    template.metadata.annotations ??= {};
    if (changeCause) template.metadata.annotations[CHANGE_CAUSE_ANNOTATION] = changeCause;
    entries.set(v, { template, changeCause: template.metadata.annotations[CHANGE_CAUSE_ANNOTATION] ?? '' });
  }
  return render(entries, revision);
}

/** The same for a StatefulSet or DaemonSet, read from its ControllerRevisions. */
export function controllerRevisionHistory(
  obj: StatefulSet | DaemonSet,
  revisions: ControllerRevision[],
  revision = 0,
): string {
  const entries = new Map<number, Entry>();
  for (const h of ownedRevisions(obj, revisions)) {
    entries.set(h.revision ?? 0, {
      template: templateOfRevision(h) ?? obj.spec?.template,
      changeCause: h.metadata?.annotations?.[CHANGE_CAUSE_ANNOTATION] ?? '',
    });
  }
  return render(entries, revision);
}

function render(entries: Map<number, Entry>, revision: number): string {
  if (entries.size === 0) return 'No rollout history found.';
  if (revision > 0) {
    const entry = entries.get(revision);
    if (!entry) throw new Error('unable to find the specified revision');
    return describePodTemplate(entry.template);
  }
  const rows = [...entries.keys()]
    .sort((a, b) => a - b)
    .map((r) => `${r}\t${entries.get(r)!.changeCause || '<none>'}\n`);
  return tabbed(`REVISION\tCHANGE-CAUSE\n${rows.join('')}`);
}

/**
 * What `kubectl rollout history` prints for one object: `<kind>.<group>/<name> ` then the viewer's
 * text (with `with revision #N` when a revision is asked for), then a newline.
 */
export function formatHistoryOutput(resourceName: string, historyText: string, revision = 0): string {
  const withRevision = revision > 0 ? `with revision #${revision}` : '';
  return `${resourceName} ${withRevision}\n${historyText}\n`;
}
