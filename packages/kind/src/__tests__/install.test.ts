import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { memoryLogger } from '@upgrade-actions/common';
import { ChecksumMismatchError, installTool, runnerToolCache, type Download } from '@upgrade-actions/kind';

/** A real HTTP server standing in for the download site, and the real @actions/tool-cache. */
const good = Buffer.from('#!/bin/sh\necho kind v0.32.0\n');
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
let server: http.Server;
let base: string;
let tmp: string;
const requests: string[] = [];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    requests.push(req.url ?? '');
    if (req.url?.endsWith('/good/kind-linux-amd64')) res.end(good);
    else if (req.url?.endsWith('/tampered/kind-linux-amd64'))
      res.end(Buffer.concat([good, Buffer.from('# evil\n')]));
    else res.writeHead(404).end('not found');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});
beforeEach(() => {
  tmp = mkdtempSync(path.join(tmpdir(), 'kind-install-'));
  process.env.RUNNER_TOOL_CACHE = path.join(tmp, 'cache');
  process.env.RUNNER_TEMP = path.join(tmp, 'temp');
});
afterEach(() => rmSync(tmp, { recursive: true, force: true }));

const download = (dir: string): Download => ({
  tool: 'kind',
  version: 'v0.32.0',
  arch: 'amd64',
  url: `${base}/${dir}/kind-linux-amd64`,
  sha256: sha(good),
});

test('a download with the pinned checksum is made executable and cached per version and arch, then reused', async () => {
  const first = await installTool(download('good'), runnerToolCache, memoryLogger());
  expect(first.cached).toBe(false);
  expect(first.file).toBe(path.join(tmp, 'cache', 'kind', '0.32.0', 'x64', 'kind'));
  expect(readFileSync(first.file)).toEqual(good);
  const before = requests.length;
  const second = await installTool(download('good'), runnerToolCache, memoryLogger());
  expect(second).toEqual({ ...first, cached: true });
  expect(requests.length).toBe(before);
});

test('a tampered download fails naming both checksums, and nothing is cached or left behind', async () => {
  const call = installTool(download('tampered'), runnerToolCache, memoryLogger());
  await expect(call).rejects.toThrow(ChecksumMismatchError);
  await expect(installTool(download('tampered'), runnerToolCache, memoryLogger())).rejects.toThrow(
    new RegExp(
      `^kind v0\\.32\\.0 linux/amd64 from ${base}/tampered/kind-linux-amd64 has sha256 [0-9a-f]{64}, but ${sha(good)} is pinned: refusing to install it`,
    ),
  );
  expect(existsSync(path.join(tmp, 'cache', 'kind'))).toBe(false);
  expect(existsSync(path.join(tmp, 'temp')) ? readdirSync(path.join(tmp, 'temp')) : []).toEqual([]);
});

test('a download that is not there fails naming the URL', async () => {
  await expect(installTool(download('missing'), runnerToolCache, memoryLogger())).rejects.toThrow(
    `downloading kind v0.32.0 from ${base}/missing/kind-linux-amd64 failed: Unexpected HTTP response: 404`,
  );
});
