import { ConfigurationError } from '@upgrade-actions/common';
import { parse, stringify } from 'yaml';

export interface PortMapping {
  containerPort: number;
  hostPort: number;
  listenAddress?: string;
  protocol: 'TCP' | 'UDP' | 'SCTP';
}

/** The containerd setting kind's local-registry guide uses: per-host config from /etc/containerd/certs.d. */
export const REGISTRY_CONTAINERD_PATCH =
  '[plugins."io.containerd.grpc.v1.cri".registry]\n  config_path = "/etc/containerd/certs.d"';

/**
 * `[listenAddress:]hostPort:containerPort[/protocol]`, docker's `-p` syntax that SREs already type:
 * `8080:80`, `127.0.0.1:8443:443/tcp`, `[::1]:5353:53/udp`.
 */
export function parsePortMapping(text: string): PortMapping {
  const m = /^(?:(\[[0-9a-fA-F:]+\]|[0-9.]+):)?(\d+):(\d+)(?:\/(tcp|udp|sctp))?$/i.exec(text.trim());
  const bad = () =>
    new ConfigurationError(
      `Input 'port-mappings' entries must be [listenAddress:]hostPort:containerPort[/tcp|udp|sctp], got ${JSON.stringify(text)}`,
    );
  if (!m) throw bad();
  const hostPort = Number(m[2]);
  const containerPort = Number(m[3]);
  if (hostPort < 1 || hostPort > 65535 || containerPort < 1 || containerPort > 65535) throw bad();
  const mapping: PortMapping = {
    containerPort,
    hostPort,
    protocol: (m[4] ?? 'tcp').toUpperCase() as PortMapping['protocol'],
  };
  if (m[1]) mapping.listenAddress = m[1].replace(/^\[|\]$/g, '');
  return mapping;
}

/** `Name=true|false`, as kind's `featureGates` map takes them. */
export function parseFeatureGate(text: string): [string, boolean] {
  const m = /^([A-Z][A-Za-z0-9]*)=(true|false)$/.exec(text.trim());
  if (!m)
    throw new ConfigurationError(
      `Input 'feature-gates' entries must be Name=true or Name=false (e.g. InPlacePodVerticalScaling=true), got ${JSON.stringify(text)}`,
    );
  return [m[1], m[2] === 'true'];
}

export interface GeneratedConfigOptions {
  workers: number;
  portMappings: PortMapping[];
  featureGates: Array<[string, boolean]>;
  registry: boolean;
}

type KindConfig = Record<string, unknown> & { nodes?: Array<Record<string, unknown>> };

/** A kind `Cluster` config from the action's inputs: one control plane (with the port mappings) and workers. */
export function generateConfig(opts: GeneratedConfigOptions): KindConfig {
  const cfg: KindConfig = { kind: 'Cluster', apiVersion: 'kind.x-k8s.io/v1alpha4' };
  if (opts.featureGates.length) cfg.featureGates = Object.fromEntries(opts.featureGates);
  if (opts.registry) cfg.containerdConfigPatches = [REGISTRY_CONTAINERD_PATCH];
  const controlPlane: Record<string, unknown> = { role: 'control-plane' };
  if (opts.portMappings.length) controlPlane.extraPortMappings = opts.portMappings;
  cfg.nodes = [controlPlane, ...Array.from({ length: opts.workers }, () => ({ role: 'worker' }))];
  return cfg;
}

/**
 * A user's config file, checked to be a kind Cluster, with the registry patch added when asked for.
 * Returns what to write and whether its nodes pin their own images (then `--image` is not forced on them).
 */
export function adoptConfig(
  text: string,
  file: string,
  registry: boolean,
): { config: KindConfig; nodeImages: boolean } {
  let cfg: unknown;
  try {
    cfg = parse(text);
  } catch (e) {
    throw new ConfigurationError(
      `Input 'config' file ${file} is not valid YAML: ${(e as Error).message.split('\n')[0]}`,
    );
  }
  const c = cfg as KindConfig | null;
  if (
    !c ||
    typeof c !== 'object' ||
    c.kind !== 'Cluster' ||
    typeof c.apiVersion !== 'string' ||
    !c.apiVersion.startsWith('kind.x-k8s.io/')
  )
    throw new ConfigurationError(
      `Input 'config' file ${file} must be a kind config (kind: Cluster, apiVersion: kind.x-k8s.io/v1alpha4)`,
    );
  if (registry) {
    const patches = Array.isArray(c.containerdConfigPatches) ? (c.containerdConfigPatches as unknown[]) : [];
    c.containerdConfigPatches = [...patches, REGISTRY_CONTAINERD_PATCH];
  }
  const nodeImages =
    Array.isArray(c.nodes) && c.nodes.some((n) => typeof n?.image === 'string' && n.image !== '');
  return { config: c, nodeImages };
}

/** The number of nodes a config creates (kind's default is one control plane). */
export function nodeCount(cfg: KindConfig): number {
  return Array.isArray(cfg.nodes) && cfg.nodes.length ? cfg.nodes.length : 1;
}

export function renderConfig(cfg: KindConfig): string {
  return stringify(cfg, { lineWidth: 0 });
}
