import type { ClusterApi } from './api';
import type { ProgramRunner } from './kind-cli';

/**
 * A local registry wired into the cluster the way kind's local-registry guide does it: a `registry`
 * container on the host's loopback, containerd on every node told (certs.d/hosts.toml) that
 * `localhost:<port>` is that container on the `kind` network, and the `local-registry-hosting`
 * ConfigMap (KEP-1755) so tools discover it.
 */
export interface RegistryPlan {
  name: string;
  port: number;
  image: string;
}

export function registryHost(r: RegistryPlan): string {
  return `localhost:${r.port}`;
}

export function registryRunArgs(r: RegistryPlan): string[] {
  return [
    'run',
    '-d',
    '--restart=always',
    '-p',
    `127.0.0.1:${r.port}:5000`,
    '--network',
    'bridge',
    '--name',
    r.name,
    r.image,
  ];
}

export function hostsToml(r: RegistryPlan): string {
  return `[host."http://${r.name}:5000"]\n`;
}

export function localRegistryHosting(r: RegistryPlan): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'local-registry-hosting', namespace: 'kube-public' },
    data: {
      'localRegistryHosting.v1': `host: "${registryHost(r)}"\nhelp: "https://kind.sigs.k8s.io/docs/user/local-registry/"\n`,
    },
  };
}

export async function startRegistry(r: RegistryPlan, run: ProgramRunner, docker: string): Promise<void> {
  await run.must(docker, registryRunArgs(r));
}

/** After the cluster exists: containerd config on each node, the registry on the kind network, the ConfigMap. */
export async function wireRegistry(
  r: RegistryPlan,
  nodes: string[],
  run: ProgramRunner,
  docker: string,
  api: Pick<ClusterApi, 'put'>,
): Promise<void> {
  const dir = `/etc/containerd/certs.d/${registryHost(r)}`;
  for (const node of nodes) {
    await run.must(docker, ['exec', node, 'mkdir', '-p', dir]);
    await run.must(docker, ['exec', '-i', node, 'cp', '/dev/stdin', `${dir}/hosts.toml`], {
      input: hostsToml(r),
    });
  }
  const net = await run.run(docker, ['inspect', '-f', '{{json .NetworkSettings.Networks.kind}}', r.name], {
    quiet: true,
  });
  if (net.code !== 0 || net.stdout.trim() === 'null')
    await run.must(docker, ['network', 'connect', 'kind', r.name]);
  await api.put(
    '/api/v1/namespaces/kube-public/configmaps',
    'local-registry-hosting',
    localRegistryHosting(r),
  );
}

export async function removeRegistry(name: string, run: ProgramRunner, docker: string): Promise<void> {
  await run.must(docker, ['rm', '-f', name]);
}
