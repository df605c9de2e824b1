import { changeCauseProblem, kubeNameProblem, kubeconfigContentSecrets } from '@upgrade-actions/common';
import { imageOverridesProblem } from '@upgrade-actions/images';
import { defineAction, input } from '@upgrade-actions/toolkit';
import { analysisInputs, notificationInputs } from './analysis-inputs';

export const canaryAction = defineAction({
  name: 'canary',
  description:
    'Progressive delivery with no controller in the cluster: shift traffic to a canary step by step through a real router (replica ratio, ingress-nginx, Istio, Gateway API), analyse each step with metric gates, promote or abort; resumable from scheduled runs',
  inputs: {
    manifests: input.list({
      description:
        'Manifests of the release: one Deployment (the workload to roll out) and optionally its Service and other objects; files, directories or globs, one per line or comma-separated.',
      required: true,
      separator: 'newline-or-comma',
    }),
    images: input.string({
      check: imageOverridesProblem,
      description:
        'Image overrides, one name=reference per line, or a JSON object of name to reference (as deploy takes them).',
      default: '',
    }),
    namespace: input.string({
      check: (v) => kubeNameProblem(v, 'label', 'a namespace name'),
      description:
        "Namespace for objects that name none. Default: the kubeconfig context's namespace, else default.",
      default: '',
    }),
    kubeconfig: input.string({
      description:
        'Kubeconfig path or content. Default: $KUBECONFIG, ~/.kube/config, or the pod service account.',
      default: '',
      secret: kubeconfigContentSecrets,
    }),
    context: input.string({
      description: 'Kubeconfig context to use. Default: its current-context.',
      default: '',
    }),
    service: input.string({
      check: (v) => kubeNameProblem(v, 'label', 'a Service name', ['-canary']),
      description: "The stable Service. Default: the one whose selector matches the Deployment's pods.",
      default: '',
    }),
    'traffic-router': input.choice(['replicas', 'nginx', 'istio', 'gateway-api'] as const, {
      description:
        'What carries the split: replicas (share of pods behind one Service, no mesh), nginx (a canary Ingress), istio (VirtualService weights), gateway-api (HTTPRoute backendRefs weights).',
      default: 'replicas',
    }),
    ingress: input.string({
      check: (v) => kubeNameProblem(v, 'subdomain', 'an Ingress name', ['-canary']),
      description: 'nginx: the stable Ingress the canary Ingress copies.',
      default: '',
    }),
    'virtual-service': input.string({
      check: (v) =>
        kubeNameProblem(v.split('/')[0], 'subdomain', 'a VirtualService name (name or name/route)'),
      description:
        'istio: the VirtualService whose route is weighted (optionally name/route to pick the route).',
      default: '',
    }),
    'http-route': input.string({
      check: (v) => kubeNameProblem(v, 'subdomain', 'an HTTPRoute name'),
      description: 'gateway-api: the HTTPRoute whose backendRefs are weighted.',
      default: '',
    }),
    'header-match': input.string({
      description:
        'Requests with this header always go to the canary, e.g. "x-user-tier: premium" (nginx, istio, gateway-api).',
      default: '',
    }),
    'cookie-match': input.string({
      description: 'Requests with this cookie set to "always" go to the canary (nginx, istio).',
      default: '',
    }),
    steps: input.string({
      description: 'Traffic percentages, comma-separated, strictly increasing, ending at 100.',
      default: '10,30,50,100',
    }),
    'step-interval': input.duration({
      description: 'How long each step is analysed before the next, e.g. 5m.',
      default: '5m',
      minMs: 1000,
    }),
    ...analysisInputs,
    'max-duration': input.duration({
      description:
        'How long this run may take before it saves its place and ends with phase progressing (a later run resumes). 0: until promoted or aborted.',
      default: '0',
    }),
    action: input.choice(['run', 'promote', 'abort'] as const, {
      description:
        'run: start or resume. promote: skip the remaining steps. abort: traffic back to stable, canary removed.',
      default: 'run',
    }),
    'lock-timeout': input.duration({
      description: "How long to wait for another run's Lease on the same workload before failing.",
      default: '2m',
    }),
    'rollout-timeout': input.duration({
      description:
        "How long the canary's pods, and the promotion's rolling update, may take to become available.",
      default: '10m',
      minMs: 1000,
    }),
    'forbid-latest': input.boolean({
      description: 'Refuse images tagged latest or with no tag (production policy).',
      default: 'true',
    }),
    'require-digest': input.boolean({
      description: 'Refuse images not pinned by digest (name@sha256:...).',
      default: 'false',
    }),
    'change-cause': input.string({
      check: changeCauseProblem,
      description: 'Recorded as kubernetes.io/change-cause, shown by kubectl rollout history. Empty: none.',
      default: '',
    }),
    'field-manager': input.string({
      description: 'Field manager name recorded for applied fields.',
      default: 'upgrade-actions',
      pattern: /^[\x20-\x7e]{1,128}$/,
      patternHint: '1 to 128 printable ASCII characters',
    }),
    environment: input.string({
      description:
        'GitHub Environment to record a Deployment in when the canary starts (needs token): in_progress while it runs, then success (promoted) or failure (aborted). Empty: none.',
      default: '',
    }),
    'environment-url': input.string({
      description: 'URL shown on the GitHub Deployment (the environment_url of its statuses).',
      default: '',
    }),
    ...notificationInputs,
  },
  outputs: {
    phase: 'progressing (stopped by max-duration; a later run resumes), promoted, or aborted',
    weight:
      'Share of traffic on the new version when the run ended, 0-100 (100 once promoted, 0 once aborted)',
    step: 'Index into steps of the step in flight (or the last one reached)',
    analysis: 'JSON: per step, its weight and each round with every check and the value it saw',
    release: 'The release descriptor (JSON) with the workload revisions',
    'deployment-id': 'The GitHub Deployment of this canary (environment input), or empty',
  },
});
