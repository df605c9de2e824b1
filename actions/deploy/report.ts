import type { DeployResult } from '@upgrade-actions/deploy';
import { rollbackSummaryRows } from '@upgrade-actions/rollback';
import { escapeHtml, Summary } from '@upgrade-actions/toolkit';

const rev = (n: number | null) => (n === null ? 'new' : String(n));

/** The step's one-line failure: which rollouts failed and what the automatic rollback did. */
export function failureMessage(r: DeployResult): string {
  const failed = r.failures.map((f) => `${f.workload}: ${f.message}`).join('; ');
  if (!r.rollback) return `rollout failed: ${failed} (rollback-on-failure is off: nothing was rolled back)`;
  const done = r.rollback.outcomes.map(
    (o) => `${o.displayName} ${o.action}${o.from !== undefined ? ` ${o.from} → ${o.to}` : ''}`,
  );
  return `rollout failed: ${failed}; rolled back: ${done.join(', ')}`;
}

export function deploySummary(r: DeployResult): Summary {
  const s = new Summary().heading(r.failures.length ? 'Deploy failed' : 'Deployed', 2);
  s.paragraph(
    escapeHtml(
      `Namespace ${r.release.namespace} on ${r.release.cluster.context ?? 'the cluster'} (Kubernetes ${r.release.cluster.kubernetesVersion ?? 'unknown'}).`,
    ),
  );
  s.table(
    ['Workload', 'Revision before', 'Revision after', 'Images'],
    r.release.workloads.map((w) => [
      `${w.namespace}/${w.kind}/${w.name}`,
      rev(w.revisionBefore),
      rev(w.revisionAfter),
      Object.values(w.images ?? {}).join(', '),
    ]),
  );
  for (const f of r.failures) s.paragraph(escapeHtml(`❌ ${f.workload}: ${f.message}`));
  if (r.rollback) {
    s.heading('Automatic rollback', 3);
    s.table(['Workload', 'Outcome', 'From', 'To', 'Details'], rollbackSummaryRows(r.rollback));
  }
  for (const w of r.warnings) s.paragraph(escapeHtml(`⚠️ ${w}`));
  return s;
}
