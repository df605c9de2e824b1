import type { Logger } from '@upgrade-actions/common';
import { checkMerge, textReport, type MergeCheckResult } from '@upgrade-actions/git';
import { createDemoRepos } from './demo-repos';
import type { DemoContext, DemoStage } from './stage';

/** merge-check on a demo origin with a clean and a conflicting upgrade pull request. */
export const mergeCheckStage: DemoStage = {
  name: 'merge-check',
  summary: 'merge-check on a clean, a conflicting and a manifest-breaking upgrade pull request',
  async run(ctx: DemoContext): Promise<boolean> {
    const repos = await createDemoRepos(ctx.root);
    ctx.say(`origin ${repos.origin}: main and 3 upgrade pull requests`);
    ctx.say(`CI checkout ${repos.ci}: depth 1, as actions/checkout leaves it`);
    const logger: Logger = {
      debug: () => {},
      info: (m) => ctx.say(`  ${m}`),
      warning: (m) => ctx.say(`  warning: ${m}`),
      error: (m) => ctx.say(`  error: ${m}`),
      group: (_n, fn) => fn(),
    };
    const check = async (branch: string, head: string): Promise<MergeCheckResult> => {
      ctx.say('');
      ctx.say(`PR ${branch} → main`);
      const r = await checkMerge({ cwd: repos.ci, base: repos.base, head, logger });
      for (const line of textReport({ ...r, baseRef: 'main', headRef: branch })
        .trimEnd()
        .split('\n'))
        ctx.say(line ? `  ${line}` : '');
      return r;
    };
    const clean = await check(repos.prs.clean.branch, repos.prs.clean.sha);
    const conflicting = await check(repos.prs.conflicting.branch, repos.prs.conflicting.sha);

    const broken = await check(repos.prs.brokenManifest.branch, repos.prs.brokenManifest.sha);

    const expect = (r: MergeCheckResult, reason: string, line: number) =>
      r.files.length === 1 &&
      r.files[0].path === 'deploy/shop-api.yaml' &&
      r.files[0].reason === reason &&
      r.files[0].line === line;
    const verdicts = [
      ['the clean PR passes', !clean.conflicted],
      [
        'the conflicting PR is blocked at deploy/shop-api.yaml:6 (content)',
        expect(conflicting, 'content', 6),
      ],
      [
        'the textually clean PR that duplicates a key is blocked at deploy/shop-api.yaml:13',
        expect(broken, 'duplicate key', 13),
      ],
    ] as const;
    ctx.say('');
    for (const [what, ok] of verdicts) ctx.say(`${ok ? '✓' : '✗ expected:'} ${what}`);
    return verdicts.every(([, ok]) => ok);
  },
};
