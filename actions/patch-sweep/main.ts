import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { ConfigurationError, wrapError } from '@upgrade-actions/common';
import {
  actionsLogger,
  annotate,
  escapeHtml,
  getInputs,
  mask,
  run,
  setOutputs,
  Summary,
} from '@upgrade-actions/toolkit';
import type { BranchTarget } from '@upgrade-actions/git';
import { patchSweepAction as def } from './inputs';

await run(async () => {
  const i = getInputs(def);
  // Engines load once the inputs are valid: a step that fails on its input pays only for the toolkit.
  const { checkPatterns, publish, sweep, updateRows, UPDATE_HEADER } =
    await import('@upgrade-actions/patch-sweep');
  const workspace = process.env.GITHUB_WORKSPACE ?? process.cwd();
  const root = path.resolve(workspace, i.workingDirectory);
  if (!existsSync(root) || !statSync(root).isDirectory())
    throw new ConfigurationError(
      `working-directory: "${i.workingDirectory}" is not a folder of the workspace`,
    );
  checkPatterns(i.include, 'include');
  checkPatterns(i.exclude, 'exclude');

  // Everything the push and the pull request need is checked before the first registry request.
  let publishTo: { target: BranchTarget; owner: string; repo: string } | undefined;
  if (!i.dryRun) {
    if (!i.token)
      throw new ConfigurationError(
        'token: empty; give a token with contents: write and pull-requests: write (the default is github.token), or set dry-run: true',
      );
    const [owner, repo] = (process.env.GITHUB_REPOSITORY ?? '').split('/');
    if (!owner || !repo)
      throw new ConfigurationError('GITHUB_REPOSITORY is not owner/name: run on a GitHub Actions runner');
    const { prepareBranch } = await import('@upgrade-actions/git');
    const target = await prepareBranch({
      cwd: root,
      branch: i.branch,
      token: i.token,
      onSecret: mask,
      logger: actionsLogger,
    });
    publishTo = { target, owner, repo };
  }

  let standing: { line: string; warning: string | null } | undefined;
  if (i.kubeconfig) {
    // Each credential of inline kubeconfig content masked on its own, now that the kube engine is loaded
    // (the whole content was masked while inputs were parsed, before anything could print it).
    const { kubeconfigInputSecrets } = await import('@upgrade-actions/kube');
    for (const secret of kubeconfigInputSecrets(i.kubeconfig)) mask(secret);
    const { clusterStanding } = await import('./cluster');
    try {
      standing = await clusterStanding(i.kubeconfig, i.context, workspace);
      actionsLogger.info(standing.line);
      if (standing.warning)
        annotate({ level: 'warning', title: 'N-2 version policy', message: standing.warning });
    } catch (e) {
      // The cluster's standing is a report beside the sweep: an unreachable cluster must not hold back patches.
      actionsLogger.warning(`could not read the cluster's Kubernetes version: ${wrapError(e).message}`);
    }
  }

  const { RegistryClient, dockerConfigCredentials } = await import('@upgrade-actions/registry');
  const result = await actionsLogger.group('Sweeping image references', () =>
    sweep({
      root,
      paths: i.paths,
      include: i.include,
      exclude: i.exclude,
      pinDigest: i.pinDigest,
      // Credentials as docker reads them (docker/login-action writes them): ~/.docker/config.json.
      client: async (registry) =>
        new RegistryClient({
          registry,
          credentials: await dockerConfigCredentials(registry),
          logger: actionsLogger,
          onSecret: mask,
        }),
      logger: actionsLogger,
    }),
  );

  let updates = result.updates;
  let pullRequest: { number: number; url: string; action: string } | undefined;
  if (publishTo && updates.length > 0) {
    const { client } = await import('@upgrade-actions/github');
    const published = await actionsLogger.group(`Pushing ${i.branch} and its pull request`, () =>
      publish({
        target: publishTo.target,
        result,
        github: {
          octokit: client({ token: i.token }),
          owner: publishTo.owner,
          repo: publishTo.repo,
          base: i.base || undefined,
        },
        logger: actionsLogger,
      }),
    );
    updates = published.updates;
    pullRequest = published.pullRequest;
  }

  setOutputs(def, {
    updates: JSON.stringify(updates),
    'pull-request-number': pullRequest ? String(pullRequest.number) : '',
    'pull-request-url': pullRequest?.url ?? '',
  });
  const summary = new Summary().heading('Patch sweep', 2);
  summary.paragraph(
    updates.length === 0
      ? `Every image reference is at its newest patch release (${result.tagLists} tag lists read).`
      : `${updates.length} reference${updates.length === 1 ? '' : 's'} to bump (${result.tagLists} tag lists read)${i.dryRun ? ': dry run, nothing pushed' : ''}.`,
  );
  if (updates.length > 0) summary.table(UPDATE_HEADER, updateRows(updates));
  if (pullRequest)
    summary.paragraph(
      `Pull request <a href="${escapeHtml(pullRequest.url)}">#${pullRequest.number}</a> ${pullRequest.action === 'created' ? 'opened' : pullRequest.action === 'updated' ? 'updated' : 'already up to date'}.`,
    );
  if (standing) summary.paragraph(`${standing.warning ? '⚠️' : '✅'} ${escapeHtml(standing.line)}`);
  await summary.write();
});
