import { readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { builtin } from '@upgrade-actions/kube-sim';
import { runAction } from './harness/run-action';
import { kindWorld, startArtifactService } from './kind-cluster-helpers';

/**
 * The kind-cluster action's lifecycle through the runner harness (stub kind/docker, kube-sim): the
 * registry and image loading, a failed create, nodes that never become Ready, cancellation, cleanup
 * errors and keep.
 */
const w = kindWorld();
const { downloaded, opts, post } = w;

test('the registry is started, wired into every node and advertised; images and archives are loaded; post removes it', async () => {
  writeFileSync(path.join(w.job.workspace, 'app.tar'), 'not really an image');
  const o = opts(
    downloaded({
      'cluster-name': 'reg',
      workers: '1',
      registry: 'true',
      'registry-port': '5002',
      'load-images': 'app:dev\nbusybox:1.37\napp.tar',
    }),
  );
  const main = await runAction('kind-cluster', o);
  expect(main.failedMessage).toBeUndefined();
  expect(main.outputs.registry).toBe('localhost:5002');
  const calls = w.job.calls().map((c) => `${c.tool} ${c.args.join(' ')}${c.stdin ? ` <<< ${c.stdin}` : ''}`);
  const dir = '/etc/containerd/certs.d/localhost:5002';
  expect(calls.filter((c) => !c.startsWith('kind create'))).toEqual([
    'docker info --format {{.ServerVersion}}',
    'docker run -d --restart=always -p 127.0.0.1:5002:5000 --network bridge --name reg-registry registry:3',
    'kind get nodes --name reg',
    `docker exec reg-control-plane mkdir -p ${dir}`,
    `docker exec -i reg-control-plane cp /dev/stdin ${dir}/hosts.toml <<< [host."http://reg-registry:5000"]\n`,
    `docker exec reg-worker mkdir -p ${dir}`,
    `docker exec -i reg-worker cp /dev/stdin ${dir}/hosts.toml <<< [host."http://reg-registry:5000"]\n`,
    'docker inspect -f {{json .NetworkSettings.Networks.kind}} reg-registry',
    'docker network connect kind reg-registry',
    'kind load docker-image app:dev busybox:1.37 --name reg',
    `kind load image-archive ${path.join(w.job.workspace, 'app.tar')} --name reg`,
  ]);
  expect(main.stdout).toContain('config_path = "/etc/containerd/certs.d"');
  const cm = w.sim.store.get(builtin('', 'configmaps'), 'kube-public', 'local-registry-hosting');
  expect(cm?.data).toEqual({
    'localRegistryHosting.v1':
      'host: "localhost:5002"\nhelp: "https://kind.sigs.k8s.io/docs/user/local-registry/"\n',
  });

  await post(main.state, o);
  expect(
    w.job
      .calls()
      .slice(-2)
      .map((c) => `${c.tool} ${c.args.join(' ')}`),
  ).toEqual([
    `kind delete cluster --name reg --kubeconfig ${path.join(w.job.home, '.kube', 'config')}`,
    'docker rm -f reg-registry',
  ]);
});

test('a failed create fails the step with kind’s own error; post uploads the exported logs as an artifact and deletes the cluster', async () => {
  const artifacts = await startArtifactService();
  try {
    const o = opts(downloaded({ 'cluster-name': 'broken' }), { STUB_FAIL: 'create', ...artifacts.env });
    const main = await runAction('kind-cluster', o);
    expect(main.code).toBe(1);
    expect(main.failedMessage).toMatch(
      /^kind create cluster exited with code 1: .*ERROR: failed to create cluster: failed to init node with kubeadm/,
    );
    expect(main.stdout).toContain(' ✗ Starting control-plane');

    const p = await post(main.state, o);
    const logs = path.join(w.job.temp, 'kind-logs-broken');
    expect(w.job.kindCalls().slice(-2)).toEqual([
      `export logs ${logs} --name broken`,
      `delete cluster --name broken --kubeconfig ${path.join(w.job.home, '.kube', 'config')}`,
    ]);
    expect(readdirSync(logs).sort()).toEqual(['broken-control-plane', 'kind-version.txt']);
    expect(p.groups).toEqual(['Export logs of cluster broken', 'Delete cluster broken']);
    expect(p.annotations.filter((a) => a.level === 'warning')).toEqual([]);
    expect(artifacts.calls.map((c) => [c.method, c.body.name])).toEqual([
      ['CreateArtifact', 'kind-logs-broken'],
      ['FinalizeArtifact', 'kind-logs-broken'],
    ]);
    // The zip's directory names every exported file.
    const zip = artifacts.uploaded().toString('latin1');
    expect(zip.startsWith('PK')).toBe(true);
    expect(zip).toContain('broken-control-plane/kubelet.log');
    expect(zip).toContain('kind-version.txt');
    expect(p.stdout).toContain('uploaded as artifact kind-logs-broken');
  } finally {
    await artifacts.stop();
  }
});

test('nodes that never become Ready fail the step after the wait, naming them; post cleans up', async () => {
  const o = opts(downloaded({ 'cluster-name': 'slow', workers: '1', wait: '2s' }), {
    STUB_NODES_READY: 'false',
  });
  const main = await runAction('kind-cluster', o);
  expect(main.failedMessage).toBe(
    'cluster not ready after 2s: waiting for 2 of 2 nodes to be Ready: slow-control-plane (KubeletNotReady), slow-worker (KubeletNotReady)',
  );
  await post(main.state, o);
  expect(w.job.kindCalls().slice(-1)[0]).toMatch(/^delete cluster --name slow /);
});

test('SIGTERM while kind is creating the cluster stops main, and post still deletes the cluster', async () => {
  const o = opts(downloaded({ 'cluster-name': 'cancelled' }), { STUB_SLEEP_MS: '60000' });
  const main = await runAction('kind-cluster', {
    ...o,
    onSpawn: (child) => {
      const poll = setInterval(() => {
        if (w.job.kindCalls().some((c) => c.startsWith('create cluster'))) {
          clearInterval(poll);
          child.kill('SIGTERM');
        }
      }, 50);
      child.on('close', () => clearInterval(poll));
    },
  });
  expect(main.code).not.toBe(0);
  expect(main.outputs).toEqual({});
  expect(main.stdout).toContain('SIGTERM received: stopping; the post step deletes cluster cancelled');
  expect(main.state).toMatchObject({ cluster: 'cancelled', phase: 'creating' });
  expect(main.state.outcome).toBeUndefined();

  const p = await post(main.state, o);
  expect(p.code).toBe(0);
  expect(w.job.kindCalls()).toContain(
    `delete cluster --name cancelled --kubeconfig ${path.join(w.job.home, '.kube', 'config')}`,
  );
  expect(w.job.kindCalls()).toContain(
    `export logs ${path.join(w.job.temp, 'kind-logs-cancelled')} --name cancelled`,
  );
});

test('a cleanup error is a warning by default, and fails the post step with fail-on-cleanup-error', async () => {
  const o = opts(downloaded({ 'cluster-name': 'stuck' }));
  const main = await runAction('kind-cluster', o);
  expect(main.failedMessage).toBeUndefined();
  const failing = { ...o, env: { ...o.env, STUB_FAIL: 'delete' } };
  const msg =
    'deleting cluster stuck failed: kind delete cluster exited with code 1: Deleting cluster "stuck" ... | ' +
    'ERROR: failed to delete cluster "stuck": failed to delete nodes: command "docker rm -f -v stuck-control-plane" failed with error: exit status 1';
  for (const [failOn, level, code] of [
    ['false', 'warning', 0],
    ['true', 'error', 1],
  ] as const) {
    const p = await post({ ...main.state, 'fail-on-cleanup-error': failOn }, failing);
    expect(p.annotations.filter((a) => a.level === level).map((a) => a.message)).toEqual([msg]);
    expect(p.code).toBe(code);
  }
});

test('keep: true leaves the cluster and registry in place', async () => {
  const o = opts(downloaded({ 'cluster-name': 'kept', keep: 'true', registry: 'true' }));
  const main = await runAction('kind-cluster', o);
  const p = await post(main.state, o);
  expect(p.stdout).toContain('keeping cluster kept and registry kept-registry (keep: true)');
  expect(w.job.calls().filter((c) => c.args[0] === 'delete' || c.args[0] === 'rm')).toEqual([]);
});
