import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigurationError, parseDuration } from '@upgrade-actions/common';
import { KubeClient, loadClusterAccess, tabbed } from '@upgrade-actions/kube';
import { healthProbe, needsCluster, reportTable } from '@upgrade-actions/probe';
import { parseCommandArgs } from '../args';
import type { Command } from '../command';

const usage = `upgrade-actions probe [TARGET ...] [options]

Health-checks a release at three levels and decides whether it should be rolled back. A TARGET is a
URL (http://host/path) or a Service reached through the API server's proxy, name[.namespace]:port/path
(e.g. web:8080/healthz), so it works in a cluster with no ingress. Business-level gates (Prometheus
queries and presets) come from a checks file; see docs/health-probe.md.

Options:
  --expected-status LIST       accepted statuses: 200, 200,204, 200-299, 2xx (default: 200)
  --timeout DURATION           per request (default: 5s)
  --method METHOD              (default: GET)
  -H, --header 'Name: value'   a request header (repeatable); values are never printed
  --body-match REGEX           the body must match
  --max-latency DURATION       slower answers fail
  --insecure-skip-tls-verify   accept any server certificate
  --ca-file FILE               trust this CA bundle (PEM)
  --checks FILE                YAML list of structured checks (url, or preset/query with failWhen)
  --prometheus-url URL         Prometheus for business-level checks
  --mode once|watch            one round, or rounds every --interval for --duration (default: once)
  --duration DURATION          watch this long (default: 5m)
  --interval DURATION          between rounds (default: 10s)
  --failure-threshold N        consecutive failures of one check that fail the probe (default: 5)
  --release FILE               the deploy step's release descriptor (JSON): also checks its pods
  --rollback-on-failure        roll the release back when it is unhealthy (needs --release)
  --fail-on-warning-events     fail on Warning events from the release's objects (needs --release)
  --rollback-timeout DURATION  how long the rollback may take (default: 5m)
  --kubeconfig FILE            for service targets and releases (default: $KUBECONFIG or ~/.kube/config)
  --context NAME               kubeconfig context
  -n, --namespace NAME         namespace of service targets (default: the context's)
  --no-fail                    exit 0 even when unhealthy
  --json                       print the report as JSON

Exit codes: 0 healthy, 1 unhealthy (or an error).`;

