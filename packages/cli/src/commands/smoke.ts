import path from 'node:path';
import { ConfigurationError } from '@upgrade-actions/common';
import { KubeClient, loadClusterAccess, tabbed } from '@upgrade-actions/kube';
import { planSmokeTest, reportTable, runSmokePlan } from '@upgrade-actions/smoke';
import { parseCommandArgs } from '../args';
import type { Command } from '../command';

const usage = `upgrade-actions smoke FILE [options]

Runs a declarative smoke test file (YAML: setup, tests, teardown; requests with assertions on
status, headers, JSONPath values, body and latency; retries with backoff). See docs/smoke-test.md.

Options:
  --base-url URL|SERVICE       joined with each request's path (also \${base-url} in the file); a URL,
                               or a Service through the API server's proxy: name[.namespace]:port[/path]
  --kubeconfig FILE            for a Service base URL (default: $KUBECONFIG or ~/.kube/config)
  -n, --namespace NAME         namespace of a Service that names none (default: the context's)
  --var NAME=VALUE             a variable for \${NAME} (repeatable)
  --junit FILE                 write a JUnit XML report
  --insecure-skip-tls-verify   accept any server certificate
  --ca-file FILE               trust this CA bundle (PEM)
  --no-fail                    exit 0 even when tests fail
  --json                       print the report as JSON

Exit codes: 0 all passed, 1 a step failed (or an error).`;

export const smokeCommand: Command = {
  name: 'smoke',
  summary: 'Run a YAML file of smoke tests against a release, with a JUnit report',
  usage,
  flags: { 'base-url': '--base-url', 'ca-file': '--ca-file', junit: '--junit' },
  async run(ctx) {
    const { values, positionals } = parseCommandArgs(
      {
        args: ctx.argv,
        allowPositionals: true,
        options: {
          'base-url': { type: 'string' },
          kubeconfig: { type: 'string' },
          namespace: { type: 'string', short: 'n' },
          var: { type: 'string', multiple: true, default: [] },
          junit: { type: 'string' },
          'insecure-skip-tls-verify': { type: 'boolean', default: false },
          'ca-file': { type: 'string' },
          'no-fail': { type: 'boolean', default: false },
          json: { type: 'boolean', default: false },
        },
      },
      usage,
    );
    if (positionals.length !== 1) throw new ConfigurationError(`give one smoke test file\n\n${usage}`);
    const plan = planSmokeTest({
      file: path.resolve(ctx.cwd, positionals[0]),
      fileName: positionals[0],
      baseUrl: values['base-url'],
      variables: values.var,
      insecureSkipTlsVerify: values['insecure-skip-tls-verify'],
      caFile: values['ca-file'] ? path.resolve(ctx.cwd, values['ca-file']) : undefined,
      junitPath: values.junit ? path.resolve(ctx.cwd, values.junit) : undefined,
      namespace: values.namespace,
      names: { file: '', baseUrl: '--base-url', variables: '--var', caFile: '--ca-file', image: '--image' },
    });
    // Only a Service base URL needs a cluster; plain URLs work without a kubeconfig.
    const client =
      plan.mode === 'file' && plan.needsCluster
        ? new KubeClient(loadClusterAccess({ path: values.kubeconfig, env: ctx.env }))
        : undefined;
    let report;
    try {
      report = await runSmokePlan(plan, { client, logger: ctx.logger });
    } finally {
      client?.close();
    }
    if (values.json) {
      ctx.stdout(JSON.stringify(report, null, 2) + '\n');
    } else {
      const t = reportTable(report);
      const rows = [t.header.map((h) => h.toUpperCase()), ...t.rows].map((r) => r.join('\t')).join('\n');
      ctx.stdout(tabbed(rows, 2) + '\n');
      ctx.stdout(`\n${report.passed} passed, ${report.failed} failed\n`);
    }
    return report.failed > 0 && !values['no-fail'] ? 1 : 0;
  },
};
