// patch-sweep benchmark: a sweep over 1,000 manifests with 200 image references in 20 repositories on a real
// docker-registry: wall time, tag lists (one per repository is the target) and registry requests.
//
//   node bench/patch-sweep/run.mjs [runs, default 3]
import { bundleAndImport, recordResults } from '../lib.mjs';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';

const runs = Number(process.argv[2] ?? 3);
const tmp = mkdtempSync(path.join(tmpdir(), 'bench-patch-sweep-'));
try {
  const { benchSweep } = await bundleAndImport('bench/patch-sweep/bench.ts', tmp);
  const figures = await benchSweep(runs);
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const f = {
    wall: median(figures.map((x) => x.wallMs)),
    updates: figures[0].updates,
    tagLists: figures[0].tagLists,
    requests: median(figures.map((x) => x.requests)),
  };
  const lines = [
    `1,000 manifests, 200 image references in 20 repositories (median of ${runs} runs):`,
    `  wall ${f.wall.toFixed(0)} ms; ${f.updates} updates; ${f.tagLists} tag lists (target: one per repository, 20); ${f.requests} registry requests`,
  ];
  console.log(lines.join('\n'));
  recordResults('patch-sweep', [
    '## patch-sweep: a large repository',
    '',
    `Command: \`node bench/patch-sweep/run.mjs ${runs}\` (Node ${process.version}, ${cpus().length} CPUs, load average ${loadavg()[0].toFixed(1)} at the end, ${new Date().toISOString().slice(0, 10)}). A real docker-registry on loopback; each repository holds 1.4.0, 1.4.1, 1.4.2, 1.4.3-rc.1 and 1.5.0, and every reference is at 1.4.0.`,
    '',
    '```',
    ...lines,
    '```',
    '',
    'Every reference is bumped to 1.4.2: the pre-release 1.4.3-rc.1 never wins and 1.5.0 is another minor. The tag list of each repository is fetched once, whatever the number of references (tag lists go 8 at a time); 20 registry requests in all: the 20 tag lists and nothing else (the loopback registry needs no token).',
  ]);
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
