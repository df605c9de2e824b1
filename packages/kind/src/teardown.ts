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

/**
 * The post step: on failure (or cancellation) export the cluster's logs, then delete the cluster and
 * the registry unless `keep`. Every block is attempted even when an earlier one failed; failures are
 * returned, for the caller to warn about or fail on.
 */
export async function tearDown(d: TeardownDeps): Promise<TeardownResult> {
  const { log, state } = d;
  const docker = d.docker ?? 'docker';
  const cluster = state.get(State.cluster);
  const kindPath = state.get(State.kindPath);
  const registry = state.get(State.registry);
  const result: TeardownResult = { deleted: false, kept: false, errors: [] };
  if (!cluster) {
    log.info('no cluster was planned: nothing to clean up');
    return result;
  }
  const creating = state.get(State.phase) === 'creating';
  const succeeded = state.get(State.outcome) === 'success';
  if (state.get(State.keep) === 'true') {
    log.info(`keeping cluster ${cluster}${registry ? ` and registry ${registry}` : ''} (keep: true)`);
    result.kept = true;
    return result;
  }

  const mode = state.get(State.exportLogs) || 'on-failure';
  if (kindPath && creating && (mode === 'always' || (mode === 'on-failure' && !succeeded))) {
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

  if (kindPath && creating) {
    try {
      await log.group(`Delete cluster ${cluster}`, () =>
        d.runner.must(kindPath, deleteArgs(cluster, state.get(State.kubeconfig) || undefined)),
      );
      result.deleted = true;
    } catch (e) {
      result.errors.push(`deleting cluster ${cluster} failed: ${(e as Error).message}`);
    }
  }
  if (registry) {
    try {
      await log.group(`Remove registry ${registry}`, () => removeRegistry(registry, d.runner, docker));
    } catch (e) {
      result.errors.push(`removing registry ${registry} failed: ${(e as Error).message}`);
    }
  }
  return result;
}
