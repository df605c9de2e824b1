// merge-check benchmark: a generated repository of 50,000 files with 1,000 files changed on each side,
// merged three ways, side by side:
//   merge-check  — the engine (git merge-tree --write-tree in the object store, no checkout), in process;
//   worktree     — the naive way: a worktree of base, `git merge --no-commit --no-ff head`, list the
//                  unmerged files, remove the worktree (a checkout of 50,000 files is part of its cost);
//   merge-file   — the seed's per-file loop (SEEDS.md §1) generalised to every file the PR changes:
//                  git show head/merge-base/base versions, `git merge-file` each (no checkout counted).
// Two cases: the sides overlap in 10 files with conflicting edits, and the sides are disjoint (clean).
// Usage: node bench/merge-check/run.mjs [files=50000] [changed=1000] [runs=3]
// Results go to bench/RESULTS.md (section merge-check). Not part of the test suite.
import { bundleAndImport, recordResults } from '../lib.mjs';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';

const FILES = Number(process.argv[2] ?? 50_000);
const CHANGED = Number(process.argv[3] ?? 1_000);
const RUNS = Number(process.argv[4] ?? 3);
const OVERLAP = 10;

const env = {
  ...process.env,
  GIT_AUTHOR_NAME: 'bench',
  GIT_AUTHOR_EMAIL: 'bench@example.com',
  GIT_COMMITTER_NAME: 'bench',
  GIT_COMMITTER_EMAIL: 'bench@example.com',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
  LC_ALL: 'C',
};
const git = (cwd, args, opts = {}) => execFileSync('git', args, { cwd, env, maxBuffer: 1 << 30, ...opts });
const gitOk = (cwd, args) => spawnSync('git', args, { cwd, env, maxBuffer: 1 << 30 });

const fileName = (i) =>
  `services/svc-${String(Math.floor(i / 500)).padStart(3, '0')}/config-${String(i).padStart(5, '0')}.yaml`;
const content = (i, tag = 'v1', line5 = 'replicas: 3') =>
  Array.from({ length: 20 }, (_, l) =>
    l === 4 ? line5 : l === 15 ? `image: app-${i}:${tag}` : `key${l}: value ${i}-${l}`,
  ).join('\n') + '\n';

/** One fast-import stream: a root commit with every file, then base and two heads from it. */
function generate(dir) {
  git(dir, ['init', '--quiet', '--initial-branch=main']);
  const chunks = [];
  const blob = (p, text) => `M 100644 inline ${p}\ndata ${Buffer.byteLength(text)}\n${text}\n`;
  const commit = (ref, msg, from, files, when) =>
    `commit ${ref}\ncommitter bench <bench@example.com> ${when} +0000\ndata ${msg.length}\n${msg}\n` +
    (from ? `from ${from}\n` : '') +
    files.join('');
  const all = [];
  for (let i = 0; i < FILES; i++) all.push(blob(fileName(i), content(i)));
  chunks.push(commit('refs/heads/main', 'initial', undefined, all, 1767225600));
  chunks.push('reset refs/heads/start\nfrom refs/heads/main\n\n');
  // base: files [0, CHANGED) get a new image tag on line 16, the overlap also a new line 5
  const baseFiles = [];
  for (let i = 0; i < CHANGED; i++)
    baseFiles.push(
      blob(fileName(i), content(i, 'v2', i >= CHANGED - OVERLAP ? 'replicas: 5' : 'replicas: 3')),
    );
  chunks.push(commit('refs/heads/main', 'base moves on', undefined, baseFiles, 1767225700));
  // conflicted head: files [CHANGED - OVERLAP, 2*CHANGED - OVERLAP): line 5 changes (conflicts in the overlap)
  const headFiles = [];
  for (let i = CHANGED - OVERLAP; i < 2 * CHANGED - OVERLAP; i++)
    headFiles.push(blob(fileName(i), content(i, 'v1', 'replicas: 4')));
  chunks.push(commit('refs/heads/conflicted', 'head', 'refs/heads/start', headFiles, 1767225800));
  // clean head: files [2*CHANGED, 3*CHANGED)
  const cleanFiles = [];
  for (let i = 2 * CHANGED; i < 3 * CHANGED; i++)
    cleanFiles.push(blob(fileName(i), content(i, 'v1', 'replicas: 4')));
  chunks.push(commit('refs/heads/clean', 'head', 'refs/heads/start', cleanFiles, 1767225900));
  git(dir, ['fast-import', '--quiet'], { input: chunks.join('') });
  git(dir, ['update-ref', '-d', 'refs/heads/start']);
  git(dir, ['gc', '--quiet']);
}

function engine() {
  return bundleAndImport('packages/git/src/index.ts', tmp);
}

/** The naive approach: check out base in a worktree, merge head without committing, list unmerged files. */
function worktreeMerge(repo, head) {
  const wt = path.join(tmp, 'wt');
  git(repo, ['worktree', 'add', '--quiet', '--detach', wt, 'main']);
  try {
    gitOk(wt, ['merge', '--quiet', '--no-commit', '--no-ff', head]);
    const files = git(wt, ['diff', '--name-only', '-z', '--diff-filter=U'])
      .toString()
      .split('\0')
      .filter(Boolean);
    return files;
  } finally {
    git(repo, ['worktree', 'remove', '--force', wt]);
  }
}

