import path from 'node:path';
import { ConfigurationError } from '@upgrade-actions/common';
import { actionsLogger, annotate, getInputs, run, setOutputs, Summary } from '@upgrade-actions/toolkit';
import { writeFileSync } from 'node:fs';
import { apiCheckAction as def } from './inputs';

await run(async () => {
  const i = getInputs(def);
  // Engines load once the inputs are valid: a step that fails on its input pays only for the toolkit.
  const {
    apiCheck,
    countFindings,
    defaultTable,
    fails,
    findingMessage,
    formatMinor,
    httpClusterApi,
    TABLE_HEADER,
    tableRows,
    toJson,
    toSarif,
  } = await import('@upgrade-actions/deprecations');
  const workspace = process.env.GITHUB_WORKSPACE ?? process.cwd();
  const cluster = i.kubeconfig ? httpClusterApi(i.kubeconfig, i.context || undefined, workspace) : undefined;
  if (i.paths.includes('-'))
    throw new ConfigurationError("paths: '-' (standard input) is for the command line only");
  let result: Awaited<ReturnType<typeof apiCheck>>;
  try {
    result = await apiCheck({
      paths: i.paths,
      cwd: workspace,
      targetVersion: i.targetVersion,
      latestVersion: i.latestVersion,
      componentVersions: i.componentVersions,
      cluster,
      logger: actionsLogger,
    });
  } finally {
    cluster?.close();
  }
  for (const w of result.warnings) annotate({ level: 'warning', title: 'N-2 version policy', message: w });
  for (const f of result.findings) {
    annotate({
      level: f.removed ? 'error' : 'warning',
      title: `${f.removed ? 'Removed' : 'Deprecated'} API ${f.apiVersion} ${f.kind}`,
      message: findingMessage(f),
      file: f.line === null ? undefined : f.file,
      line: f.line ?? undefined,
    });
  }
  if (i.sarifFile) {
    const out = path.resolve(workspace, i.sarifFile);
    const log = toSarif(result.findings, defaultTable, { root: workspace, cwd: workspace, toolVersion: '1' });
    writeFileSync(out, JSON.stringify(log, null, 2) + '\n');
  }
  const counts = countFindings(result.findings);
  const target = formatMinor(result.target);
  setOutputs(def, {
    findings: toJson(result.findings),
    deprecated: String(counts.deprecated),
    removed: String(counts.removed),
    'target-version': target,
  });
  const summary = new Summary().heading(`API check at Kubernetes ${target}`);
  summary.paragraph(
    `${counts.removed} removed, ${counts.deprecated} deprecated in ${result.objects} objects` +
      (result.clusterVersion ? ` (cluster at ${result.clusterVersion})` : '') +
      '.',
  );
  if (result.findings.length) summary.table(TABLE_HEADER, tableRows(result.findings));
  for (const w of result.warnings) summary.paragraph(`⚠️ ${w}`);
  await summary.write();
  if (fails(result.findings, i.failOn)) {
    const what = i.failOn === 'deprecated' ? 'deprecated or removed' : 'removed';
    throw new ConfigurationError(
      `${i.failOn === 'deprecated' ? counts.deprecated + counts.removed : counts.removed} objects use APIs ${what} at Kubernetes ${target} (fail-on: ${i.failOn})`,
    );
  }
});
