import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { Agent, createServer, request, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { parse } from 'yaml';
import { ScaledClock } from '../clock';
import { R } from '../resources';
import { startKubeSim } from '../sim';
import type { KObject } from '../types';

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

  test('restart: watches cut, connections refused while down, then the same port serves the same store', async () => {
    const sim = await startKubeSim({ controllers: false });
    try {
      sim.store.create(R.services, {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'kept', namespace: 'default' },
        spec: { ports: [{ port: 80 }] },
      });
      const watch = await fetch(
        `${sim.url}/api/v1/namespaces/default/services?watch=true&fieldSelector=metadata.name%3Dkept`,
      );
      const reading = watch.body!.getReader();
      await reading.read(); // ADDED kept
      const restarting = sim.restart(300);
      // The open watch ends (as a cut connection: an error or the end of the stream, never a final event).
      const ended = await reading.read().then(
        (r) => (r.done ? 'ended' : 'event'),
        () => 'cut',
      );
      expect(ended).not.toBe('event');
      await expect(fetch(`${sim.url}/version`)).rejects.toThrow();
      await restarting;
      const res = await fetch(`${sim.url}/api/v1/namespaces/default/services/kept`);
      expect(res.status).toBe(200);
      expect(((await res.json()) as { metadata: { name: string } }).metadata.name).toBe('kept');
    } finally {
      await sim.stop();
    }
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

  test.each([
    ['with controllers', undefined],
    ['without controllers', false as const],
  ])('nodes: 0 starts a cluster without any node (%s)', async (_name, controllers) => {
    const sim = await startKubeSim({ nodes: 0, controllers });
    try {
      await sim.controllers?.settle();
      expect(sim.store.list(R.nodes)).toEqual([]);
    } finally {
      await sim.stop();
    }
  });

  test('the controllers register the nodes they are given when the simulator starts none', async () => {
    const sim = await startKubeSim({ nodes: 0, controllers: { nodes: ['edge-1'] } });
    try {
      expect(sim.store.list(R.nodes).map((n) => n.metadata.name)).toEqual(['edge-1']);
    } finally {
      await sim.stop();
    }
  });

  test('a node created through the API keeps the status it was registered with, as a kubelet registers', async () => {
    const sim = await startKubeSim({ nodes: 0, controllers: false });
    try {
      const status = {
        capacity: { cpu: '2', pods: '110' },
        conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady' }],
      };
      const res = await fetch(`${sim.url}/api/v1/nodes`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1' }, status }),
      });
      expect(res.status).toBe(201);
      expect(((await res.json()) as KObject).status).toMatchObject(status);
      expect(sim.store.mustGet(R.nodes, undefined, 'n1').status).toMatchObject(status);
    } finally {
      await sim.stop();
    }
  });

  test('a Deployment created through the API drops the status the client sent (only nodes keep theirs)', async () => {
    const sim = await startKubeSim({ controllers: false });
    try {
      const res = await fetch(`${sim.url}/apis/apps/v1/namespaces/default/deployments`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          metadata: { name: 'web' },
          spec: {
            selector: { matchLabels: { app: 'web' } },
            template: {
              metadata: { labels: { app: 'web' } },
              spec: { containers: [{ name: 'w', image: 'x' }] },
            },
          },
          status: { replicas: 7 },
        }),
      });
      expect(res.status).toBe(201);
      expect(
        (sim.store.mustGet(R.deployments, 'default', 'web').status as { replicas?: number })?.replicas,
      ).not.toBe(7);
    } finally {
      await sim.stop();
    }
  });

  test('stop ends keep-alive connections, requests proxied to a backend that never answers, and the clock timers', async () => {
    const hanging = new Set<ServerResponse>();
    const backend = createServer((_req, res) => hanging.add(res));
    await new Promise<void>((r) => backend.listen(0, '127.0.0.1', r));
    const backendUrl = `http://127.0.0.1:${(backend.address() as AddressInfo).port}`;
    const sim = await startKubeSim({ controllers: false });
    const agent = new Agent({ keepAlive: true });
    try {
      sim.store.create(R.pods, {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'p', namespace: 'default' },
        spec: { containers: [{ name: 'c', image: 'x' }] },
      });
      sim.backends.setPod('default', 'p', backendUrl);
      // A keep-alive connection left idle in an agent's pool, and a proxied request left hanging.
      const idle = await new Promise<Socket>((resolve) => {
        const req = request(`${sim.url}/version`, { agent }, (res) => {
          res.resume();
          res.on('end', () => resolve(req.socket as Socket));
        });
        req.end();
      });
      const idleClosed = new Promise<void>((r) => idle.once('close', () => r()));
      const proxied = fetch(`${sim.url}/api/v1/namespaces/default/pods/p/proxy/slow`).then(
        (r) => r.status,
        () => 'ended',
      );
      await waitUntil(() => hanging.size === 1);
      const backendSide = new Promise<void>((r) => [...hanging][0].on('close', () => r()));
      (sim.clock as ScaledClock).setTimeout(() => {}, 3_600_000);
      expect((sim.clock as ScaledClock).pendingTimers).toBe(1);
      await sim.stop();
      // The backend sees the proxied request end: its server can close without waiting for it.
      await backendSide;
      await idleClosed;
      expect(await proxied).toBe('ended');
      expect((sim.clock as ScaledClock).pendingTimers).toBe(0);
    } finally {
      agent.destroy();
      await sim.stop();
      await new Promise<void>((r) => backend.close(() => r()));
    }
  });

  test('with controllers running, one garbage collector deletes a Deployment background, foreground, or orphans', async () => {
    const sim = await startKubeSim({ speed: 20, controllers: { events: false } });
    const deployment = (name: string): KObject => ({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name, namespace: 'default' },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: name } },
        template: {
          metadata: { labels: { app: name } },
          spec: { containers: [{ name, image: 'nginx:1.25' }] },
        },
      },
    });
    const owned = (name: string) =>
      sim.store
        .list(R.replicasets, { namespace: 'default' })
        .filter((rs) => rs.metadata.name.startsWith(`${name}-`));
    const del = (name: string, policy: string) =>
      fetch(`${sim.url}/apis/apps/v1/namespaces/default/deployments/${name}`, {
        method: 'DELETE',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: policy }),
      });
    try {
      for (const name of ['bg', 'fg', 'orphan']) sim.store.create(R.deployments, deployment(name));
      await waitUntil(() => ['bg', 'fg', 'orphan'].every((n) => owned(n).length === 1));
      expect((await del('fg', 'Foreground')).status).toBe(200);
      expect(owned('fg')).toEqual([]);
      expect((await del('orphan', 'Orphan')).status).toBe(200);
      expect((await del('bg', 'Background')).status).toBe(200);
      await waitUntil(() => owned('bg').length === 0);
      await sim.controllers!.settle();
      const [kept] = owned('orphan');
      expect(kept.metadata.ownerReferences).toBeUndefined();
    } finally {
      await sim.stop();
    }
  });
});

async function waitUntil(check: () => boolean, limitMs = 10_000): Promise<void> {
  const until = Date.now() + limitMs;
  while (!check()) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}
