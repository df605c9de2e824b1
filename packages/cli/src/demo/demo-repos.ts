import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execFile } from '@upgrade-actions/common';

// Fixed identity and dates: the demo's commits are the same on every machine, and no user config is read.
const env = {
  ...process.env,
  GIT_AUTHOR_NAME: 'Demo Maintainer',
  GIT_AUTHOR_EMAIL: 'maintainer@example.com',
  GIT_COMMITTER_NAME: 'Demo Maintainer',
  GIT_COMMITTER_EMAIL: 'maintainer@example.com',
  GIT_AUTHOR_DATE: '2026-01-01T00:00:00Z',
  GIT_COMMITTER_DATE: '2026-01-01T00:00:00Z',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_TERMINAL_PROMPT: '0',
};

export async function git(cwd: string, ...args: string[]): Promise<string> {
  return (await execFile('git', args, { cwd, env })).stdout.toString('utf8').trim();
}

function deployment(opts: {
  image: string;
  replicas: number;
  memory: string;
  /** Where a `progressDeadlineSeconds` line goes, if any: near the top or the bottom of spec. */
  deadline?: { at: 'top' | 'bottom'; seconds: number };
}): string {
  const deadline = (at: 'top' | 'bottom') =>
    opts.deadline?.at === at ? [`  progressDeadlineSeconds: ${opts.deadline.seconds}`] : [];
  return [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    '  name: shop-api',
    'spec:',
    `  replicas: ${opts.replicas}`,
    '  selector:',
    '    matchLabels: {app: shop-api}',
    ...deadline('top'),
    '  strategy:',
    '    rollingUpdate: {maxSurge: 25%, maxUnavailable: 25%}',
    '  minReadySeconds: 30',
    ...deadline('bottom'),
    '  template:',
    '    metadata:',
    '      labels: {app: shop-api}',
    '    spec:',
    '      containers:',
    '        - name: api',
    `          image: ghcr.io/acme/shop-api:${opts.image}`,
    '          readinessProbe: {httpGet: {path: /ready, port: 8080}}',
    `          resources: {limits: {memory: ${opts.memory}}}`,
    '',
  ].join('\n');
}

export interface DemoRepos {
  origin: string;
  /** A depth-1 clone of main, as actions/checkout leaves the runner. */
  ci: string;
  base: string;
  prs: Record<'clean' | 'conflicting' | 'brokenManifest', { branch: string; sha: string }>;
}

/**
 * An "origin" with main and two upgrade pull requests, and a shallow CI clone of main:
 * - upgrade/shop-api-1.5 bumps the image; main meanwhile raised the memory limit (clean merge);
 * - upgrade/shop-api-1.5-ha also sets replicas, which a hotfix on main changed too (conflict);
 * - upgrade/shop-api-1.5-deadline adds progressDeadlineSeconds, which main added lower down in the same
 *   mapping: git merges the two cleanly, the merged Deployment has the key twice.
 */
export async function createDemoRepos(root: string): Promise<DemoRepos> {
  const origin = path.join(root, 'origin.git');
  const author = path.join(root, 'maintainer');
  const ci = path.join(root, 'ci-checkout');
  for (const d of [origin, author, ci]) mkdirSync(d, { recursive: true });
  await git(origin, 'init', '--quiet', '--bare', '--initial-branch=main');
  await git(origin, 'config', 'uploadpack.allowAnySHA1InWant', 'true'); // as GitHub serves PR SHAs
  await git(author, 'init', '--quiet', '--initial-branch=main');
  await git(author, 'remote', 'add', 'origin', origin);

  const commit = async (message: string, files: Record<string, string>) => {
    for (const [name, text] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(author, name)), { recursive: true });
      writeFileSync(path.join(author, name), text);
    }
    await git(author, 'add', '--all');
    await git(author, 'commit', '--quiet', '-m', message);
    return git(author, 'rev-parse', 'HEAD');
  };

  await commit('shop-api 1.4.2', {
    'deploy/shop-api.yaml': deployment({ image: '1.4.2', replicas: 3, memory: '256Mi' }),
    'README.md': '# shop\n',
  });
  await git(author, 'checkout', '--quiet', '-b', 'upgrade/shop-api-1.5');
  const clean = await commit('Upgrade shop-api to 1.5.0', {
    'deploy/shop-api.yaml': deployment({ image: '1.5.0', replicas: 3, memory: '256Mi' }),
  });
  await git(author, 'checkout', '--quiet', '-b', 'upgrade/shop-api-1.5-ha', 'main');
  const conflicting = await commit('Upgrade shop-api to 1.5.0 with 4 replicas', {
    'deploy/shop-api.yaml': deployment({ image: '1.5.0', replicas: 4, memory: '256Mi' }),
  });
  await git(author, 'checkout', '--quiet', '-b', 'upgrade/shop-api-1.5-deadline', 'main');
  const brokenManifest = await commit('Upgrade shop-api to 1.5.0, fail rollouts after 5 minutes', {
    'deploy/shop-api.yaml': deployment({
      image: '1.5.0',
      replicas: 3,
      memory: '256Mi',
      deadline: { at: 'top', seconds: 300 },
    }),
  });
  await git(author, 'checkout', '--quiet', 'main');
  const deadline = { at: 'bottom', seconds: 600 } as const;
  await commit('Raise shop-api memory limit, 10 minute progress deadline', {
    'deploy/shop-api.yaml': deployment({ image: '1.4.2', replicas: 3, memory: '512Mi', deadline }),
  });
  const base = await commit('Hotfix: 5 replicas for the sale', {
    'deploy/shop-api.yaml': deployment({ image: '1.4.2', replicas: 5, memory: '512Mi', deadline }),
  });
  await git(author, 'push', '--quiet', 'origin', 'main', 'upgrade/shop-api-1.5', 'upgrade/shop-api-1.5-ha');
  await git(author, 'push', '--quiet', 'origin', 'upgrade/shop-api-1.5-deadline');

  await git(ci, 'init', '--quiet', '--initial-branch=main');
  await git(ci, 'remote', 'add', 'origin', `file://${origin}`);
  await git(ci, 'fetch', '--quiet', '--no-tags', '--depth=1', 'origin', 'main');
  await git(ci, 'checkout', '--quiet', '--detach', 'FETCH_HEAD');
  return {
    origin,
    ci,
    base,
    prs: {
      clean: { branch: 'upgrade/shop-api-1.5', sha: clean },
      conflicting: { branch: 'upgrade/shop-api-1.5-ha', sha: conflicting },
      brokenManifest: { branch: 'upgrade/shop-api-1.5-deadline', sha: brokenManifest },
    },
  };
}
