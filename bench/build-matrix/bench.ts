import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { silentLogger } from '@upgrade-actions/common';
import { mergeIndex } from '@upgrade-actions/build-matrix';
import { OCI_INDEX, OCI_MANIFEST, RegistryClient, sha256Digest } from '@upgrade-actions/registry';
import { startRegistry } from '../../test/registry/registry';

const PLATFORMS = [
  'linux/amd64',
  'linux/arm64',
  'linux/arm/v7',
  'linux/arm/v6',
  'linux/386',
  'linux/ppc64le',
  'linux/s390x',
  'linux/riscv64',
];

/** A loopback front that forwards to the registry and counts requests, so both arms are counted alike. */
async function countingFront(
  upstream: string,
): Promise<{ host: string; count: () => number; reset: () => void; close: () => void }> {
  let n = 0;
  const server: Server = createServer((req, res) => {
    n++;
    const up = request(`${upstream}${req.url}`, { method: req.method, headers: req.headers }, (r) => {
      res.writeHead(r.statusCode!, r.headers);
      r.pipe(res);
    });
    req.pipe(up);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    host: `127.0.0.1:${(server.address() as AddressInfo).port}`,
    count: () => n,
    reset: () => (n = 0),
    close: () => server.close(),
  };
}

export interface MergeFigures {
  platforms: number;
  arm: string;
  wallMs: number;
  requests: number;
}

/** Pushes one image per platform (a 1 MiB layer each), then merges them into an index both ways. */
export async function benchMerge(count: number, runs: number): Promise<MergeFigures[]> {
  const reg = await startRegistry();
  const front = await countingFront(reg.url);
  try {
    const platforms = PLATFORMS.slice(0, count);
    const client = new RegistryClient({ registry: front.host });
    const digests: string[] = [];
    const descriptors: object[] = [];
    for (const p of platforms) {
      const [os, architecture, variant] = p.split('/');
      const cfg = Buffer.from(
        JSON.stringify({
          os,
          architecture,
          ...(variant ? { variant } : {}),
          rootfs: { type: 'layers', diff_ids: [] },
        }),
      );
      const layer = randomBytes(1 << 20);
      const m = Buffer.from(
        JSON.stringify({
          schemaVersion: 2,
          mediaType: OCI_MANIFEST,
          config: {
            mediaType: 'application/vnd.oci.image.config.v1+json',
            digest: await client.pushBlob('acme/app', cfg),
            size: cfg.length,
          },
          layers: [
            {
              mediaType: 'application/vnd.oci.image.layer.v1.tar',
              digest: await client.pushBlob('acme/app', layer),
              size: layer.length,
            },
          ],
        }),
      );
      const d = await client.putManifest('acme/app', sha256Digest(m), m, OCI_MANIFEST);
      digests.push(d);
      descriptors.push({
        mediaType: OCI_MANIFEST,
        digest: d,
        size: m.length,
        platform: { os, architecture, ...(variant ? { variant } : {}) },
      });
    }
    // skopeo copies from an index: the same sources, assembled once beforehand (not timed).
    const source = Buffer.from(
      JSON.stringify({ schemaVersion: 2, mediaType: OCI_INDEX, manifests: descriptors }),
    );
    await client.putManifest('acme/app', 'source-index', source, OCI_INDEX);

    const out: MergeFigures[] = [];
    for (let run = 0; run < runs; run++) {
      // Interleaved: the arms take turns so load changes weigh on both.
      front.reset();
      let t = performance.now();
      await mergeIndex({
        images: [`${front.host}/acme/app`],
        tags: [`ours-${run}`],
        digests,
        platforms,
        client: () => new RegistryClient({ registry: front.host }),
        logger: silentLogger,
      });
      out.push({
        platforms: count,
        arm: 'upgrade-actions merge',
        wallMs: performance.now() - t,
        requests: front.count(),
      });
      front.reset();
      t = performance.now();
      await promisify(execFile)('skopeo', [
        'copy',
        '--multi-arch',
        'all',
        '--src-tls-verify=false',
        '--dest-tls-verify=false',
        '--quiet',
        `docker://${front.host}/acme/app:source-index`,
        `docker://${front.host}/acme/app:skopeo-${run}`,
      ]);
      out.push({
        platforms: count,
        arm: 'skopeo copy --multi-arch all',
        wallMs: performance.now() - t,
        requests: front.count(),
      });
    }
    return out;
  } finally {
    front.close();
    await reg.stop();
  }
}
