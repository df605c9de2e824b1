import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Logger } from '@upgrade-actions/common';
import { ClusterApi } from './api';
import { checkDockerEngine } from './docker-check';
import { installTool, type ToolCache } from './install';
import { createArgs, getNodesArgs, loadArgs, ProgramRunner } from './kind-cli';
import { loadKubeconfig } from './kubeconfig';
import type { ClusterPlan } from './plan';
import { registryHost, startRegistry, wireRegistry } from './registry';
import { State, type StateStore } from './state';
import { waitForCluster } from './wait';

export interface SetupDeps {
  log: Logger;
  state: StateStore;
  cache: ToolCache;
  runner: ProgramRunner;
  /** Where the generated kind config is written (RUNNER_TEMP). */
  tempDir: string;
  docker?: string;
  /** Called with each installed tool's directory (the action puts it on PATH for later steps). */
  onToolDir?: (dir: string) => void;
}

export interface ClusterOutputs {
  clusterName: string;
  kubeconfig: string;
  context: string;
  kubernetesVersion: string;
  registry: string;
  kindPath: string;
  kubectlPath: string;
}

/**
 * Installs kind and kubectl, starts the registry, creates the cluster, waits until it is Ready, wires
 * the registry and loads images. State for the post step is saved before each step that creates
 * something, so a failure or a cancellation at any point still leads to a clean delete.
 */
export async function setUpCluster(plan: ClusterPlan, d: SetupDeps): Promise<ClusterOutputs> {
  const docker = d.docker ?? 'docker';
  const { log, state } = d;
  state.save(State.cluster, plan.name);
  state.save(State.kubeconfig, plan.kubeconfig);

  // Nothing is downloaded for a runner that cannot run kind.
  const engine = await checkDockerEngine(docker);
  log.info(`Docker engine ${engine || '(version not reported)'} answers`);

  const [kind, kubectl] = await log.group(
    `Install kind ${plan.kind.version} and kubectl ${plan.kubectl.version}`,
    async () => [await installTool(plan.kind, d.cache, log), await installTool(plan.kubectl, d.cache, log)],
  );
  d.onToolDir?.(kind.dir);
  d.onToolDir?.(kubectl.dir);
  state.save(State.kindPath, kind.file);

  if (plan.registry) {
    const reg = plan.registry;
    state.save(State.registry, reg.name);
    await log.group(`Start registry ${reg.name} on ${registryHost(reg)}`, () =>
      startRegistry(reg, d.runner, docker),
    );
  }

  mkdirSync(d.tempDir, { recursive: true });
  const configFile = path.join(d.tempDir, `kind-${plan.name}.yaml`);
  writeFileSync(configFile, plan.config);
  state.save(State.phase, 'creating');
  await log.group(`Create cluster ${plan.name}${plan.image ? ` (${plan.image})` : ''}`, async () => {
    log.info(plan.config.trimEnd());
    await d.runner.must(
      kind.file,
      createArgs({ name: plan.name, configFile, kubeconfig: plan.kubeconfig, image: plan.image }),
    );
  });

  const api = new ClusterApi(await loadKubeconfig(plan.kubeconfig, plan.context));
  let kubernetesVersion = plan.kubernetesVersion;
  if (plan.waitMs > 0) {
    const r = await log.group(`Wait for the API server and ${plan.expectedNodes} node(s) to be Ready`, () =>
      waitForCluster({ api, expectedNodes: plan.expectedNodes, timeoutMs: plan.waitMs, log }),
    );
    kubernetesVersion = r.serverVersion || kubernetesVersion;
  }

  if (plan.registry) {
    const reg = plan.registry;
    await log.group(`Wire registry ${registryHost(reg)} into the nodes`, async () => {
      const nodes = (await d.runner.must(kind.file, getNodesArgs(plan.name), { quiet: true })).stdout
        .split('\n')
        .map((s) => s.trim())
        .filter(Boolean);
      await wireRegistry(reg, nodes, d.runner, docker, api);
    });
  }

  if (plan.loadImages.length)
    await log.group(`Load ${plan.loadImages.length} image(s) into the nodes`, async () => {
      for (const args of loadArgs(plan.name, plan.loadImages)) await d.runner.must(kind.file, args);
    });

  return {
    clusterName: plan.name,
    kubeconfig: plan.kubeconfig,
    context: plan.context,
    kubernetesVersion,
    registry: plan.registry ? registryHost(plan.registry) : '',
    kindPath: kind.file,
    kubectlPath: kubectl.file,
  };
}
