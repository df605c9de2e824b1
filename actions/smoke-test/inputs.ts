import { kubeNameProblem, kubeconfigContentSecrets } from '@upgrade-actions/common';
import { imageReferenceProblem } from '@upgrade-actions/images';
import { defineAction, input } from '@upgrade-actions/toolkit';

export const smokeTestAction = defineAction({
  name: 'smoke-test',
  description:
    'Run smoke tests against a release: a YAML file of requests and assertions, or a test image as a Job in the release namespace; JUnit XML and a job summary with each failure',
  inputs: {
    file: input.string({
      description:
        'The smoke test file (YAML: variables, setup, tests, teardown), relative to the workspace. Give this or image.',
      default: '',
    }),
    'base-url': input.string({
      description:
        "Joined with each request's path, and ${base-url} in the file: a URL, or a Service reached through the API server's proxy, name[.namespace]:port[/path] (e.g. web.shop:80; needs kubeconfig). Default: the file's baseUrl.",
      default: '',
    }),
    variables: input.list({
      description:
        'Variables for ${NAME} in the file, one NAME=VALUE per line. Release fields are ${release.namespace}, ${release.workloads.0.name}, ...',
      default: '',
    }),
    release: input.string({
      description:
        "The deploy step's release output (JSON): its fields as ${release.*} variables; its namespace for the Job.",
      default: '',
    }),
    'insecure-skip-tls-verify': input.boolean({
      description: 'Accept any server certificate.',
      default: 'false',
    }),
    'ca-file': input.string({
      description:
        'CA bundle (PEM) to trust for https requests, relative to the workspace. Empty: the system CAs.',
      default: '',
    }),
    image: input.string({
      check: imageReferenceProblem,
      description:
        'In-cluster mode: run this image as a Job in the release namespace; it passes on exit code 0. Give this or file.',
      default: '',
    }),
    command: input.list({
      description:
        "In-cluster mode: the container's command, one argument per line (no shell). Empty: the image's entrypoint.",
      default: '',
    }),
    namespace: input.string({
      check: (v) => kubeNameProblem(v, 'label', 'a namespace name'),
      description:
        "In-cluster mode: the Job's namespace. Default: the release's, else the kubeconfig context's.",
      default: '',
    }),
    'job-timeout': input.duration({
      description: 'In-cluster mode: how long the Job may take, from creation to its end.',
      default: '10m',
    }),
    kubeconfig: input.string({
      description:
        'For in-cluster mode and a Service base-url: kubeconfig path or content. Default: $KUBECONFIG, ~/.kube/config, or the pod service account.',
      default: '',
      secret: kubeconfigContentSecrets,
    }),
    context: input.string({
      description: 'Kubeconfig context to use. Default: its current-context.',
      default: '',
    }),
    'junit-path': input.string({
      description: 'Where to write the JUnit XML report, relative to the workspace.',
      default: 'smoke-test-results.xml',
    }),
    fail: input.boolean({
      description: 'Fail the step (exit 1) when a test fails. false: only set the outputs.',
      default: 'true',
    }),
  },
  outputs: {
    passed: 'Number of tests that passed',
    failed: 'Number of steps that failed (setup, tests, teardown), plus tests skipped because setup failed',
    report:
      'JSON: {passed, failed, total, timestamp, durationMs, steps: [{name, phase, status, attempts, latency, request, failures: [{assertion, expected, actual}]}]}',
    'junit-path': 'Absolute path of the JUnit XML file written',
  },
});
