import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { parse } from 'yaml';
import { R } from '../resources';
import { startKubeSim } from '../sim';

describe('startKubeSim', () => {
  test('several simulators run side by side, each with its own port, kubeconfig and objects', async () => {
    const sims = await Promise.all(Array.from({ length: 8 }, () => startKubeSim()));
    try {
      expect(new Set(sims.map((s) => s.url)).size).toBe(8);
      sims[0].store.create(R.namespaces, {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name: 'only-in-first' },
      });
      const seen = await Promise.all(
        sims.map(async (s) => {
          const res = await fetch(`${s.url}/api/v1/namespaces/only-in-first`);
          return res.status;
        }),
      );
      expect(seen).toEqual([200, 404, 404, 404, 404, 404, 404, 404]);
      const kubeconfig = parse(await readFile(sims[3].kubeconfigPath, 'utf8'));
      expect(kubeconfig.clusters[0].cluster.server).toBe(sims[3].url);
      expect(kubeconfig['current-context']).toBe('kube-sim');
    } finally {
      await Promise.all(sims.map((s) => s.stop()));
    }
    for (const s of sims) expect(existsSync(s.kubeconfigPath)).toBe(false);
  });

  test('a fresh simulator has the system namespaces, the kubernetes Service and three Ready nodes', async () => {
    const sim = await startKubeSim({ controllers: false });
    try {
      expect(sim.store.list(R.namespaces).map((n) => n.metadata.name)).toEqual([
        'default',
        'kube-node-lease',
        'kube-public',
        'kube-system',
      ]);
      expect(sim.store.mustGet(R.services, 'default', 'kubernetes').spec).toMatchObject({
        clusterIP: '10.96.0.1',
      });
      expect(sim.store.list(R.nodes)).toHaveLength(3);
    } finally {
      await sim.stop();
    }
  });

  test('stop ends open watches and frees the port', async () => {
    const sim = await startKubeSim({ controllers: false });
    const res = await fetch(`${sim.url}/api/v1/namespaces/default/configmaps?watch=true`);
    const reader = res.body!.getReader();
    await sim.stop();
    const ended = await reader.read().then(
      (r) => r.done,
      () => true,
    );
    expect(ended).toBe(true);
    await expect(fetch(`${sim.url}/version`)).rejects.toThrow();
  });
});
