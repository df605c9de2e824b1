import { checkOutputFile, ConfigurationError, writeOutputFile } from '@upgrade-actions/common';
import { actionsLogger, annotate, getInputs, mask, run, setOutputs, Summary } from '@upgrade-actions/toolkit';
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
    notServed,
    plural,
    summaryLine,
    TABLE_HEADER,
    tableRows,
    toJson,
    toSarif,
  } = await import('@upgrade-actions/deprecations');
  const workspace = process.env.GITHUB_WORKSPACE ?? process.cwd();
  // The report path is checked before the work (inside the workspace); its directories are made when written.
  const sarifFile = i.sarifFile.trim()
    ? checkOutputFile(i.sarifFile.trim(), 'sarif-file', workspace, { within: workspace })
    : undefined;
  if (i.kubeconfig) {
    const { kubeconfigInputSecrets } = await import('@upgrade-actions/kube');
    // Each credential of inline kubeconfig content masked on its own, now that the kube engine is loaded
    // (the whole content was masked while inputs were parsed, before anything could print it).
    for (const secret of kubeconfigInputSecrets(i.kubeconfig)) mask(secret);
  }
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
      keepGoing: true,
    });
  } finally {
    cluster?.close();
  }
  for (const w of result.warnings) annotate({ level: 'warning', title: 'N-2 version policy', message: w });
  for (const e of result.errors)
    annotate({
      level: 'error',
      title: 'Manifest cannot be read',
      message: e.message,
      file: e.file,
      line: e.line ?? undefined,
    });
  const titles = { deprecated: 'Deprecated', removed: 'Removed', 'not-yet-available': 'Not yet available' };
  for (const f of result.findings) {
    annotate({
      level: notServed(f) ? 'error' : 'warning',
      title: `${titles[f.status]} API ${f.apiVersion} ${f.kind}`,
      message: findingMessage(f),
      file: f.line === null ? undefined : f.file,
      line: f.line ?? undefined,
    });
  }
  const counts = countFindings(result.findings);
  const target = formatMinor(result.target);
  setOutputs(def, {
    findings: toJson(result.findings),
    deprecated: String(counts.deprecated),
    removed: String(counts.removed),
    'not-yet-available': String(counts.notYetAvailable),
    'target-version': target,
  });
  const summary = new Summary().heading(`API check at Kubernetes ${target}`);
  summary.paragraph(
    summaryLine(result.findings, `Kubernetes ${target}`, result.objects) +
      (result.clusterVersion ? ` (cluster at ${result.clusterVersion})` : '') +
      '.',
  );
  if (result.findings.length) summary.table(TABLE_HEADER, tableRows(result.findings));
  for (const w of result.warnings) summary.paragraph(`⚠️ ${w}`);
  for (const e of result.errors) summary.paragraph(`❌ ${e.message}`);
  await summary.write();
  if (sarifFile) {
    const log = toSarif(result.findings, defaultTable, { root: workspace, cwd: workspace, toolVersion: '1' });
    writeOutputFile(sarifFile, JSON.stringify(log, null, 2) + '\n', 'sarif-file');
  }
  if (result.errors.length)
    throw new ConfigurationError(
      result.errors.length === 1
        ? result.errors[0].message
        : `${plural(result.errors.length, 'manifest error')}, first: ${result.errors[0].message}`,
    );
  if (fails(result.findings, i.failOn)) {
    const bad = i.failOn === 'deprecated' ? result.findings.length : counts.removed + counts.notYetAvailable;
    const what =
      i.failOn === 'deprecated'
        ? 'deprecated, removed or not yet available'
        : counts.notYetAvailable
          ? 'removed or not yet available'
          : 'removed';
    throw new ConfigurationError(
      `${plural(bad, 'object')} ${bad === 1 ? 'uses' : 'use'} APIs ${what} at Kubernetes ${target} (fail-on: ${i.failOn})`,
    );
  }
});
