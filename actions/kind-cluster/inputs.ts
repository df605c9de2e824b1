import { defineAction, input } from '@upgrade-actions/toolkit';

const SHA256 = /^([0-9a-fA-F]{64})?$/;

/** Where kind and kubectl come from and how they are verified; the root action (verify) offers them too. */
export const toolInputs = {
  'kind-sha256': input.string({
    description: 'sha256 of the kind binary, for a kind-version whose checksum this action does not pin',
    default: '',
    pattern: SHA256,
    patternHint: '64 hexadecimal characters',
  }),
  'kubectl-sha256': input.string({
    description:
      'sha256 of the kubectl binary, for a kubectl-version whose checksum this action does not pin',
    default: '',
    pattern: SHA256,
    patternHint: '64 hexadecimal characters',
  }),
  'kind-download-url': input.string({
    description: 'Where kind releases are downloaded from (<url>/<version>/kind-linux-<arch>), e.g. a mirror',
    default: 'https://github.com/kubernetes-sigs/kind/releases/download',
    pattern: /^https?:\/\/\S+$/,
    patternHint: 'an http(s) URL',
  }),
  'kubectl-download-url': input.string({
    description:
      'Where kubectl releases are downloaded from (<url>/<version>/bin/linux/<arch>/kubectl), e.g. a mirror',
    default: 'https://dl.k8s.io/release',
    pattern: /^https?:\/\/\S+$/,
    patternHint: 'an http(s) URL',
  }),
};

export const kindCluster = defineAction({
  name: 'kind-cluster',
  description:
    'Creates a kind cluster for this job (kind and kubectl installed from pinned checksums, node image by digest), waits until every node is Ready, and deletes it in a post step',
  inputs: {
    'cluster-name': input.string({
      description:
        'Name of the cluster (a-z, 0-9, ".", "-", at most 50). Default: upgrade-<run id>-<attempt>-<job hash>, unique per run, attempt and job',
      default: '',
    }),
    'kind-version': input.string({
      description:
        'kind release to install (its sha256 must be pinned in this action, or given in kind-sha256)',
      default: 'v0.32.0',
    }),
    'kubectl-version': input.string({
      description:
        'kubectl release to install (its sha256 must be pinned in this action, or given in kubectl-sha256)',
      default: 'v1.35.5',
    }),
    'kubernetes-version': input.string({
      description:
        "Kubernetes version of the nodes, e.g. 1.35 or 1.35.5: mapped to the kindest/node image, with its digest, built for the kind release. Default: that release's default image",
      default: '',
    }),
    'node-image': input.string({
      description: 'Node image to use instead of the table, e.g. kindest/node:v1.36.1@sha256:...',
      default: '',
    }),
    config: input.string({
      description:
        'Path to a kind config file (kind: Cluster); cannot be combined with workers, port-mappings or feature-gates',
      default: '',
    }),
    workers: input.integer({
      description: 'Number of worker nodes next to the control plane',
      default: '0',
      min: 0,
      max: 20,
    }),
    'port-mappings': input.list({
      description:
        'Ports of the control-plane node published on the host, one per line: [listenAddress:]hostPort:containerPort[/tcp|udp|sctp]',
      default: '',
      separator: 'newline-or-comma',
    }),
    'feature-gates': input.list({
      description: 'Kubernetes feature gates for every component, one per line: Name=true or Name=false',
      default: '',
      separator: 'newline-or-comma',
    }),
    registry: input.boolean({
      description:
        'Start a local registry reachable as localhost:<registry-port> from the host and from every node',
      default: 'false',
    }),
    'registry-port': input.integer({
      description: 'Host port of the local registry',
      default: '5001',
      min: 1,
      max: 65535,
    }),
    'registry-image': input.string({
      description: 'Image of the local registry container',
      default: 'registry:3',
    }),
    'load-images': input.list({
      description:
        'Images (from the local Docker) or image archives (.tar, .tar.gz) to load into every node, one per line',
      default: '',
    }),
    wait: input.duration({
      description: 'How long to wait for the API server and every node to be Ready (0s: do not wait)',
      default: '5m',
      minMs: 0,
    }),
    kubeconfig: input.string({
      description:
        'Kubeconfig file to write the cluster into. Default: the first file of KUBECONFIG, else ~/.kube/config',
      default: '',
    }),
    keep: input.boolean({
      description: 'Keep the cluster (and registry) after the job instead of deleting it in the post step',
      default: 'false',
    }),
    'export-logs': input.choice(['on-failure', 'always', 'never'], {
      description:
        'When the post step exports `kind export logs` as an artifact: on-failure (this step failed or was cancelled), always, never',
      default: 'on-failure',
    }),
    'fail-on-cleanup-error': input.boolean({
      description: 'Fail the post step when deleting the cluster or registry fails (otherwise a warning)',
      default: 'false',
    }),
    ...toolInputs,
  },
  outputs: {
    'cluster-name': 'Name of the cluster',
    kubeconfig: 'Path of the kubeconfig file holding the cluster',
    context: 'kubectl context of the cluster (kind-<cluster-name>)',
    'kubernetes-version': 'Kubernetes version the API server reports, e.g. v1.36.1',
    registry: 'Host of the local registry (localhost:<port>), empty without one',
  },
});
