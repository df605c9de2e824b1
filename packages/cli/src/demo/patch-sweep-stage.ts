import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { prepareBranch } from '@upgrade-actions/git';
import { client as githubClient } from '@upgrade-actions/github';
import { publish, sweep, type Published, type SweepResult } from '@upgrade-actions/patch-sweep';
import { platformConfig, pushImage, RegistryClient } from '@upgrade-actions/registry';
import { withDemoRegistry } from './demo-registry';
import { git } from './demo-repos';
import { LocalGitHubPulls } from './local-github';
import { stageLogger, type DemoContext, type DemoStage } from './stage';

const WEB = 'acme/web';
const SHIPPER = 'acme/log-shipper';
const BRANCH = 'upgrade-actions/patch-sweep';

const manifest = (host: string) =>
  [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata: {name: web, namespace: shop}',
    'spec:',
    '  replicas: 3',
    '  selector: {matchLabels: {app: web}}',
    '  template:',
    '    metadata: {labels: {app: web}}',
    '    spec:',
    '      containers:',
    '        - name: web',
    `          image: ${host}/${WEB}:1.25.1`,
    '        - name: log-shipper',
    `          image: ${host}/${SHIPPER}:2.3.0`,
    '',
  ].join('\n');

/**
 * The patch sweep as its scheduled workflow runs it: the registry holds a patch release, a pre-release and
 * the next minor; the sweep picks the patch, pushes one commit to a branch of a local git remote and opens
 * the pull request on a local pull-request API (GitHub's routes); a later patch release makes the second
 * run force-push the branch and edit the same pull request, as Renovate users expect.
 */
export const patchSweepStage: DemoStage = {
  name: 'patch-sweep',
  summary:
    'a patch release bumped on a branch of a local git remote, one pull request, edited by the next run',
  run: (ctx: DemoContext) =>
    withDemoRegistry(ctx, async (registry) => {
      const images = new RegistryClient({ registry: registry.host });
      const release = (repository: string, tag: string) =>
        pushImage(images, repository, {
          config: platformConfig('amd64'),
          layer: `${repository} ${tag}\n`,
          tag,
        });
      for (const tag of ['1.25.1', '1.25.3', '1.25.4-rc.1', '1.26.0']) await release(WEB, tag);
      await release(SHIPPER, '2.3.0');
      ctx.say(`  ${registry.host}/${WEB}: 1.25.1, 1.25.3, 1.25.4-rc.1, 1.26.0`);
      ctx.say(`  ${registry.host}/${SHIPPER}: 2.3.0`);

      mkdirSync(ctx.root, { recursive: true });
      const origin = path.join(ctx.root, 'origin.git');
      const checkout = path.join(ctx.root, 'checkout');
      const seed = path.join(ctx.root, 'seed');
      await git(ctx.root, 'init', '--quiet', '--bare', '--initial-branch=main', origin);
      await git(ctx.root, 'init', '--quiet', '--initial-branch=main', seed);
      mkdirSync(path.join(seed, 'deploy'));
      const before = manifest(registry.host);
      writeFileSync(path.join(seed, 'deploy', 'web.yaml'), before);
      await git(seed, 'add', '.');
      await git(seed, 'commit', '--quiet', '-m', 'web 1.25.1');
      await git(seed, 'push', '--quiet', origin, 'main');
      await git(ctx.root, 'clone', '--quiet', origin, checkout);
      ctx.say(`git remote ${origin}; a checkout of main runs ${WEB}:1.25.1 (deploy/web.yaml)`);
      const api = await new LocalGitHubPulls('acme', 'shop').start();
      api.webUrl = api.url;
      ctx.say(
        `pull-request API ${api.url} (GitHub's REST routes, local: GitHub is not reachable from the demo)`,
      );
      try {
        const logger = stageLogger(ctx);
        const octokit = githubClient({ token: 'demo-token', apiUrl: api.url });
        const run = async (): Promise<{ result: SweepResult; published: Published }> => {
          const target = await prepareBranch({ cwd: checkout, branch: BRANCH, logger });
          const result = await sweep({
            root: checkout,
            paths: [],
            include: [],
            exclude: [],
            pinDigest: false,
            client: (r) => new RegistryClient({ registry: r }),
            logger,
          });
          for (const u of result.updates) ctx.say(`  ${u.image}  ${u.from} → ${u.to}  ${u.file}:${u.line}`);
          const published = await publish({
            target,
            result,
            github: { octokit, owner: 'acme', repo: 'shop', base: 'main' },
            logger,
          });
          return { result, published };
        };
        const onRemote = async () => {
          const state = {
            text: await git(origin, 'show', `${BRANCH}:deploy/web.yaml`),
            commits: await git(origin, 'rev-list', '--count', `main..${BRANCH}`),
            changed: await git(origin, 'diff', '--numstat', 'main', BRANCH),
          };
          // The change as a reviewer sees it in the pull request: the lines removed and added.
          const diff = (await git(origin, 'diff', '-U0', 'main', BRANCH)).split('\n');
          ctx.say(`  origin ${BRANCH}, ${state.commits} commit on main:`);
          for (const l of diff.filter((d) => /^[-+] /.test(d)))
            ctx.say(`    ${l.replace(/^([-+]) +/, '$1 ')}`);
          return state;
        };

        ctx.say('');
        ctx.say('sweep (scheduled run 1)');
        const first = await run();
        const afterFirst = await onRemote();
        const pullAfterFirst = api.pulls.map((p) => ({ ...p }));

        ctx.say('');
        await release(WEB, '1.25.4');
        ctx.say(`${WEB} 1.25.4 is released; sweep (scheduled run 2)`);
        const second = await run();
        const afterSecond = await onRemote();

        const bumped = (to: string) => before.replace(`${WEB}:1.25.1`, `${WEB}:${to}`).trimEnd();
        const pr = pullAfterFirst[0];
        ctx.say('');
        const verdicts = [
          [
            'the sweep picked 1.25.3: not the pre-release 1.25.4-rc.1, not the next minor 1.26.0; log-shipper 2.3.0 is left alone',
            first.result.updates.length === 1 &&
              first.result.updates[0].image === `${registry.host}/${WEB}` &&
              first.result.updates[0].to === '1.25.3',
          ],
          [
            `${BRANCH} on the remote is one commit on main that changes that one line (1.25.1 → 1.25.3)`,
            afterFirst.commits === '1' &&
              afterFirst.changed === '1\t1\tdeploy/web.yaml' &&
              afterFirst.text === bumped('1.25.3'),
          ],
          [
            `one pull request opened (#${pr?.number}, ${BRANCH} → main) with the bump in its body`,
            first.published.pullRequest?.action === 'created' &&
              pullAfterFirst.length === 1 &&
              pr.base.ref === 'main' &&
              /\| 1\.25\.1 \| 1\.25\.3 \|/.test(pr.body ?? ''),
          ],
          [
            `the second run moved the branch to 1.25.4 and edited #${pr?.number}: still one pull request`,
            second.published.pullRequest?.action === 'updated' &&
              second.published.pullRequest.number === pr?.number &&
              api.pulls.length === 1 &&
              /\| 1\.25\.1 \| 1\.25\.4 \|/.test(api.pulls[0].body ?? '') &&
              afterSecond.commits === '1' &&
              afterSecond.text === bumped('1.25.4'),
          ],
        ] as const;
        for (const [what, ok] of verdicts) ctx.say(`${ok ? '✓' : '✗ expected:'} ${what}`);
        return verdicts.every(([, ok]) => ok);
      } finally {
        await api.stop();
      }
    }),
};
