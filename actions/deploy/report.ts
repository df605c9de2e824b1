import type { DeployResult } from '@upgrade-actions/deploy';
import { rollbackSummaryRows } from '@upgrade-actions/rollback';
import { escapeHtml, Summary } from '@upgrade-actions/toolkit';

const rev = (n: number | null) => (n === null ? 'new' : String(n));

/**
 * How a deploy whose rollouts failed ends. Each failed rollout was reported as an error when it failed,
 * and the automatic rollback's log group said what it restored: the verdict adds only what is new —
 * that nothing was rolled back, or which workloads the rollback did not recover. undefined: no failure.
 */
export function failureVerdict(r: DeployResult): { error?: string } | undefined {
  if (r.failures.length === 0) return undefined;
  if (!r.rollback) return { error: 'rollback-on-failure is off: nothing was rolled back' };
  const bad = r.rollback.outcomes.filter((o) => o.action === 'failed').map((o) => o.displayName);
  if (bad.length) return { error: `the automatic rollback did not recover ${bad.join(', ')}` };
  return {};
}

/**
 * The job summary. `stopped` says why a deploy ended early (an error after its first write, a
 * cancellation): the table is then what it had applied, with "unknown" where it had not read a revision.
 */
export function deploySummary(r: DeployResult, stopped?: string): Summary {
  const heading = stopped ? 'Deploy stopped' : r.failures.length ? 'Deploy failed' : 'Deployed';
  const s = new Summary().heading(heading, 2);
  if (stopped) s.paragraph(escapeHtml(`⛔ It stopped after its first write: ${stopped}`));
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
      w.revisionAfter === null ? (stopped ? 'unknown' : 'new') : String(w.revisionAfter),
      Object.values(w.images ?? {}).join(', '),
    ]),
  );
  if (stopped && r.applied.length === 0)
    s.paragraph(escapeHtml('The apply did not finish: the log says which objects it had changed.'));
  for (const f of r.failures) s.paragraph(escapeHtml(`❌ ${f.workload}: ${f.message}`));
  if (r.rollback) {
    s.heading('Automatic rollback', 3);
    s.table(['Workload', 'Outcome', 'From', 'To', 'Details'], rollbackSummaryRows(r.rollback));
  }
  for (const w of r.warnings) s.paragraph(escapeHtml(`⚠️ ${w}`));
  return s;
}
