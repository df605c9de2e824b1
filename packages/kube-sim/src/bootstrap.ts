import { R } from './resources';
import type { Store } from './store';
import type { KObject } from './types';

/** The Kubernetes version simulated nodes report. */
export const KUBELET_VERSION = 'v1.32.0';

/** A Ready node as kind registers it; the bootstrap's nodes and nodes added later (controllers, tests) alike. */
export function simulatedNode(name: string, now: string, index: number, controlPlane = false): KObject {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      labels: {
        'kubernetes.io/hostname': name,
        'kubernetes.io/os': 'linux',
        'kubernetes.io/arch': 'amd64',
        'beta.kubernetes.io/os': 'linux',
        'beta.kubernetes.io/arch': 'amd64',
        ...(controlPlane ? { 'node-role.kubernetes.io/control-plane': '' } : {}),
      },
    },
    spec: { podCIDR: `10.244.${index}.0/24`, podCIDRs: [`10.244.${index}.0/24`] },
    status: {
      capacity: { cpu: '4', memory: '8145088Ki', pods: '110', 'ephemeral-storage': '102625208Ki' },
      allocatable: { cpu: '4', memory: '8145088Ki', pods: '110', 'ephemeral-storage': '102625208Ki' },
      conditions: [
        ['MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'],
        ['DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'],
        ['PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'],
        ['Ready', 'True', 'KubeletReady', 'kubelet is posting ready status'],
      ].map(([type, status, reason, message]) => ({
        type,
        status,
        reason,
        message,
        lastHeartbeatTime: now,
        lastTransitionTime: now,
      })),
      addresses: [
        { type: 'InternalIP', address: `172.18.0.${index + 2}` },
        { type: 'Hostname', address: name },
      ],
      nodeInfo: {
        kubeletVersion: KUBELET_VERSION,
        kubeProxyVersion: KUBELET_VERSION,
        containerRuntimeVersion: 'containerd://1.7.18',
        osImage: 'Debian GNU/Linux 12 (bookworm)',
        kernelVersion: '6.1.0-kube-sim',
        operatingSystem: 'linux',
        architecture: 'amd64',
      },
    },
  };
}

/** What a fresh cluster has: the four system namespaces, the `kubernetes` Service and Ready nodes. */
export function bootstrap(store: Store, nodes: number, now: Date): void {
  const stamp = now.toISOString().replace(/\.\d+Z$/, 'Z');
  for (const name of ['default', 'kube-system', 'kube-public', 'kube-node-lease']) {
    store.create(R.namespaces, {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name, labels: { 'kubernetes.io/metadata.name': name } },
      spec: { finalizers: ['kubernetes'] },
      status: { phase: 'Active' },
    });
  }
  store.create(R.services, {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name: 'kubernetes',
      namespace: 'default',
      labels: { component: 'apiserver', provider: 'kubernetes' },
    },
    spec: {
      type: 'ClusterIP',
      clusterIP: '10.96.0.1',
      clusterIPs: ['10.96.0.1'],
      ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 6443 }],
      sessionAffinity: 'None',
    },
  });
  for (let i = 0; i < nodes; i++) {
    const name = i === 0 ? 'kube-sim-control-plane' : `kube-sim-worker${i === 1 ? '' : i}`;
    store.create(R.nodes, simulatedNode(name, stamp, i, i === 0));
  }
}
