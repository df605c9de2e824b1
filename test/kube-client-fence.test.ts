import { KubeClient, loadClusterAccess } from '@upgrade-actions/kube';
import { startKubeSim, type KubeSim } from '@upgrade-actions/kube-sim';
import { manualRollbackCommands, shellWord } from '@upgrade-actions/verify';

// KubeClient.signal fences a client off the cluster: once it fires, a request waiting between retries, an
// open watch and any new request all fail at once (the staged rollout's interrupt relies on it).

let sim: KubeSim;
beforeAll(async () => {
  sim = await startKubeSim({ speed: 50 });
});
afterAll(async () => {
  await sim?.stop();
});

test('a fenced client stops retrying, ends its watch with an error, and sends nothing more', async () => {
  const client = new KubeClient(loadClusterAccess({ path: sim.kubeconfigPath }));
  const fence = new AbortController();
  client.signal = fence.signal;
  client.onRetry = () => {};
  try {
    await client.get('/api/v1/namespaces/default'); // talks while not fenced
    // A read the server answers 503: the client would retry for ~8 s; the fence ends it at the next attempt.
    const stop = sim.faults.set({ verb: 'get', resource: 'configmaps', errorRate: 1, errorCode: 503 });
    let slept = 0;
    client.sleep = async () => {
      if (++slept === 1) fence.abort('SIGTERM');
    };
    await expect(client.get('/api/v1/namespaces/default/configmaps/x')).rejects.toBeDefined();
    expect(slept).toBe(1);
    stop();
    const before = client.stats.requests;
    await expect(client.get('/api/v1/namespaces/default')).rejects.toBeDefined();
    const watch = client.watch('/api/v1/namespaces/default/pods');
    await expect(watch.next()).rejects.toBeDefined();
    expect(client.stats.requests).toBe(before); // nothing reached the server
  } finally {
    client.close();
  }
});

test('an open watch of a client fenced meanwhile fails instead of ending as a dropped connection', async () => {
  const client = new KubeClient(loadClusterAccess({ path: sim.kubeconfigPath }));
  const fence = new AbortController();
  client.signal = fence.signal;
  try {
    const watch = client.watch('/api/v1/namespaces/default/configmaps');
    const first = watch.next();
    setTimeout(() => fence.abort('SIGTERM'), 200);
    // A dropped connection ends a watch quietly (the caller resumes it); a fenced one must not resume.
    await expect(first).rejects.toBeDefined();
  } finally {
    client.close();
  }
});

test('the hand-run rollback of a stage: one command per workload the release changed, quoted for a shell', () => {
  expect(shellWord('/home/ci/.kube/dev.yaml')).toBe('/home/ci/.kube/dev.yaml');
  expect(shellWord("it's $(down)")).toBe(`'it'\\''s $(down)'`);
  const workload = (name: string, revisionBefore: number | null) => ({
    kind: 'Deployment' as const,
    name,
    namespace: 'shop',
    revisionBefore,
    revisionAfter: null,
    images: {},
  });
  expect(
    manualRollbackCommands(
      {
        version: 'v1',
        cluster: { context: 'dev', server: 'https://dev:6443', kubernetesVersion: 'v1.32.0' },
        namespace: 'shop',
        images: {},
        workloads: [workload('web', 3), workload('new-worker', null)],
        createdAt: '2026-12-05T00:00:00.000Z',
      },
      { kubeconfig: '/home/ci/dev config.yaml', context: 'dev' },
      'development failed its gate: soak: x',
    ),
  ).toEqual([
    "upgrade-actions rollback deployment/web -n shop --to-revision 3 --kubeconfig '/home/ci/dev config.yaml' --context dev --reason 'development failed its gate: soak: x'",
  ]);
});
