import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { checkOutputFile, ConfigurationError } from '@upgrade-actions/common';
import { parseImageReference } from '@upgrade-actions/images';
import { contextName, defaultClusterName, validateClusterName, type RunIdentity } from './cluster-name';
import {
  adoptConfig,
  generateConfig,
  nodeCount,
  parseFeatureGate,
  parsePortMapping,
  renderConfig,
} from './config';
import { resolveDownload, type Download } from './downloads';
import { isArchive } from './kind-cli';
import { resolveNodeImage } from './node-image';
import type { RegistryPlan } from './registry';
import { archOf } from './versions';

/** The inputs of the kind-cluster action, as the toolkit parses them (camelCase). */
export interface ClusterInputs {
  clusterName: string;
  kindVersion: string;
  kubectlVersion: string;
  kubernetesVersion: string;
  nodeImage: string;
  config: string;
  workers: number;
  portMappings: string[];
  featureGates: string[];
  registry: boolean;
  registryPort: number;
  registryImage: string;
  loadImages: string[];
  wait: number;
  kubeconfig: string;
  keep: boolean;
  exportLogs: 'on-failure' | 'always' | 'never';
  failOnCleanupError: boolean;
  kindSha256: string;
  kubectlSha256: string;
  kindDownloadUrl: string;
  kubectlDownloadUrl: string;
}

export interface ClusterPlan {
  name: string;
  context: string;
  kubeconfig: string;
  kind: Download;
  kubectl: Download;
  image?: string;
  kubernetesVersion: string;
  /** The kind config to write, YAML. */
  config: string;
  expectedNodes: number;
  registry?: RegistryPlan;
  loadImages: string[];
  waitMs: number;
}

export interface PlanContext {
  env: NodeJS.ProcessEnv;
  /** Node's process.arch. */
  arch: string;
  /** Where relative paths (config, archives) are resolved: GITHUB_WORKSPACE. */
  workspace: string;
}

/** `--kubeconfig` kind would pick: the input, else the first KUBECONFIG entry, else ~/.kube/config. */
export function kubeconfigPath(input: string, env: NodeJS.ProcessEnv): string {
  if (input) return path.resolve(input);
  const first = (env.KUBECONFIG ?? '').split(path.delimiter).find((p) => p !== '');
  if (first) return path.resolve(first);
  return path.join(env.HOME || os.homedir(), '.kube', 'config');
}

/**
 * Every decision about the cluster, made before any side effect: what to download (and its pinned
 * checksum), which node image, the name, the config, the registry. Bad input fails here, naming itself.
 */
export function planCluster(i: ClusterInputs, ctx: PlanContext): ClusterPlan {
  const arch = archOf(ctx.arch);
  if (!arch)
    throw new ConfigurationError(
      `kind and kubectl are published for linux amd64 and arm64; this runner is ${ctx.arch}`,
    );
  const kind = resolveDownload({
    tool: 'kind',
    version: i.kindVersion,
    arch,
    baseUrl: i.kindDownloadUrl,
    sha256: i.kindSha256,
  });
  const kubectl = resolveDownload({
    tool: 'kubectl',
    version: i.kubectlVersion,
    arch,
    baseUrl: i.kubectlDownloadUrl,
    sha256: i.kubectlSha256,
  });

  const id: RunIdentity = {
    runId: ctx.env.GITHUB_RUN_ID,
    runAttempt: ctx.env.GITHUB_RUN_ATTEMPT,
    job: ctx.env.GITHUB_JOB,
    action: ctx.env.GITHUB_ACTION,
    runner: ctx.env.RUNNER_NAME,
  };
  const name = i.clusterName ? validateClusterName(i.clusterName) : defaultClusterName(id);

  // Every input that names something is checked here, before a 30-second download.
  if (i.nodeImage.trim()) parseImageReference(i.nodeImage.trim(), "Input 'node-image'");
  for (const e of i.loadImages) if (!isArchive(e)) parseImageReference(e, "Input 'load-images' entry");
  const kubeconfig = kubeconfigPath(i.kubeconfig, ctx.env);
  checkOutputFile(
    kubeconfig,
    i.kubeconfig ? "Input 'kubeconfig'" : 'kubeconfig (KUBECONFIG or ~/.kube/config)',
    ctx.workspace,
  );

  let image = resolveNodeImage({
    kindVersion: kind.version,
    kubernetesVersion: i.kubernetesVersion,
    nodeImage: i.nodeImage,
  });
  let cfg;
  if (i.config) {
    if (i.workers || i.portMappings.length || i.featureGates.length)
      throw new ConfigurationError(
        `Input 'config' cannot be combined with 'workers', 'port-mappings' or 'feature-gates': put them in the config file`,
      );
    const file = path.resolve(ctx.workspace, i.config);
    if (!existsSync(file)) throw new ConfigurationError(`Input 'config' names ${file}, which does not exist`);
    const adopted = adoptConfig(readFileSync(file, 'utf8'), i.config, i.registry);
    cfg = adopted.config;
    // Nodes that pin their own image keep it unless the user asked for a version or image explicitly.
    if (adopted.nodeImages && !i.nodeImage && !i.kubernetesVersion) image = { kubernetesVersion: '' };
  } else {
    cfg = generateConfig({
      workers: i.workers,
      portMappings: i.portMappings.map(parsePortMapping),
      featureGates: i.featureGates.map(parseFeatureGate),
      registry: i.registry,
    });
  }

  const loadImages = i.loadImages.map((e) => (isArchive(e) ? path.resolve(ctx.workspace, e) : e));
  for (const a of loadImages.filter(isArchive))
    if (!existsSync(a))
      throw new ConfigurationError(`Input 'load-images' names the archive ${a}, which does not exist`);

  return {
    name,
    context: contextName(name),
    kubeconfig,
    kind,
    kubectl,
    image: image.image,
    kubernetesVersion: image.kubernetesVersion,
    config: renderConfig(cfg),
    expectedNodes: nodeCount(cfg),
    registry: i.registry
      ? { name: `${name}-registry`, port: i.registryPort, image: i.registryImage }
      : undefined,
    loadImages,
    waitMs: i.wait,
  };
}
