import { readFileSync } from 'node:fs';
import path from 'node:path';
import { buildAnalysis, promDuration } from '@upgrade-actions/analysis';
import { ConfigurationError, parseDuration } from '@upgrade-actions/common';
import { parseImageOverrides } from '@upgrade-actions/deploy';
import { KubeClient, loadClusterAccess, loadManifests } from '@upgrade-actions/kube';
import { apiServerAccess } from '@upgrade-actions/probe';
import { promote, describeTrip } from '@upgrade-actions/promote';
import { runIdentity } from '@upgrade-actions/rollback';
import { parseCommandArgs } from '../args';
import type { Command } from '../command';

const USAGE = `upgrade-actions promote -f PATH --analysis-url TARGET [options]

Blue-green promotion of one Deployment behind its Service: the new version starts beside the serving
one as <name>-green (or -blue), is analysed through <service>-preview for --validation, takes the
traffic in one write of the Service's selector, is watched for --watch (a failed gate puts the selector
back at once), and the old colour is scaled down after --scale-down-delay. State lives on the Service:
a run stopped by --max-duration continues on the next. Prints {phase, active, previous} as JSON; exits 1
when the promotion was aborted by a failed check or rolled back.

  -f, --filename PATH          the release's Deployment and Service (repeatable)
      --image NAME=REF         image override (repeatable)
      --service NAME           the Service that switches (default: the one selecting the Deployment)
  -n, --namespace NS           namespace of objects naming none (default: the context's)
      --analysis-url TARGET    checked every round (repeatable): a URL or svc[.ns]:port/path through the
                               API server, e.g. web-preview:80/healthz; {{ target }}, {{ stable }} allowed
      --analysis-checks FILE   YAML list of structured checks and comparison gates
      --prometheus-url URL     Prometheus for presets and queries
      --prometheus-preset NAME error-rate, latency-p99, … (repeatable)
      --prometheus-queries FILE  YAML list of {name, query, failWhen}
      --analysis-interval D    how often the analysis runs (default 30s)
      --failure-threshold N    consecutive failed rounds that stop it (default 3)
      --validation D           analysis of green before the switch (default 1m)
      --watch D                analysis after the switch (default 30m)
      --scale-down-delay D     old colour kept after a good watch (default 30s)
      --max-duration D         save and exit 0 (phase progressing) after D (default 0: until done)
      --abort                  stop the promotion in flight: traffic back on blue, exit 0
      --timeout D              green's rollout limit (default 5m)
      --lock-timeout D         how long to wait for another run's Lease (default 2m)
      --allow-latest           allow images tagged latest
      --require-digest         refuse images without a digest
      --kubeconfig FILE        kubeconfig file (default: $KUBECONFIG, else ~/.kube/config)
      --context NAME           kubeconfig context`;

export const promoteCommand: Command = {
  name: 'promote',
  summary:
    'Blue-green promotion: validate green beside blue, switch the Service, watch, switch back on failure',
  usage: USAGE,
  flags: {
    manifests: '--filename',
    images: '--image',
    namespace: '--namespace',
    service: '--service',
    'analysis-urls': '--analysis-url',
    'analysis-checks': '--analysis-checks',
    'prometheus-url': '--prometheus-url',
    'prometheus-presets': '--prometheus-preset',
    'prometheus-queries': '--prometheus-queries',
    'forbid-latest': '--allow-latest',
    'require-digest': '--require-digest',
    kubeconfig: '--kubeconfig',
    context: '--context',
  },
  async run(ctx) {
    const { values: v } = parseCommandArgs(
      {
        args: ctx.argv,
        options: {
          filename: { type: 'string', short: 'f', multiple: true },
          image: { type: 'string', multiple: true },
          service: { type: 'string' },
          namespace: { type: 'string', short: 'n' },
          'analysis-url': { type: 'string', multiple: true },
          'analysis-checks': { type: 'string' },
          'prometheus-url': { type: 'string' },
          'prometheus-preset': { type: 'string', multiple: true },
          'prometheus-queries': { type: 'string' },
          'analysis-interval': { type: 'string' },
          'failure-threshold': { type: 'string' },
          validation: { type: 'string' },
          watch: { type: 'string' },
          'scale-down-delay': { type: 'string' },
          'max-duration': { type: 'string' },
          abort: { type: 'boolean' },
          timeout: { type: 'string' },
          'lock-timeout': { type: 'string' },
          'allow-latest': { type: 'boolean' },
          'require-digest': { type: 'boolean' },
          kubeconfig: { type: 'string' },
          context: { type: 'string' },
        },
      },
      USAGE,
    );
    if (!v.filename?.length) throw new ConfigurationError('--filename: give the release manifests (-f PATH)');
    const threshold = v['failure-threshold'] ?? '3';
    if (!/^[1-9]\d*$/.test(threshold))
      throw new ConfigurationError(`--failure-threshold: must be a whole number >= 1, got "${threshold}"`);
    const duration = (flag: string, fallback: string) =>
      parseDuration((v as Record<string, string | undefined>)[flag] ?? fallback, `--${flag}`);
    const intervalMs = duration('analysis-interval', '30s');
    if (intervalMs < 1000) throw new ConfigurationError('--analysis-interval: must be at least 1s');
    const timing = {
      validationMs: duration('validation', '1m'),
      watchMs: duration('watch', '30m'),
      scaleDownDelayMs: duration('scale-down-delay', '30s'),
      intervalMs,
    };
    const file = (p: string | undefined) => (p ? readFileSync(path.resolve(ctx.cwd, p), 'utf8') : undefined);
    const overrides = parseImageOverrides((v.image ?? []).join('\n'), '--image');
    const manifests = loadManifests(v.filename, { cwd: ctx.cwd });
    const access = loadClusterAccess({
      path: v.kubeconfig,
      context: v.context,
      env: ctx.env,
      inCluster: 'auto',
    });
    const client = new KubeClient(access);
    try {
      const result = await promote({
        client,
        namespace: v.namespace ?? access.namespace,
        manifests,
        overrides,
        service: v.service,
        policy: { forbidLatest: !v['allow-latest'], requireDigest: !!v['require-digest'] },
        timing,
        failureThreshold: Number(threshold),
        analysis: (vars) =>
          buildAnalysis(
            {
              urls: v['analysis-url'] ?? [],
              checks: file(v['analysis-checks']),
              prometheusUrl: v['prometheus-url'],
              prometheusPresets: v['prometheus-preset'],
              prometheusQueries: file(v['prometheus-queries']),
            },
            {
              vars: { ...vars, interval: promDuration(intervalMs) },
              api: apiServerAccess(access, vars.namespace),
            },
          ),
        maxDurationMs: duration('max-duration', '0'),
        action: v.abort ? 'abort' : 'run',
        lockTimeoutMs: duration('lock-timeout', '2m'),
        readyTimeoutMs: duration('timeout', '5m'),
        identity: runIdentity(ctx.env),
        logger: ctx.logger,
      });
      ctx.stdout(
        JSON.stringify({ phase: result.phase, active: result.active, previous: result.previous }) + '\n',
      );
      const failed = result.phase === 'rolled-back' || (result.phase === 'aborted' && !v.abort);
      if (failed)
        ctx.stderr(
          `error: ${result.trip ? describeTrip(result.trip) : result.failure}; ${result.active} serves\n`,
        );
      return failed ? 1 : 0;
    } finally {
      client.close();
    }
  },
};
