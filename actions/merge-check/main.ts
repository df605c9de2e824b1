import path from 'node:path';
import { ConfigurationError, wrapError } from '@upgrade-actions/common';
import {
  actionsLogger,
  annotate,
  eventName,
  getInputs,
  readEvent,
  run,
  setOutputs,
} from '@upgrade-actions/toolkit';
import { mergeCheck } from './inputs';
import { resolveTarget } from './target';

await run(async () => {
  const i = getInputs(mergeCheck);
  // Engines load once the inputs are valid: a step that fails on its input pays only for the toolkit.
  const { checkMerge, COMMENT_MARKER, commentMarkdown, headline } = await import('@upgrade-actions/git');
  const { client, setLabel, upsertStickyComment } = await import('@upgrade-actions/github');
  const { annotationsOf, summaryOf } = await import('./report');
  const target = resolveTarget(i, readEvent(), eventName(), process.env.GITHUB_REPOSITORY);
  const cwd = path.resolve(process.env.GITHUB_WORKSPACE ?? process.cwd(), i.workingDirectory);

  const result = await actionsLogger.group(`Merging ${target.headName} into ${target.baseName}`, () =>
    checkMerge({
      cwd,
      base: target.base,
      head: target.head,
      names: { base: target.baseName, head: target.headName },
      checkManifests: i.checkManifests,
      fetch: { remote: i.remote, depth: i.fetchDepth },
      logger: actionsLogger,
    }),
  );
  actionsLogger.info(headline(result));
  for (const a of annotationsOf(result)) annotate(a);
  await summaryOf(result, target.pullRequest?.title).write();
  setOutputs(mergeCheck, {
    conflicted: String(result.conflicted),
    files: result.files,
    'merge-tree': result.conflicted ? '' : result.tree,
    'merge-base': result.mergeBase,
  });

  const pr = target.pullRequest;
  if (i.token && pr) {
    // Fork PRs get a read-only token: telling the author is best-effort, the check's verdict is not.
    try {
      const octokit = client({ token: i.token });
      if (i.comment)
        await upsertStickyComment(octokit, pr, COMMENT_MARKER, commentMarkdown(result, pr.title), {
          onlyUpdate: !result.conflicted,
          logger: actionsLogger,
        });
      if (i.conflictLabel) await setLabel(octokit, pr, i.conflictLabel, result.conflicted, actionsLogger);
    } catch (e) {
      actionsLogger.warning(`could not update pull request #${pr.number}: ${wrapError(e).message}`);
    }
  } else if (i.token) {
    actionsLogger.info('No pull request in this event: no comment, no label');
  }

  // A conflict is the author's to fix: one line, no stack trace.
  if (result.conflicted && i.failOnConflict) throw new ConfigurationError(headline(result));
});
