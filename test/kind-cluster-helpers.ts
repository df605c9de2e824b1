import { createHash } from 'node:crypto';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { R, startKubeSim, type KubeSim } from '@upgrade-actions/kube-sim';
import { repoRoot, runAction, type RunActionOptions } from './harness/run-action';

export const stubDir = path.join(repoRoot, 'test', 'stubs');
export const stubKind = readFileSync(path.join(stubDir, 'kind'));
export const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** A real HTTP server standing in for the download sites: serves the given paths, counts requests. */
export async function startDownloadSite(files: Record<string, Buffer>) {
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    requests.push(req.url ?? '');
    const body = files[req.url ?? ''];
    if (body) res.writeHead(200, { 'Content-Length': body.length }).end(body);
    else res.writeHead(404).end('Not Found');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    stop: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}

export interface StubCall {
  tool: 'kind' | 'docker';
  args: string[];
  stdin?: string;
}

/** One job's world: HOME (for ~/.kube/config), the tool cache and temp dir shared by main and post, the stub log. */
export function makeJobDirs() {
  const root = mkdtempSync(path.join(tmpdir(), 'kind-e2e-'));
  const dirs = {
    root,
    home: path.join(root, 'home'),
    toolCache: path.join(root, 'tool-cache'),
    temp: path.join(root, 'temp'),
    stubState: path.join(root, 'stub-state'),
    workspace: path.join(root, 'workspace'),
    log: path.join(root, 'stub.log'),
  };
  for (const d of [dirs.home, dirs.toolCache, dirs.temp, dirs.stubState, dirs.workspace])
    mkdirSync(d, { recursive: true });
  return {
    ...dirs,
    calls(): StubCall[] {
      if (!existsSync(dirs.log)) return [];
      return readFileSync(dirs.log, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as StubCall);
    },
    /** Calls that change something: all but the read-only `docker info` of the engine check. */
    changes(): StubCall[] {
      return this.calls().filter((c) => !(c.tool === 'docker' && c.args[0] === 'info'));
    },
    kindCalls(): string[] {
      return this.calls()
        .filter((c) => c.tool === 'kind')
        .map((c) => c.args.join(' '));
    },
  };
}

/** Files a tool into the tool cache exactly where @actions/tool-cache looks (with its `.complete` marker). */
export function seedToolCache(toolCache: string, tool: string, version: string, source: string): string {
  const dir = path.join(toolCache, tool, version.replace(/^v/, ''), 'x64');
  mkdirSync(dir, { recursive: true });
  copyFileSync(realpathSync(source), path.join(dir, tool));
  chmodSync(path.join(dir, tool), 0o755);
  writeFileSync(`${dir}.complete`, '');
  return path.join(dir, tool);
}

/**
 * A local stand-in for the runner's artifact service (the Twirp API @actions/artifact speaks, and the
 * signed blob URL it uploads the zip to), recording what was created, uploaded and finalized.
 */
export async function startArtifactService() {
  const calls: Array<{ method: string; body: Record<string, unknown> }> = [];
  const blocks: Buffer[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const url = new URL(req.url ?? '/', 'http://x');
      const twirp = /\.ArtifactService\/(\w+)$/.exec(url.pathname);
      if (twirp) {
        calls.push({
          method: twirp[1],
          body: JSON.parse(body.toString('utf8') || '{}') as Record<string, unknown>,
        });
        const answer =
          twirp[1] === 'CreateArtifact'
            ? { ok: true, signedUploadUrl: `${base}/blob/artifact.zip?sig=test` }
            : { ok: true, artifactId: '42' };
        res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(answer));
      } else if (url.pathname.startsWith('/blob/')) {
        if (url.searchParams.get('comp') === 'block' || !url.searchParams.get('comp')) blocks.push(body);
        res.writeHead(201, { 'x-ms-request-id': 'r', 'x-ms-version': '2024-11-04', ETag: '"e"' }).end();
      } else res.writeHead(404).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const claims = Buffer.from(
    JSON.stringify({ scp: 'Actions.Results:run-backend-id:job-backend-id' }),
  ).toString('base64url');
  return {
    env: {
      ACTIONS_RUNTIME_TOKEN: `${Buffer.from('{"alg":"none"}').toString('base64url')}.${claims}.sig`,
      ACTIONS_RESULTS_URL: `${base}/`,
    },
    calls,
    uploaded: () => Buffer.concat(blocks),
    stop: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}

/** The machine's real kubectl, served as the kubectl "download" (and then used against the cluster). */
export const KUBECTL_VERSION = 'v1.32.4';
export const kubectlBytes = readFileSync(realpathSync('/usr/bin/kubectl'));
export const PINNED_NODE_IMAGE =
  'kindest/node:v1.36.1@sha256:3489c7674813ba5d8b1a9977baea8a6e553784dab7b84759d1014dbd78f7ebd5';

/**
 * The world of one test file: kube-sim as the cluster the stub creates (emptied of nodes before each
 * test), the local download site, and per test a job's directories. Main and post share one tool cache
 * and temp dir, as on a runner.
 */
export function kindWorld() {
  let sim: KubeSim;
  let site: Awaited<ReturnType<typeof startDownloadSite>>;
  let job: ReturnType<typeof makeJobDirs>;
  beforeAll(async () => {
    sim = await startKubeSim();
    site = await startDownloadSite({
      '/good/v0.32.0/kind-linux-amd64': stubKind,
      '/tampered/v0.32.0/kind-linux-amd64': Buffer.concat([
        stubKind,
        Buffer.from('\n// one changed byte is enough\n'),
      ]),
      [`/k8s/${KUBECTL_VERSION}/bin/linux/amd64/kubectl`]: kubectlBytes,
    });
  });
  afterAll(async () => {
    await site.stop();
    await sim.stop();
  });
  beforeEach(() => {
    // The cluster starts empty: the nodes are the ones `kind create` registers.
    for (const n of sim.store.list(R.nodes)) sim.store.delete(R.nodes, undefined, n.metadata.name);
    job = makeJobDirs();
  });
  afterEach(() => rmSync(job.root, { recursive: true, force: true }));

  return {
    get sim() {
      return sim;
    },
    get site() {
      return site;
    },
    get job() {
      return job;
    },
    /** Inputs that download the stub kind and the real kubectl from the local site, vouching for their sha256. */
    downloaded(extra: Record<string, string> = {}): Record<string, string> {
      return {
        'kind-download-url': `${site.url}/good`,
        'kind-sha256': sha256(stubKind),
        'kubectl-version': KUBECTL_VERSION,
        'kubectl-download-url': `${site.url}/k8s`,
        'kubectl-sha256': sha256(kubectlBytes),
        wait: '20s',
        ...extra,
      };
    },
    opts(inputs: Record<string, string>, env: Record<string, string> = {}): RunActionOptions {
      return {
        inputs,
        workspace: job.workspace,
        env: {
          PATH: `${stubDir}:${process.env.PATH}`,
          HOME: job.home,
          RUNNER_TOOL_CACHE: job.toolCache,
          RUNNER_TEMP: job.temp,
          RUNNER_NAME: 'GitHub Actions 3',
          GITHUB_ACTION: 'kind',
          STUB_LOG: job.log,
          STUB_STATE_DIR: job.stubState,
          STUB_API_SERVER: sim.url,
          STUB_API_TOKEN: 'kube-sim-token',
          ...env,
        },
      };
    },
    post: (state: Record<string, string>, o: RunActionOptions) =>
      runAction('kind-cluster', { ...o, state }, 'post'),
  };
}
