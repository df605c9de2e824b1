import { kubeNameProblem, kubeconfigContentSecrets } from '@upgrade-actions/common';
import { imageOverridesProblem } from '@upgrade-actions/images';
import { defineAction, input } from '@upgrade-actions/toolkit';
import { toolInputs } from '../kind-cluster/inputs';

/** The root action: the inputs that make sense for one verification step, not every input of every action. */
export const verifyAction = defineAction({
  name: 'upgrade-actions',
  description:
    'Verify an upgrade in one step: create an ephemeral kind cluster (or use a given kubeconfig), check the manifests’ APIs against its Kubernetes version, deploy them and wait for the rollouts, run the health probe and smoke tests, tear down, and report one verdict',
  inputs: {
    manifests: input.list({
      description:
        'Manifests to verify: files, directories (every .yaml, .yml, .json in them) or globs, one per line or comma-separated.',
      required: true,
      separator: 'newline-or-comma',
    }),
    namespace: input.string({
      check: (v) => kubeNameProblem(v, 'label', 'a namespace name'),
      description:
        "Namespace for objects that name none. Default: the kubeconfig context's namespace, else default.",
      default: '',
    }),
    images: input.string({
      check: imageOverridesProblem,
      description:
        'Image overrides, one name=reference per line, or a JSON object of name to reference (a build step output).',
      default: '',
    }),
    kubeconfig: input.string({
      description:
        'Kubeconfig path or content of an existing cluster to verify in; no cluster is created or deleted then. Default: create a kind cluster.',
      default: '',
      secret: kubeconfigContentSecrets,
    }),
    context: input.string({
      description: 'Context of the given kubeconfig. Default: its current-context.',
      default: '',
    }),
    'fail-on': input.choice(['removed', 'deprecated'], {
      description:
        'The api-check stage fails on objects whose API is removed at the cluster’s version (removed), or deprecated or removed (deprecated).',
      default: 'removed',
    }),
    timeout: input.duration({
      description: 'How long to wait for all rollouts together, e.g. 5m. 0: no limit.',
      default: '5m',
    }),
    'forbid-latest': input.boolean({
      description: 'Refuse images tagged latest or with no tag.',
      default: 'true',
    }),
    'health-urls': input.list({
      description:
        'Health probe targets, one per line: URLs, or service targets (name:port/path) reached through the API server. Empty (and no health-checks): no health stage.',
      default: '',
      separator: 'newline-or-comma',
    }),
    'health-checks': input.string({
      description:
        'Structured health checks, a YAML list as in the health-probe action (docs/health-probe.md).',
      default: '',
    }),
    'expected-status': input.string({
      description: 'Statuses the health-urls must answer: 200, 200,204, 200-299, 2xx.',
      default: '200',
    }),
    'smoke-file': input.string({
      description: 'Smoke test file (docs/smoke-test.md), relative to the workspace. Empty: no smoke stage.',
      default: '',
    }),
    'smoke-base-url': input.string({
      description:
        "Base URL of the smoke file's path requests (and ${base-url} in it): a URL, or a Service reached through the API server's proxy, name[.namespace]:port[/path], e.g. web.shop:80 (namespace default: the release's). Default: the file's baseUrl.",
      default: '',
    }),
    'smoke-variables': input.list({
      description:
        'Variables for ${NAME} in the smoke file, one NAME=VALUE per line. The release is there as ${release.namespace}, ${release.workloads.0.name}, ...',
      default: '',
    }),
    cleanup: input.boolean({
      description:
        'With a given kubeconfig: delete the objects this run created (namespaces, Deployments, Services...) at teardown; objects that existed before are left and named. false: leave everything applied, named in the teardown row. A created kind cluster is deleted unless keep.',
      default: 'true',
    }),
    'cluster-name': input.string({
      description:
        'Name of the kind cluster (a-z, 0-9, ".", "-", at most 50). Default: upgrade-<run id>-<attempt>-<job hash>',
      default: '',
    }),
    'kubernetes-version': input.string({
      description:
        "Kubernetes version of the kind nodes, e.g. 1.35 or 1.35.5 (the kindest/node image with its digest). Default: the kind release's default image",
      default: '',
    }),
    'node-image': input.string({
      description: 'Node image to use instead of the table, e.g. kindest/node:v1.36.1@sha256:...',
      default: '',
    }),
    config: input.string({
      description: 'Path to a kind config file (kind: Cluster); cannot be combined with workers',
      default: '',
    }),
    workers: input.integer({
      description: 'Number of kind worker nodes next to the control plane',
      default: '0',
      min: 0,
      max: 20,
    }),
    'load-images': input.list({
      description:
        'Images (from the local Docker) or image archives (.tar, .tar.gz) to load into every node, one per line',
      default: '',
    }),
    wait: input.duration({
      description: 'How long to wait for the kind cluster’s API server and nodes to be Ready',
      default: '5m',
      minMs: 0,
    }),
    keep: input.boolean({
      description: 'Keep the kind cluster after the step instead of deleting it',
      default: 'false',
    }),
    'export-logs': input.choice(['on-failure', 'always', 'never'], {
      description:
        'When `kind export logs` is uploaded as an artifact before the cluster is deleted: on-failure (the verification failed or was cancelled), always, never',
      default: 'on-failure',
    }),
    'kind-version': input.string({
      description: 'kind release to install (its sha256 pinned in this action, or given in kind-sha256)',
      default: 'v0.32.0',
    }),
    'kubectl-version': input.string({
      description:
        'kubectl release to install (its sha256 pinned in this action, or given in kubectl-sha256)',
      default: 'v1.35.5',
    }),
    ...toolInputs,
  },
  outputs: {
    verdict: 'passed, or failed when any stage failed',
    'failed-stage':
      'The first stage that failed (cluster, api-check, deploy, health, smoke, teardown); empty when passed',
    release:
      'The release descriptor (JSON) of what was deployed, for rollback and later stages; empty when nothing was deployed',
    stages: 'Every stage as JSON: [{stage, result, durationMs, detail}]',
    'cluster-name': 'Name of the kind cluster; empty when a kubeconfig was given',
    'kubernetes-version': 'Kubernetes version the API server reports, e.g. v1.36.1',
  },
});
