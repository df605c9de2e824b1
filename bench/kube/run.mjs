// kube benchmarks, on the simulator (kube-sim) with real kubectl as the peer:
//   1. following a 100-replica rollout to completion: requests to the API server and wall time for our
//      watch-based status, `kubectl rollout status`, and a loop that GETs the Deployment every second;
//   2. applying 500 objects: our server-side apply against `kubectl apply --server-side -f`.
//
//   node bench/kube/run.mjs [replicas, default 100] [clock speed, default 1]
//
// The engine and simulator are bundled from source with esbuild first. Results go to
// bench/RESULTS.md (section kube).
import { bundleAndImport, recordResults } from '../lib.mjs';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import path from 'node:path';

const replicas = Number(process.argv[2] ?? 100);
const speed = Number(process.argv[3] ?? 1);
const tmp = mkdtempSync(path.join(tmpdir(), 'bench-kube-'));
try {
  const { benchFollow, benchApply } = await bundleAndImport('bench/kube/bench.ts', tmp);

  const follow = await benchFollow(replicas, speed);
  const apply = await benchApply(500);
  const pad = (s, n) => String(s).padEnd(n);
  const lines = [
    `Following a ${replicas}-replica rollout to completion (simulated clock ×${speed}):`,
    `  ${pad('follower', 26)}${pad('requests', 10)}${pad('wall', 10)}lag after completion`,
    ...follow.map(
      (f) =>
        `  ${pad(f.how, 26)}${pad(f.requests, 10)}${pad(`${(f.wallMs / 1000).toFixed(2)} s`, 10)}${Math.round(f.lagMs)} ms`,
    ),
    '',
    'Applying 500 objects server-side (one namespace; ConfigMaps, Services, Deployments):',
    `  ${pad('applier', 34)}${pad('objects', 9)}${pad('requests', 10)}wall`,
    ...apply.map(
      (a) => `  ${pad(a.how, 34)}${pad(a.objects, 9)}${pad(a.requests, 10)}${(a.wallMs / 1000).toFixed(2)} s`,
    ),
  ];
  const ratio = (a, b) => (b ? (a / b).toFixed(1) : 'n/a');
  const ours = follow[0];
  const kubectl = follow[1];
  const poll = follow[2];
  lines.push(
    '',
    `Ratios: requests kubectl/ours ${ratio(kubectl.requests, ours.requests)}×, polling/ours ${ratio(poll.requests, ours.requests)}×; ` +
      `apply wall kubectl/ours ${ratio(apply[1].wallMs, apply[0].wallMs)}×, apply requests kubectl/ours ${ratio(apply[1].requests, apply[0].requests)}×`,
  );
  console.log(lines.join('\n'));

  recordResults('kube', [
    '## kube: following a rollout, applying manifests',
    '',
    `Command: \`node bench/kube/run.mjs ${replicas} ${speed}\` (Node ${process.version}, ${cpus().length} CPUs, kubectl 1.32, ${new Date().toISOString().slice(0, 10)}). One run; each follower follows its own, identical rollout of the same Deployment; each applier gets a fresh simulator.`,
    '',
    '```',
    ...lines,
    '```',
    '',
    'Requests are everything the follower or applier sent to the API server, discovery included (kubectl keeps a discovery cache in ~/.kube/cache, so its count depends on that cache being warm). "Lag" is the time from the Deployment status first reporting the rollout complete to the follower returning: a watch hears it at once, a 1-second poll up to a second later (the polling lag varies run to run from ~0 to 1 s), and kubectl adds its printing and exit. The apply figures compare one server-side apply PATCH per object (plus one list per resource type, to tell created/configured/unchanged) with kubectl, which also reads OpenAPI and discovery. The simulator runs in the same Node process as our follower and applier and shares its CPU with them; kubectl runs in its own process, so the comparison does not flatter us.',
  ]);
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
