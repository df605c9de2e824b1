import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildAnalysis } from '@upgrade-actions/analysis';
import { parseImageOverrides } from '@upgrade-actions/deploy';
import {
  applyManifests,
  Discovery,
  followRolloutStatus,
  KubeClient,
  loadClusterAccess,
  parseManifests,
  resolveWorkload,
} from '@upgrade-actions/kube';
import { startKubeSim } from '@upgrade-actions/kube-sim';
import { apiServerAccess } from '@upgrade-actions/probe';
import { promote, type PromoteOptions } from '@upgrade-actions/promote';
import { stageLogger, type DemoContext, type DemoStage } from './stage';

const BLUE = 'ghcr.io/acme/checkout:2.3.0';
const GOOD = 'ghcr.io/acme/checkout:2.4.0';
const LEAKY = 'ghcr.io/acme/checkout:2.5.0';

const MANIFESTS = (image: string) => `
apiVersion: v1
kind: Namespace
metadata: {name: shop}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: checkout, namespace: shop}
spec:
  replicas: 3
  selector: {matchLabels: {app: checkout}}
  template:
    metadata: {labels: {app: checkout}}
    spec:
      containers: [{name: checkout, image: "${image}", ports: [{containerPort: 8080}]}]
---
apiVersion: v1
kind: Service
metadata: {name: checkout, namespace: shop}
spec:
  selector: {app: checkout}
  ports: [{port: 80, targetPort: 8080}]
`;

/** A version of the app: /health answers 200, or 500 once it has answered `healthyFor` requests (a leak). */
async function startApp(version: string, healthyFor = Infinity): Promise<{ server: Server; url: string }> {
  let served = 0;
  const server = createServer((req, res) => {
    const code = req.url === '/health' ? (++served <= healthyFor ? 200 : 500) : 404;
    res.writeHead(code, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ version, status: code === 200 ? 'ok' : 'failing' }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/**
 * Blue-green on the embedded simulator: a good release validated through checkout-preview, switched in one
 * selector write, watched, and the old colour scaled down; then a release that passes validation but
 * starts failing once it serves is switched back to blue during the watch. The promote action's engine.
 */
export const promoteStage: DemoStage = {
  name: 'promote',
  summary: 'a blue-green promotion, and a release failing its watch switched back',
  async run(ctx: DemoContext): Promise<boolean> {
    // 2.5.0 passes its validation (3 rounds) and its first watch round, then fails.
    const apps = await Promise.all([startApp('2.3.0'), startApp('2.4.0'), startApp('2.5.0', 4)]);
    const sim = await startKubeSim({
      speed: 20,
      controllers: {
        events: false,
        scenario: {
          [BLUE]: { backend: apps[0].url },
          [GOOD]: { backend: apps[1].url },
          [LEAKY]: { backend: apps[2].url },
        },
      },
    });
    const access = loadClusterAccess({ path: sim.kubeconfigPath });
    const client = new KubeClient(access);
    const quiet = /^(Waiting for deployment|::)/;
    const logger = stageLogger(ctx, quiet);
    const run = (image: string) => {
      const options: PromoteOptions = {
        client,
        namespace: 'shop',
        manifests: parseManifests(MANIFESTS(BLUE), 'deploy/checkout.yaml'),
        overrides: parseImageOverrides(`ghcr.io/acme/checkout=${image}`),
        policy: { forbidLatest: true, requireDigest: false },
        timing: { validationMs: 1500, watchMs: 3000, scaleDownDelayMs: 200, intervalMs: 500 },
        failureThreshold: 2,
        analysis: (vars) =>
          buildAnalysis(
            { urls: ['checkout-preview:80/health'] },
            { vars: { ...vars, interval: '1s' }, api: apiServerAccess(access, vars.namespace) },
          ),
        maxDurationMs: 0,
        action: 'run',
        lockTimeoutMs: 30_000,
        readyTimeoutMs: 60_000,
        identity: 'upgrade-actions-demo',
        logger,
      };
      return promote(options);
    };
    const selector = async () =>
      (
        await client.get<{ spec: { selector: Record<string, string> } }>(
          '/api/v1/namespaces/shop/services/checkout',
        )
      ).spec.selector;
    const version = async () =>
      JSON.parse(
        await client
          .request<string>('GET', '/api/v1/namespaces/shop/services/checkout:80/proxy/health')
          .then((b) => (typeof b === 'string' ? b : JSON.stringify(b))),
      ).version as string;
    try {
      ctx.say(`Kubernetes simulator at ${sim.url}; blue-green behind Service shop/checkout`);
      ctx.say('');
      ctx.say(`${BLUE} serves (deployed as deploy leaves it)`);
      await applyManifests(client, parseManifests(MANIFESTS(BLUE), 'deploy/checkout.yaml'), {
        fieldManager: 'upgrade-actions',
        namespace: 'shop',
      });
      const blue = await resolveWorkload(client, new Discovery(client), {
        type: 'deploy',
        name: 'checkout',
        namespace: 'shop',
      });
      await followRolloutStatus(client, blue, { timeoutMs: 60_000, onMessage: () => {} });
      ctx.say('');
      ctx.say(`promote ${GOOD}: validate through checkout-preview, switch, watch, scale blue down`);
      const good = await run(GOOD);
      const afterGood = await version();
      ctx.say('');
      ctx.say(`promote ${LEAKY} (its /health starts failing once it has served a few requests)`);
      const leaky = await run(LEAKY);
      const sel = await selector();
      const afterLeaky = await version();
      const verdicts = [
        [
          `${GOOD} was validated, switched to and watched: checkout-green serves, blue scaled down`,
          good.phase === 'promoted' && good.active === 'checkout-green' && afterGood === '2.4.0',
        ],
        [
          `${LEAKY} failed during the watch (${leaky.trip?.check}: ${leaky.trip?.value}) and the selector went back to checkout-green ${leaky.switchBackMs ?? '?'} ms after the failed round`,
          leaky.phase === 'rolled-back' && leaky.active === 'checkout-green',
        ],
        [
          `2.4.0 serves again and the Service selects checkout-green alone (${JSON.stringify(sel)})`,
          afterLeaky === '2.4.0' && sel['promote.upgrade-actions.io/colour'] === 'green',
        ],
      ] as const;
      ctx.say('');
      for (const [what, ok] of verdicts) ctx.say(`${ok ? '✓' : '✗ expected:'} ${what}`);
      return verdicts.every(([, ok]) => ok);
    } finally {
      client.close();
      await sim.stop();
      await Promise.all(apps.map((a) => new Promise<void>((resolve) => a.server.close(() => resolve()))));
    }
  },
};
