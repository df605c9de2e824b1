import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { runCanary, type CanaryOptions } from '@upgrade-actions/canary';
import { parseImageOverrides } from '@upgrade-actions/deploy';
import { KubeClient, loadClusterAccess, parseManifests } from '@upgrade-actions/kube';
import { startKubeSim } from '@upgrade-actions/kube-sim';
import { stageLogger, type DemoContext, type DemoStage } from './stage';

const STABLE = 'ghcr.io/acme/shop-api:1.5.0';
const GOOD = 'ghcr.io/acme/shop-api:1.6.0';
const BAD = 'ghcr.io/acme/shop-api:1.7.0';

const MANIFESTS = `
apiVersion: v1
kind: Namespace
metadata: {name: shop}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: shop-api, namespace: shop}
spec:
  replicas: 4
  selector: {matchLabels: {app: shop-api}}
  template:
    metadata: {labels: {app: shop-api}}
    spec:
      containers: [{name: api, image: ghcr.io/acme/shop-api:1.5.0, ports: [{containerPort: 8080}]}]
---
apiVersion: v1
kind: Service
metadata: {name: shop-api, namespace: shop}
spec:
  selector: {app: shop-api}
  ports: [{port: 80, targetPort: 8080}]
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: shop-api, namespace: shop}
spec:
  ingressClassName: nginx
  rules:
    - host: shop.example
      http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: shop-api, port: {number: 80}}}}]}
`;

/** A version of the app: a real HTTP server whose /health answers `status`. */
async function startApp(version: string, status: number): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const code = req.url === '/health' ? status : 404;
    res.writeHead(code, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ version, status: code === 200 ? 'ok' : 'failing' }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/**
 * canary → promote, then a bad canary aborted at its first gate, through the ingress-nginx router on the
 * embedded simulator: the same engine the canary action runs, its log as the action prints it.
 */
export const canaryStage: DemoStage = {
  name: 'canary',
  summary: 'a good upgrade canaried to promotion through an ingress-nginx canary, a bad one aborted',
  async run(ctx: DemoContext): Promise<boolean> {
    const apps = await Promise.all([startApp('1.5.0', 200), startApp('1.6.0', 200), startApp('1.7.0', 500)]);
    const sim = await startKubeSim({
      speed: 20,
      controllers: {
        events: false,
        scenario: {
          [STABLE]: { backend: apps[0].url },
          [GOOD]: { backend: apps[1].url },
          [BAD]: { backend: apps[2].url },
        },
      },
    });
    const client = new KubeClient(loadClusterAccess({ path: sim.kubeconfigPath }));
    const quiet = /^(Waiting for deployment|::)/;
    const logger = stageLogger(ctx, quiet);
    const canary = (image: string) => {
      const options: CanaryOptions = {
        client,
        access: client.access,
        manifests: parseManifests(MANIFESTS, 'deploy/shop-api.yaml'),
        namespace: 'shop',
        overrides: parseImageOverrides(`ghcr.io/acme/shop-api=${image}`),
        policy: { forbidLatest: true, requireDigest: false },
        router: 'nginx',
        ingress: 'shop-api',
        matches: [{ kind: 'header', name: 'x-user-tier', value: 'premium' }],
        steps: [25, 50, 100],
        timing: { stepIntervalMs: 1000, analysisIntervalMs: 500 },
        failureThreshold: 2,
        analysis: { urls: ['shop-api-canary:80/health'] },
        maxDurationMs: 0,
        action: 'run',
        identity: 'upgrade-actions-demo',
        lockTimeoutMs: 30_000,
        rolloutTimeoutMs: 60_000,
        fieldManager: 'upgrade-actions',
        logger,
      };
      return runCanary(options);
    };
    const gone = async (path: string) =>
      client.get(path).then(
        () => false,
        () => true,
      );
    try {
      ctx.say(
        `Kubernetes simulator at ${sim.url}, router: ingress-nginx (a canary Ingress with canary-weight)`,
      );
      ctx.say('');
      ctx.say(`first release ${STABLE}`);
      const first = await canary(STABLE);
      ctx.say('');
      ctx.say(
        `canary ${GOOD}: 25% → 50% → 100%, x-user-tier: premium always to the canary, GET /health every round`,
      );
      const good = await canary(GOOD);
      ctx.say('');
      ctx.say(`canary ${BAD} (its /health answers 500)`);
      const bad = await canary(BAD);
      const live = await client.get<{ spec: { template: { spec: { containers: { image: string }[] } } } }>(
        '/apis/apps/v1/namespaces/shop/deployments/shop-api',
      );
      const leftovers = await Promise.all([
        gone('/apis/networking.k8s.io/v1/namespaces/shop/ingresses/shop-api-canary'),
        gone('/api/v1/namespaces/shop/services/shop-api-canary'),
        gone('/apis/apps/v1/namespaces/shop/deployments/shop-api-canary'),
      ]);
      const verdicts = [
        [
          `${STABLE} is the first release: applied directly, nothing to compare with`,
          first.phase === 'promoted',
        ],
        [
          `${GOOD} went through every step (${good.state?.history.map((h) => `${h.weight}%`).join(' → ')}) and was promoted`,
          good.phase === 'promoted' && good.state?.history.length === 3,
        ],
        [
          `${BAD} was aborted at its first gate (${bad.trip?.check}: ${bad.trip?.value}), weight back to 0`,
          bad.phase === 'aborted' && bad.step === 0 && bad.weight === 0,
        ],
        [
          `${GOOD} keeps serving, and no canary object is left`,
          live.spec.template.spec.containers[0].image === GOOD && leftovers.every(Boolean),
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
