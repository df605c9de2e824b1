import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ConfigurationError, freePort, stopProcess } from '@upgrade-actions/common';

/** Debian's docker-registry package (distribution 2.8); scripts/install-system-deps.sh installs it. */
export const REGISTRY_BIN = process.env.REGISTRY_BIN ?? '/usr/bin/docker-registry';

export interface LocalRegistryOptions {
  /** Folder for the config and the storage; a temp folder when not given. Removed on stop either way. */
  dir?: string;
  /** Extra lines of the registry's config.yml (an `auth:` section). */
  config?: string[];
  /** Run on stop, after the registry has exited (e.g. to close a token issuer). */
  onStop?: () => void;
}

export interface LocalRegistry {
  /** `127.0.0.1:PORT`, the host part of image references. */
  host: string;
  url: string;
  /** The registry's stderr (its log), the last 20 kB. */
  log(): string;
  stop(): Promise<void>;
}

/**
 * Starts a real registry (distribution 2.8, the one the Debian package ships) on a free loopback port with
 * its storage in a temp folder, and waits until it answers `/v2/`. The demo and the tests share it: they
 * push and read real manifests, and nothing outside the temp folder is touched.
 */
export async function startLocalRegistry(opts: LocalRegistryOptions = {}): Promise<LocalRegistry> {
  if (!existsSync(REGISTRY_BIN)) {
    throw new ConfigurationError(
      `${REGISTRY_BIN} is not installed: install the Debian package docker-registry ` +
        '(sudo bash scripts/install-system-deps.sh demo, or sudo apt-get install docker-registry)',
    );
  }
  const dir = opts.dir ?? mkdtempSync(path.join(tmpdir(), 'registry-'));
  const port = await freePort();
  writeFileSync(
    path.join(dir, 'config.yml'),
    [
      'version: 0.1',
      'log: { level: warn }',
      `storage: { filesystem: { rootdirectory: ${path.join(dir, 'data')} }, delete: { enabled: true } }`,
      `http: { addr: 127.0.0.1:${port}, secret: ${randomBytes(8).toString('hex')} }`,
      ...(opts.config ?? []),
      '',
    ].join('\n'),
  );
  const child = spawn(REGISTRY_BIN, ['serve', path.join(dir, 'config.yml')], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  const spawned: { error?: Error } = {};
  child.once('error', (e) => (spawned.error = e));
  child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString('utf8')).slice(-20_000)));
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    await stopProcess(child);
    opts.onStop?.();
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 20_000;
  for (;;) {
    try {
      const r = await fetch(`${url}/v2/`);
      if (r.status === 200 || r.status === 401) break;
    } catch {
      // not listening yet
    }
    if (spawned.error) {
      rmSync(dir, { recursive: true, force: true });
      throw new Error(`${REGISTRY_BIN} could not be started: ${spawned.error.message}`);
    }
    if (Date.now() > deadline || child.exitCode !== null) {
      const why = child.exitCode !== null ? `exited with code ${child.exitCode}` : 'did not answer in 20 s';
      await stop();
      throw new Error(
        `${REGISTRY_BIN} ${why} on start${stderr.trim() ? `; its log:\n${stderr.trim()}` : ''}`,
      );
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return { host: `127.0.0.1:${port}`, url, log: () => stderr, stop };
}
