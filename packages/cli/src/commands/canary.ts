import { ConfigurationError, parseDuration } from '@upgrade-actions/common';
import { analysisJson, parseMatches, parseSteps, runCanary } from '@upgrade-actions/canary';
import { parseImageOverrides } from '@upgrade-actions/deploy';
import { KubeClient, loadClusterAccess, loadManifests } from '@upgrade-actions/kube';
import { serializeRelease } from '@upgrade-actions/release';
import { runIdentity } from '@upgrade-actions/rollback';
import { parseRouterType } from '@upgrade-actions/traffic';
import { parseCommandArgs } from '../args';
import type { Command } from '../command';

const USAGE = `upgrade-actions canary -f MANIFESTS [options]

Shifts traffic to a canary of the manifests' Deployment step by step, analyses every step (HTTP checks,
Prometheus presets, queries and comparison gates against the stable version) and promotes it or aborts it.
Nothing runs in the cluster: the state lives on the stable Deployment, so a later run resumes. Prints
{phase, weight, step, release} as JSON; exits 1 when a gate aborted it, 0 otherwise.

  -f, --filename PATH          manifests: files, directories or globs (repeatable)
  -n, --namespace NS           namespace for objects that name none (default: the context's)
      --image NAME=REF         image override (repeatable)
      --service NAME           the stable Service (default: the one selecting the Deployment's pods)
      --traffic-router R       replicas (default), nginx, istio or gateway-api
      --ingress NAME           nginx: the stable Ingress
      --virtual-service NAME   istio: the VirtualService (NAME/ROUTE to pick a route)
      --http-route NAME        gateway-api: the HTTPRoute
      --header-match 'N: V'    requests with this header always go to the canary
      --cookie-match NAME      requests with this cookie set to "always" go to the canary
      --steps LIST             traffic percentages ending at 100 (default 10,30,50,100)
      --step-interval D        how long each step is analysed (default 5m)
      --analysis-interval D    how often the analysis runs (default 30s)
      --failure-threshold N    consecutive failed rounds of one check that abort (default 3)
      --url TARGET             analysis target: URL or svc[.ns]:port/path (repeatable)
      --checks FILE            analysis checks (YAML list, health-probe's form plus compare gates)
      --prometheus-url URL     Prometheus for presets, queries and comparisons
      --preset NAME            a preset of the seed's rules (repeatable)
      --queries FILE           YAML list of {name, query, failWhen | compare}
      --max-duration D         stop after D with phase progressing; a later run resumes (default 0: none)
      --promote                skip the remaining steps and promote the canary in flight
      --abort                  end the canary in flight: traffic back to stable, canary removed
      --kubeconfig FILE        kubeconfig file (default: $KUBECONFIG, else ~/.kube/config)
      --context NAME           kubeconfig context
      --lock-timeout D         how long to wait for another run's Lease (default 2m)
      --rollout-timeout D      limit for the canary's and the promotion's rollouts (default 10m)`;

