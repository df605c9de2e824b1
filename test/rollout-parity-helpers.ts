// Shared by the rollout parity tests: run kubectl and our CLI with the same arguments on the same
// simulated cluster and compare what they print.
import { spawn } from 'node:child_process';
import path from 'node:path';
import type { KubeSim } from '@upgrade-actions/kube-sim';
import { node24, repoRoot } from './harness/run-action';

export const cli = path.join(repoRoot, 'dist', 'cli', 'index.js');
export const KUBECTL = '/usr/bin/kubectl';

/** Each kubectl run costs about a second of start-up and discovery, more on a busy machine. */
export const PARITY_TIMEOUT_MS = 180_000;

export async function waitFor(check: () => Promise<boolean>, limitMs = 15_000): Promise<void> {
  const start = Date.now();
  while (!(await check())) {
    if (Date.now() - start > limitMs) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** JSON with object keys sorted at every level, as Go marshals a map[string]interface{}. */
export function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object') {
    return Object.fromEntries(
      Object.keys(v)
        .sort()
        .map((k) => [k, sortKeys((v as Record<string, unknown>)[k])]),
    );
  }
  return v;
}

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function run(file: string, args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const p = spawn(file, args, {
      env: { ...process.env, KUBECONFIG: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => (stdout += d));
    p.stderr.on('data', (d) => (stderr += d));
    p.on('error', reject);
    p.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Runs kubectl and our CLI with the same arguments (in parallel) and returns both. */
export async function both(sim: KubeSim, args: string[]): Promise<{ kubectl: Run; ours: Run }> {
  const withConfig = [...args, '--kubeconfig', sim.kubeconfigPath];
  const [kubectl, ours] = await Promise.all([run(KUBECTL, withConfig), run(node24, [cli, ...withConfig])]);
  return { kubectl, ours };
}

export async function expectSame(sim: KubeSim, args: string[]): Promise<Run> {
  const { kubectl, ours } = await both(sim, args);
  expect({ args, ...ours }).toEqual({ args, ...kubectl });
  return kubectl;
}
