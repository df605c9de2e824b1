import { kubeconfigContentSecrets } from '@upgrade-actions/common';
import { defineAction, input } from '@upgrade-actions/toolkit';

export const healthProbeAction = defineAction({
  name: 'health-probe',
  description:
    'Health-check a release at three levels (pods, HTTP services, Prometheus metrics), once or for a watch window, and decide whether to roll it back',
  inputs: {
    urls: input.list({
      description:
        "Service-level targets, one per line: URLs (https://host/healthz), or name[.namespace]:port/path reached through the API server's service proxy.",
      default: '',
    }),
    'expected-status': input.string({
      description: 'Accepted HTTP statuses: 200, a list (200,204), a range (200-299) or a class (2xx).',
      default: '200',
    }),
    timeout: input.string({ description: 'Timeout of each request, e.g. 5s.', default: '5s' }),
    method: input.string({ description: 'HTTP method of the service-level requests.', default: 'GET' }),
    headers: input.list({
      description: 'Request headers, one "Name: value" per line. Values are masked.',
      default: '',
    }),
    'body-match': input.string({
      description: 'Regular expression the response body must match. Empty: any body.',
      default: '',
    }),
    'max-latency': input.string({
      description: 'Latency threshold, e.g. 500ms: slower answers fail the check. Empty: none.',
      default: '',
    }),
    'insecure-skip-tls-verify': input.boolean({
      description: 'Accept any server certificate.',
      default: 'false',
    }),
    'ca-file': input.string({
      description:
        'CA bundle (PEM) to trust for https targets, relative to the workspace. Empty: the system CAs.',
      default: '',
    }),
    checks: input.string({
      description:
        'YAML list of structured checks: {url, method, headers, expectedStatus, bodyMatch, maxLatency} (service level) or {preset, params} / {query, failWhen} (business level).',
      default: '',
    }),
    'prometheus-url': input.string({
      description: 'Prometheus base URL for business-level checks (presets and PromQL queries).',
      default: '',
    }),
    mode: input.choice(['once', 'watch'] as const, {
      description: 'once: one round, any failure is unhealthy. watch: a round every interval for duration.',
      default: 'once',
    }),
    duration: input.string({ description: 'How long to watch (watch mode), e.g. 10m.', default: '5m' }),
    interval: input.string({ description: 'Time between rounds (watch mode), e.g. 10s.', default: '10s' }),
    'failure-threshold': input.integer({
      description: 'Consecutive failures of one check that make the release unhealthy (watch mode).',
      default: '5',
      min: 1,
    }),
    'fail-on-warning-events': input.boolean({
      description:
        "Fail when the release's objects (workloads, their ReplicaSets and pods) have Warning events since the release was created: the gate between stages (BackOff, failed pulls, failed mounts). Needs release.",
      default: 'false',
    }),
    release: input.string({
      description:
        "The deploy step's release output (JSON): its workloads get the basic (pods) level, its namespace is the default for service targets.",
      default: '',
    }),
    kubeconfig: input.string({
      description:
        'Kubeconfig path or content, for the pods level and service targets. Default: $KUBECONFIG, ~/.kube/config, or the pod service account.',
      default: '',
      secret: kubeconfigContentSecrets,
    }),
    context: input.string({
      description: 'Kubeconfig context to use. Default: its current-context.',
      default: '',
    }),
    'rollback-on-failure': input.boolean({
      description: 'When unhealthy, roll back every workload of the release (needs release).',
      default: 'false',
    }),
    'rollback-timeout': input.duration({
      description: 'How long to wait for each restored rollout when rolling back. 0: no limit.',
      default: '5m',
    }),
    fail: input.boolean({
      description: 'Fail the step (exit 1) when unhealthy. false: only set the outputs.',
      default: 'true',
    }),
  },
  outputs: {
    status:
      "healthy, unhealthy, or unreachable (the API server answered in the app's place: not judged, never rolled back)",
    report:
      'JSON: {status, latency, timestamp, mode, rounds, shouldRollback, consecutiveFailures, checks: [...]}',
    'should-rollback': 'true when a check failed failure-threshold times in a row (once mode: any failure)',
    'consecutive-failures': 'The longest run of consecutive failures of any check',
    'rolled-back': 'With rollback-on-failure, JSON of workload to {from, to, revision}; else empty',
  },
});
