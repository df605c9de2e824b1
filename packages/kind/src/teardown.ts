import { mkdirSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Logger } from '@upgrade-actions/common';
import { deleteArgs, exportLogsArgs, type ProgramRunner } from './kind-cli';
import { removeRegistry } from './registry';
import { State, type StateStore } from './state';

export interface TeardownDeps {
  log: Logger;
  state: StateStore;
  runner: ProgramRunner;
  /** Where `kind export logs` writes (RUNNER_TEMP). */
  tempDir: string;
  docker?: string;
  /** Uploads exported logs as a workflow artifact; absent at a terminal. */
  uploadArtifact?: (name: string, files: string[], rootDir: string) => Promise<void>;
}

export interface TeardownResult {
  deleted: boolean;
  kept: boolean;
  logsDir?: string;
  /** Cleanup steps that failed, each one line. */
  errors: string[];
}

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir)) {
    const p = path.join(dir, e);
    if (statSync(p).isDirectory()) out.push(...filesUnder(p));
    else out.push(p);
  }
  return out;
}

/** What the post step will do, decided from the saved state alone. */
export interface TeardownPlan {
  cluster: string;
  kept: boolean;
  exportLogs: boolean;
  deleteCluster: boolean;
  removeRegistry: string;
}

/**
 * Pure: logs are exported when `kind create` may have started and the mode asks for it (`on-failure`:
 * main did not record success, i.e. it failed or was cancelled); the cluster is deleted whenever create
 * may have started; the registry whenever it was started; nothing at all with `keep: true`.
 */
export function planTeardown(get: (key: string) => string): TeardownPlan {
  const cluster = get(State.cluster);
  const creating = cluster !== '' && get(State.kindPath) !== '' && get(State.phase) === 'creating';
  const kept = cluster !== '' && get(State.keep) === 'true';
  const mode = get(State.exportLogs) || 'on-failure';
  const failed = get(State.outcome) !== 'success';
  return {
    cluster,
    kept,
    exportLogs: !kept && creating && (mode === 'always' || (mode === 'on-failure' && failed)),
    deleteCluster: !kept && creating,
    removeRegistry: kept ? '' : get(State.registry),
  };
}

/**
 * The post step: on failure (or cancellation) export the cluster's logs, then delete the cluster and
 * the registry unless `keep`. Every block is attempted even when an earlier one failed; failures are
 * returned, for the caller to warn about or fail on.
 */
export async function tearDown(d: TeardownDeps): Promise<TeardownResult> {
  const { log, state } = d;
  const docker = d.docker ?? 'docker';
  const plan = planTeardown((k) => state.get(k));
  const { cluster } = plan;
  const kindPath = state.get(State.kindPath);
  const result: TeardownResult = { deleted: false, kept: plan.kept, errors: [] };
  if (!cluster) {
    log.info('no cluster was planned: nothing to clean up');
    return result;
  }
  if (plan.kept) {
    const registry = state.get(State.registry);
    log.info(`keeping cluster ${cluster}${registry ? ` and registry ${registry}` : ''} (keep: true)`);
    return result;
  }

  if (plan.exportLogs) {
    try {
      await log.group(`Export logs of cluster ${cluster}`, async () => {
        const dir = path.join(d.tempDir, `kind-logs-${cluster}`);
        mkdirSync(dir, { recursive: true });
        await d.runner.must(kindPath, exportLogsArgs(cluster, dir));
        result.logsDir = dir;
        if (d.uploadArtifact) {
          await d.uploadArtifact(`kind-logs-${cluster}`, filesUnder(dir), dir);
          log.info(`uploaded as artifact kind-logs-${cluster}`);
        } else log.info(`logs are in ${dir}`);
      });
    } catch (e) {
      result.errors.push(`exporting logs of cluster ${cluster} failed: ${(e as Error).message}`);
    }
  }

  if (plan.deleteCluster) {
    try {
      await log.group(`Delete cluster ${cluster}`, () =>
        d.runner.must(kindPath, deleteArgs(cluster, state.get(State.kubeconfig) || undefined)),
      );
      result.deleted = true;
    } catch (e) {
      result.errors.push(`deleting cluster ${cluster} failed: ${(e as Error).message}`);
    }
  }
  if (plan.removeRegistry) {
    const registry = plan.removeRegistry;
    try {
      await log.group(`Remove registry ${registry}`, () => removeRegistry(registry, d.runner, docker));
    } catch (e) {
      result.errors.push(`removing registry ${registry} failed: ${(e as Error).message}`);
    }
  }
  return result;
}
