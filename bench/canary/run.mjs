// Canary benchmark: time from an injected failure of the canary (its backend starts answering 503) to the
// abort complete, against failure-threshold × analysis-interval; and the API requests a round and a step
// cost. On the simulator (50× time for rollouts) with a real local HTTP backend behind the canary's pods.
//
//   node bench/canary/run.mjs [runs per setting, default 3]
import { bundleAndImport, recordResults } from '../lib.mjs';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';

const runs = Number(process.argv[2] ?? 3);
const settings = [
  [200, 3],
  [500, 3],
  [1000, 2],
];
const tmp = mkdtempSync(path.join(tmpdir(), 'bench-canary-'));
try {
  const { benchAbort, benchRequests } = await bundleAndImport('bench/canary/bench.ts', tmp);
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const pad = (s, n) => String(s).padEnd(n);
  const ms = (x) => `${x.toFixed(0)} ms`;
  const lines = [
    `Injected failure → abort complete (weight 0, canary Deployment and Service deleted); ${runs} runs each:`,
    `  ${pad('interval', 10)}${pad('threshold', 11)}${pad('bound', 10)}${pad('min', 10)}${pad('median', 10)}${pad('max', 10)}max/bound`,
  ];
  for (const [interval, threshold] of settings) {
    const all = [];
    for (let i = 0; i < runs; i++) all.push((await benchAbort(interval, threshold)).detectionMs);
    const bound = interval * threshold;
    lines.push(
      `  ${pad(`${interval} ms`, 10)}${pad(threshold, 11)}${pad(ms(bound), 10)}${pad(ms(Math.min(...all)), 10)}${pad(ms(median(all)), 10)}${pad(ms(Math.max(...all)), 10)}${(Math.max(...all) / bound).toFixed(2)}`,
    );
    console.error(lines.at(-1));
  }
  const q = await benchRequests();
  lines.push(
    '',
    'A good canary, steps 50,100 (step-interval 3s, analysis-interval 500ms), Kubernetes API requests:',
    `  whole run ${q.total} (start, ${q.rounds} rounds, promotion); per analysis round ${q.perRound}; per step change ${q.stepChange}`,
  );
  console.log(lines.join('\n'));
  recordResults('canary', [
    '## canary: time to abort, and requests per round',
    '',
    `Command: \`node bench/canary/run.mjs ${runs}\` (Node ${process.version}, ${cpus().length} CPUs, load average ${loadavg()[0].toFixed(1)} at the end, ${new Date().toISOString().slice(0, 10)}).`,
    '',
    '```',
    ...lines,
    '```',
    '',
    "The failure starts at a random point of a round interval after the first passing round. Rounds fall on a fixed schedule, so the threshold-th failed round comes at most threshold × interval after the failure began; the abort then restores the router (replicas: the stable back to its replicas, the canary to 0), deletes the canary objects and writes the mark — that work is the part above 1.00 in max/bound (tens of milliseconds, beyond the detection itself). A round costs two requests: the state PATCH on the stable Deployment and the canary pods list (the pods check reads the Deployment's selector once); the HTTP check goes through the service proxy, which the client's counter does not count. A step change adds the state write, the two reads and the two scale writes of the replicas router.",
  ]);
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
