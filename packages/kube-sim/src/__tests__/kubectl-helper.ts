import { execFile } from '@upgrade-actions/common';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KubeSim } from '../sim';
import { R } from '../resources';

export interface Kubectl {
  (args: string[], input?: string): Promise<{ code: number; stdout: string; stderr: string }>;
  /** Writes a manifest into the temp dir and returns its path. */
  file(name: string, text: string): Promise<string>;
  cleanup(): Promise<void>;
}

/** Runs the machine's real kubectl against a simulator, with its own discovery cache and no shell. */
export async function kubectlFor(sim: KubeSim): Promise<Kubectl> {
  const dir = await mkdtemp(join(tmpdir(), 'kube-sim-kubectl-'));
  const env = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: dir,
    KUBECONFIG: sim.kubeconfigPath,
    KUBECACHEDIR: join(dir, 'cache'),
  };
  const run = (async (args: string[], input?: string) => {
    const r = await execFile('kubectl', args, { env, input, okCodes: [0, 1], timeoutMs: 30_000 });
    return { code: r.code, stdout: r.stdout.toString('utf8'), stderr: r.stderr };
  }) as Kubectl;
  run.file = async (name, text) => {
    const p = join(dir, name);
    await writeFile(p, text);
    return p;
  };
  run.cleanup = () => rm(dir, { recursive: true, force: true });
  return run;
}

/** Splits kubectl's table output into rows of whitespace-separated cells (the header is row 0). */
export function tableRows(out: string): string[][] {
  return out
    .trim()
    .split('\n')
    .map((l) => l.trim().split(/\s{2,}/));
}

export const DEPLOYMENT = (replicas = 2, image = 'nginx:1.27') => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels: {app: web}
spec:
  replicas: ${replicas}
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: web
        image: ${image}
        ports: [{containerPort: 80}]
      - name: sidecar
        image: busybox:1.36
`;

/**
 * A fresh namespace `name` in the simulator and a kubectl bound to it (`--namespace name`), so that
 * each test of a file sharing one simulator works in its own namespace.
 */
export function kubectlInNewNamespace(sim: KubeSim, shared: Kubectl, name: string): Kubectl {
  sim.store.create(R.namespaces, {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name },
    status: { phase: 'Active' },
  });
  return Object.assign((args: string[], input?: string) => shared(['--namespace', name, ...args], input), {
    file: shared.file,
    cleanup: shared.cleanup,
  });
}