export const canaryCommand: Command = {
  name: 'canary',
  summary: 'Canary a release step by step through a traffic router with metric gates; promote or abort',
  usage: USAGE,
  flags: {
    manifests: '--filename',
    images: '--image',
    namespace: '--namespace',
    'traffic-router': '--traffic-router',
    'virtual-service': '--virtual-service',
    'http-route': '--http-route',
    'header-match': '--header-match',
    'cookie-match': '--cookie-match',
    'analysis-urls': '--url',
    'analysis-checks': '--checks',
    'prometheus-url': '--prometheus-url',
    'prometheus-presets': '--preset',
    'prometheus-queries': '--queries',
    'step-interval': '--step-interval',
    'analysis-interval': '--analysis-interval',
    'failure-threshold': '--failure-threshold',
    'max-duration': '--max-duration',
    'lock-timeout': '--lock-timeout',
    ingress: '--ingress',
    service: '--service',
    steps: '--steps',
    kubeconfig: '--kubeconfig',
    context: '--context',
    action: '--promote/--abort',
  },
  async run(ctx) {
    const { values: v } = parseCommandArgs(
      {
        args: ctx.argv,
        options: {
          filename: { type: 'string', short: 'f', multiple: true },
          namespace: { type: 'string', short: 'n' },
          image: { type: 'string', multiple: true },
          service: { type: 'string' },
          'traffic-router': { type: 'string' },
          ingress: { type: 'string' },
          'virtual-service': { type: 'string' },
          'http-route': { type: 'string' },
          'header-match': { type: 'string' },
          'cookie-match': { type: 'string' },
          steps: { type: 'string' },
          'step-interval': { type: 'string' },
          'analysis-interval': { type: 'string' },
          'failure-threshold': { type: 'string' },
          url: { type: 'string', multiple: true },
          checks: { type: 'string' },
          'prometheus-url': { type: 'string' },
          preset: { type: 'string', multiple: true },
          queries: { type: 'string' },
          'max-duration': { type: 'string' },
          promote: { type: 'boolean' },
          abort: { type: 'boolean' },
          kubeconfig: { type: 'string' },
          context: { type: 'string' },
          'lock-timeout': { type: 'string' },
          'rollout-timeout': { type: 'string' },
        },
      },
      USAGE,
    );
    if (!v.filename?.length)
      throw new ConfigurationError(`--filename: give the release's manifests\n\n${USAGE}`);
    if (v.promote && v.abort) throw new ConfigurationError('--promote and --abort: give one of them');
    const threshold = v['failure-threshold'] ?? '3';
    if (!/^[1-9]\d*$/.test(threshold)) {
      throw new ConfigurationError(
        `--failure-threshold: must be a whole number of at least 1, got "${threshold}"`,
      );
    }
    const readText = async (file: string | undefined, flag: string) => {
      if (!file) return undefined;
      const { readFileSync } = await import('node:fs');
      const path = await import('node:path');
      try {
        return readFileSync(path.resolve(ctx.cwd, file), 'utf8');
      } catch (e) {
        throw new ConfigurationError(
          `${flag}: cannot read ${file} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`,
        );
      }
    };
    const router = parseRouterType(v['traffic-router'] ?? 'replicas', '--traffic-router');
    const steps = parseSteps(v.steps ?? '', '--steps');
    const matches = parseMatches(v['header-match'] ?? '', v['cookie-match'] ?? '');
    const overrides = parseImageOverrides((v.image ?? []).join('\n'), '--image');
    const timing = {
      stepIntervalMs: parseDuration(v['step-interval'] ?? '5m', '--step-interval'),
      analysisIntervalMs: parseDuration(v['analysis-interval'] ?? '30s', '--analysis-interval'),
    };
    const maxDurationMs = parseDuration(v['max-duration'] ?? '0', '--max-duration');
    const lockTimeoutMs = parseDuration(v['lock-timeout'] ?? '2m', '--lock-timeout');
    const rolloutTimeoutMs = parseDuration(v['rollout-timeout'] ?? '10m', '--rollout-timeout');
    const checks = await readText(v.checks, '--checks');
    const queries = await readText(v.queries, '--queries');
    const manifests = loadManifests(v.filename, { cwd: ctx.cwd });
    const [virtualService, virtualServiceRoute] = (v['virtual-service'] ?? '').split('/');
    const access = loadClusterAccess({
      path: v.kubeconfig,
      context: v.context,
      env: ctx.env,
      inCluster: 'auto',
    });
    const client = new KubeClient(access);
    try {
      const result = await runCanary({
        client,
        access,
        manifests,
        namespace: v.namespace ?? access.namespace,
        overrides,
        policy: { forbidLatest: true, requireDigest: false },
        service: v.service,
        router,
        ingress: v.ingress,
        virtualService: virtualService || undefined,
        virtualServiceRoute: virtualServiceRoute || undefined,
        httpRoute: v['http-route'],
        matches,
        steps,
        timing,
        failureThreshold: Number(threshold),
        analysis: {
          urls: v.url ?? [],
          checks,
          prometheusUrl: v['prometheus-url'],
          prometheusPresets: v.preset ?? [],
          prometheusQueries: queries,
        },
        maxDurationMs,
        action: v.promote ? 'promote' : v.abort ? 'abort' : 'run',
        identity: runIdentity(ctx.env),
        lockTimeoutMs,
        rolloutTimeoutMs,
        fieldManager: 'upgrade-actions',
        logger: ctx.logger,
      });
      ctx.stdout(
        JSON.stringify({
          phase: result.phase,
          weight: result.weight,
          step: result.step,
          message: result.message,
          analysis: JSON.parse(analysisJson(result.state)),
          release: JSON.parse(serializeRelease(result.release)),
        }) + '\n',
      );
      if (result.phase === 'aborted' && !result.requested) {
        ctx.logger.error(`canary aborted: ${result.message}`);
        return 1;
      }
      return 0;
    } finally {
      client.close();
    }
  },
};
