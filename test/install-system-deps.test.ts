import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { repoRoot } from './harness/run-action';

// scripts/install-system-deps.sh as a user who is not root meets it: `id -u` and apt-get are stand-ins
// on PATH (apt-get records that it was called), and REGISTRY_BIN points at a registry that is not there.
describe('scripts/install-system-deps.sh', () => {
  let bin: string;
  beforeAll(() => {
    bin = mkdtempSync(path.join(tmpdir(), 'deps-bin-'));
    writeFileSync(path.join(bin, 'id'), '#!/bin/sh\necho 1000\n');
    writeFileSync(path.join(bin, 'apt-get'), `#!/bin/sh\ntouch "${bin}/apt-get-called"\nexit 99\n`);
    for (const f of ['id', 'apt-get']) chmodSync(path.join(bin, f), 0o755);
  });
  afterAll(() => rmSync(bin, { recursive: true, force: true }));

  const script = (...args: string[]) =>
    spawnSync('bash', [path.join(repoRoot, 'scripts', 'install-system-deps.sh'), ...args], {
      encoding: 'utf8',
      env: {
        ...process.env,
        PATH: `${bin}:${process.env.PATH}`,
        REGISTRY_BIN: '/nonexistent/docker-registry',
      },
    });

  test('demo, not root: names what is missing and what to run, and lets the demo go on (exit 0)', () => {
    const r = script('demo');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(
      'missing: docker-registry; the demo stages that need them will fail (install them: sudo apt-get install docker-registry)\n',
    );
    expect(existsSync(path.join(bin, 'apt-get-called'))).toBe(false);
  });

  test('for the tests, not root: a missing package stops npm test (exit 1)', () => {
    const r = script();
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/^missing: .*docker-registry.* \(install them, or run as root\)\n$/);
    expect(existsSync(path.join(bin, 'apt-get-called'))).toBe(false);
  });

  test('an unknown argument is refused, naming what is accepted', () => {
    const r = script('--all');
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(
      'install-system-deps.sh: unknown argument "--all"; give none (the tests\' needs) or demo\n',
    );
  });
});