/** The seed's loop: for each file the PR changed, a three-way `git merge-file` of its versions. */
function mergeFileLoop(repo, head) {
  const mb = git(repo, ['merge-base', 'main', head]).toString().trim();
  const files = git(repo, ['diff', '--name-only', '-z', '--no-renames', mb, head])
    .toString()
    .split('\0')
    .filter(Boolean);
  const dir = path.join(tmp, 'mf');
  mkdirSync(dir, { recursive: true });
  const conflicted = [];
  for (const f of files) {
    const versions = {};
    for (const [side, rev] of [
      ['ours', 'main'],
      ['base', mb],
      ['theirs', head],
    ]) {
      const r = gitOk(repo, ['show', `${rev}:${f}`]);
      versions[side] = r.status === 0 ? r.stdout : Buffer.alloc(0);
      writeFileSync(path.join(dir, side), versions[side]);
    }
    const r = gitOk(dir, ['merge-file', '-q', '-p', 'ours', 'base', 'theirs']);
    if (r.status !== 0) conflicted.push(f);
  }
  return conflicted;
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

async function time(fn, runs = RUNS) {
  const ms = [];
  let result;
  for (let i = 0; i < runs; i++) {
    const t = process.hrtime.bigint();
    result = await fn();
    ms.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  return { ms: median(ms), result };
}

const tmp = mkdtempSync(path.join(tmpdir(), 'bench-merge-check-'));
try {
  const repo = path.join(tmp, 'repo');
  mkdirSync(repo);
  let t = Date.now();
  generate(repo);
  const genMs = Date.now() - t;
  const count = git(repo, ['ls-tree', '-r', '--name-only', 'main'])
    .toString()
    .split('\n')
    .filter(Boolean).length;
  console.log(`generated ${count} files, ${CHANGED} changed on each side, in ${genMs} ms`);
  const { checkMerge } = await engine();

  const rows = [];
  for (const head of ['conflicted', 'clean']) {
    const mc = await time(() => checkMerge({ cwd: repo, base: 'main', head }));
    const raw = await time(() =>
      gitOk(repo, ['merge-tree', '--write-tree', '--name-only', '-z', '--messages', 'main', head]),
    );
    const wt = await time(() => worktreeMerge(repo, head));
    // thousands of processes per run: one run is enough to see the order of magnitude
    const mf = await time(() => mergeFileLoop(repo, head), 1);
    rows.push({
      head,
      found: { mc: mc.result.files.length, wt: wt.result.length, mf: mf.result.length },
      ms: { mc: mc.ms, raw: raw.ms, wt: wt.ms, mf: mf.ms },
    });
    console.log(head, JSON.stringify(rows.at(-1)));
  }

  const f = (ms) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${Math.round(ms)} ms`);
  const x = (a, b) => `${(a / b).toFixed(1)}×`;
  const lines = [
    '| case | merge-check (engine) | of which git merge-tree | worktree `git merge --no-commit` | per-file `git merge-file` loop | worktree ÷ merge-check | merge-file ÷ merge-check |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...rows.map(
      (r) =>
        `| ${r.head === 'conflicted' ? `${OVERLAP} files conflict` : 'clean (disjoint sides)'} | ${f(r.ms.mc)} (${r.found.mc} files) | ${f(r.ms.raw)} | ${f(r.ms.wt)} (${r.found.wt} files) | ${f(r.ms.mf)} (${r.found.mf} files) | ${x(r.ms.wt, r.ms.mc)} | ${x(r.ms.mf, r.ms.mc)} |`,
    ),
  ];
  console.log(lines.join('\n'));
  recordResults('merge-check', [
    '## merge-check: merge-tree against a worktree merge and the seed’s per-file loop',
    '',
    `Command: \`node bench/merge-check/run.mjs ${FILES} ${CHANGED} ${RUNS}\` (Node ${process.version}, git ${git(repo, ['version']).toString().trim().replace('git version ', '')}, ${cpus().length} CPUs, load average ${loadavg()[0].toFixed(1)} at the end, ${new Date().toISOString().slice(0, 10)}). Median of ${RUNS} runs (the per-file loop: 1 run).`,
    '',
    `Repository: ${count} files of 20 lines (generated with \`git fast-import\` in ${f(genMs)}, then \`git gc\`); base and head each change ${CHANGED} files. In the conflicted case ${OVERLAP} of those are changed on both sides on the same line.`,
    '',
    ...lines,
    '',
    ...(loadavg()[0] > cpus().length
      ? [
          `The machine was shared while this ran (load average above ${cpus().length} on ${cpus().length} CPUs): absolute times are inflated, most for the approaches that start thousands of processes or write 50,000 files; the ratios were measured side by side in the same run.`,
          '',
        ]
      : []),
    '- merge-check: `checkMerge()` in process (version check, ref resolution, merge base, `git merge-tree --write-tree --name-only -z --messages`, conflict-marker lines from the merged blobs; on the clean case also the YAML check of files changed on both sides — none here).',
    '- worktree: `git worktree add` of base (checks out every file), `git merge --no-commit --no-ff`, `git diff --diff-filter=U`, `git worktree remove`. This is what a checkout-based check pays on a runner.',
    '- per-file loop: for each file the PR changes, `git show` of its three versions and `git merge-file` (4 processes per file). It only sees content conflicts of files changed by the head (no renames, deletions, modes, directory/file) and needs the full history (`fetch-depth: 0`) in the seed.',
  ]);
  const bad = rows.find((r) => r.found.mc !== r.found.wt);
  if (bad) {
    console.error(
      `merge-check and the worktree merge disagree on ${bad.head}: ${bad.found.mc} vs ${bad.found.wt} files`,
    );
    process.exitCode = 1;
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
