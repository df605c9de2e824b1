// A sweep over a large repository on the real local registry: 1,000 manifests holding 200 image references
// in 20 repositories (10 references each); wall time, tag lists and registry requests.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { silentLogger } from '@upgrade-actions/common';
import { sweep } from '@upgrade-actions/patch-sweep';
import { platformConfig, pushImage, RegistryClient } from '@upgrade-actions/registry';
import { startRegistry } from '../../test/registry/registry';

export async function benchSweep(runs: number) {
  const reg = await startRegistry();
  const root = mkdtempSync(path.join(tmpdir(), 'bench-sweep-'));
  try {
    const seed = new RegistryClient({ registry: reg.host });
    for (let r = 0; r < 20; r++)
      for (const t of ['1.4.0', '1.4.1', '1.4.2', '1.4.3-rc.1', '1.5.0'])
        await pushImage(seed, `acme/svc${r}`, { config: platformConfig('amd64', undefined, { t }), tag: t });
    mkdirSync(path.join(root, 'deploy'));
    for (let i = 0; i < 1000; i++) {
      // Every fifth manifest runs an image (200 references, 10 per repository); the others are Services.
      const body =
        i % 5 === 0
          ? `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: app-${i}}\nspec:\n  template:\n    spec:\n      containers:\n        - name: app\n          image: ${reg.host}/acme/svc${(i / 5) % 20}:1.4.0\n`
          : `apiVersion: v1\nkind: Service\nmetadata: {name: svc-${i}}\nspec: {ports: [{port: 80}]}\n`;
      writeFileSync(path.join(root, 'deploy', `m${i}.yaml`), body);
    }
    const figures = [];
    for (let k = 0; k < runs; k++) {
      const clients: RegistryClient[] = [];
      const start = performance.now();
      const result = await sweep({
        root,
        paths: [],
        include: [],
        exclude: [],
        pinDigest: false,
        client: (registry) => {
          const c = new RegistryClient({ registry });
          clients.push(c);
          return c;
        },
        logger: silentLogger,
      });
      figures.push({
        wallMs: performance.now() - start,
        updates: result.updates.length,
        tagLists: result.tagLists,
        requests: clients.reduce((n, c) => n + c.stats.requests, 0),
      });
    }
    return figures;
  } finally {
    rmSync(root, { recursive: true, force: true });
    await reg.stop();
  }
}
