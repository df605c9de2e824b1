import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { freePort } from '../free-port';
import { stopProcess } from '../stop-process';

// The two helpers every local server process stands on (the registry, the tests' Prometheus).

/** A Node process that prints `ready` once its SIGTERM handler (if any) is in place, then idles. */
async function idler(ignoreTerm: boolean) {
  const code = `${ignoreTerm ? "process.on('SIGTERM', () => {});" : ''} console.log('ready'); setInterval(() => {}, 1000);`;
  const child = spawn(process.execPath, ['-e', code], { stdio: ['ignore', 'pipe', 'ignore'] });
  await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
  return child;
}

test('stopProcess ends a process with SIGTERM when it obeys', async () => {
  const child = await idler(false);
  await stopProcess(child, 60_000);
  expect(child.signalCode).toBe('SIGTERM');
});

test('stopProcess sends SIGKILL to a process that ignores SIGTERM, once the grace is over', async () => {
  const child = await idler(true);
  await stopProcess(child, 200);
  expect(child.signalCode).toBe('SIGKILL');
});

test('stopProcess of a process that has already exited resolves at once', async () => {
  const child = spawn(process.execPath, ['-e', 'process.exit(3)'], { stdio: 'ignore' });
  await new Promise((resolve) => child.once('exit', resolve));
  await stopProcess(child);
  expect(child.exitCode).toBe(3);
});

test('freePort gives a loopback port one can listen on', async () => {
  const port = await freePort();
  expect(port).toBeGreaterThan(0);
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  await new Promise((resolve) => server.close(resolve));
});