export const probeCommand: Command = {
  name: 'probe',
  summary: 'Health-check a release (HTTP, service proxy, Prometheus) once or for a watch window',
  usage,
  flags: {
    urls: 'TARGET',
    checks: '--checks',
    'prometheus-url': '--prometheus-url',
    mode: '--mode',
    duration: '--duration',
    interval: '--interval',
    'failure-threshold': '--failure-threshold',
    'expected-status': '--expected-status',
    kubeconfig: '--kubeconfig',
    context: '--context',
    release: '--release',
    'rollback-on-failure': '--rollback-on-failure',
    'fail-on-warning-events': '--fail-on-warning-events',
  },
  async run(ctx) {
    const { values, positionals } = parseCommandArgs(
      {
        args: ctx.argv,
        allowPositionals: true,
        options: {
          'expected-status': { type: 'string', default: '200' },
          timeout: { type: 'string', default: '5s' },
          method: { type: 'string', default: 'GET' },
          header: { type: 'string', short: 'H', multiple: true, default: [] },
          'body-match': { type: 'string' },
          'max-latency': { type: 'string' },
          'insecure-skip-tls-verify': { type: 'boolean', default: false },
          'ca-file': { type: 'string' },
          checks: { type: 'string' },
          'prometheus-url': { type: 'string' },
          mode: { type: 'string', default: 'once' },
          duration: { type: 'string', default: '5m' },
          interval: { type: 'string', default: '10s' },
          'failure-threshold': { type: 'string', default: '5' },
          kubeconfig: { type: 'string' },
          context: { type: 'string' },
          release: { type: 'string' },
          'rollback-on-failure': { type: 'boolean', default: false },
          'fail-on-warning-events': { type: 'boolean', default: false },
          'rollback-timeout': { type: 'string', default: '5m' },
          namespace: { type: 'string', short: 'n' },
          'no-fail': { type: 'boolean', default: false },
          json: { type: 'boolean', default: false },
        },
      },
      usage,
    );
    if (values.mode !== 'once' && values.mode !== 'watch') {
      throw new ConfigurationError(`--mode must be once or watch, got "${values.mode}"`);
    }
    const threshold = Number(values['failure-threshold']);
    if (!/^\d+$/.test(values['failure-threshold']) || threshold < 1) {
      throw new ConfigurationError(
        `--failure-threshold must be a whole number of at least 1, got "${values['failure-threshold']}"`,
      );
    }
    parseDuration(values.duration, '--duration');
    const rollbackTimeoutMs = parseDuration(values['rollback-timeout'], '--rollback-timeout');
    if (values['rollback-on-failure'] && !values.release) {
      throw new ConfigurationError(
        '--rollback-on-failure: needs --release (the release descriptor deploy printed)',
      );
    }
    let release;
    if (values.release) {
      const { parseRelease } = await import('@upgrade-actions/release');
      let text: string;
      try {
        text = readFileSync(path.resolve(ctx.cwd, values.release), 'utf8');
      } catch (e) {
        throw new ConfigurationError(
          `--release: cannot read ${values.release} (${(e as NodeJS.ErrnoException).code ?? e})`,
        );
      }
      release = parseRelease(text);
    }
    const intervalMs = parseDuration(values.interval, '--interval');
    if (intervalMs <= 0) throw new ConfigurationError('--interval must be longer than 0s');
    let checksText: string | undefined;
    if (values.checks) {
      try {
        checksText = readFileSync(path.resolve(ctx.cwd, values.checks), 'utf8');
      } catch (e) {
        throw new ConfigurationError(
          `--checks: cannot read ${values.checks} (${(e as NodeJS.ErrnoException).code ?? e})`,
        );
      }
    }
    const inputs = {
      urls: positionals,
      expectedStatus: values['expected-status'],
      timeout: values.timeout,
      method: values.method,
      headers: values.header,
      bodyMatch: values['body-match'],
      maxLatency: values['max-latency'],
      insecureSkipTlsVerify: values['insecure-skip-tls-verify'],
      caFile: values['ca-file'] ? path.resolve(ctx.cwd, values['ca-file']) : undefined,
      checks: checksText,
      prometheusUrl: values['prometheus-url'],
    };
    // Only service targets need a cluster; URLs and Prometheus work without a kubeconfig.
    let client: KubeClient | undefined;
    if (release || needsCluster(inputs)) {
      const access = loadClusterAccess({ path: values.kubeconfig, context: values.context, env: ctx.env });
      client = new KubeClient(values.namespace ? { ...access, namespace: values.namespace } : access);
    }
    let report;
    let rolled;
    try {
      // The same one-call engine as the health-probe action: plan (input errors first), run, decide.
      ({ report } = await healthProbe(
        {
          ...inputs,
          mode: values.mode,
          duration: values.duration,
          interval: values.interval,
          failureThreshold: threshold,
          failOnWarningEvents: values['fail-on-warning-events'],
        },
        { client, release, logger: ctx.logger },
      ));
      if (report.shouldRollback && values['rollback-on-failure'] && release && client) {
        const { releaseTargets, rollback, runIdentity } = await import('@upgrade-actions/rollback');
        rolled = await rollback({
          client,
          targets: releaseTargets(release),
          reason: `health-probe: ${report.error ?? 'unhealthy'}`,
          identity: runIdentity(),
          timeoutMs: rollbackTimeoutMs,
          logger: ctx.logger,
        });
      }
    } finally {
      client?.close();
    }
    if (values.json) {
      ctx.stdout(JSON.stringify(report, null, 2) + '\n');
    } else {
      const t = reportTable(report);
      const text = [t.header.map((h) => h.toUpperCase()), ...t.rows].map((r) => r.join('\t')).join('\n');
      ctx.stdout(tabbed(text, 2) + '\n');
      ctx.stdout(
        `\n${report.status}` +
          (report.error ? `: ${report.error}` : '') +
          ` (${report.rounds} round(s), should-rollback ${report.shouldRollback}, consecutive-failures ${report.consecutiveFailures})\n`,
      );
    }
    if (rolled) {
      for (const o of rolled.outcomes)
        ctx.stdout(`rollback: ${o.displayName} ${o.action}${o.message ? `: ${o.message}` : ''}\n`);
    }
    return report.status !== 'healthy' && !values['no-fail'] ? 1 : 0;
  },
};
