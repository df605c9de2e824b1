import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { deploy, parseImageOverrides, type DeployOptions } from '@upgrade-actions/deploy';
import { KubeClient, loadClusterAccess, parseManifests } from '@upgrade-actions/kube';
import { startKubeSim } from '@upgrade-actions/kube-sim';
import { healthProbe } from '@upgrade-actions/probe';
import { stageLogger, type DemoContext, type DemoStage } from './stage';

const GOOD = 'ghcr.io/acme/shop-api:1.5.0';
const BAD = 'ghcr.io/acme/shop-api:1.6.0';

// The release the demo ships. Progress deadline and minReadySeconds are simulated seconds: the
// simulator's clock runs 20× real time, so the bad release gives up after ~3 real seconds.
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
  progressDeadlineSeconds: 60
  minReadySeconds: 5
  selector: {matchLabels: {app: shop-api}}
  strategy: {rollingUpdate: {maxSurge: 25%, maxUnavailable: 0}}
  template:
    metadata: {labels: {app: shop-api}}
    spec:
      containers:
        - name: api
          image: ghcr.io/acme/shop-api:1.4.2
          ports: [{containerPort: 8080}]
---
apiVersion: v1
kind: Service
metadata: {name: shop-api, namespace: shop}
spec:
  selector: {app: shop-api}
  ports: [{port: 80, targetPort: 8080}]
`;

/** The application the good pods run: a real HTTP server the simulator's service proxy reaches. */
async function startApp(): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    res.writeHead(req.url === '/health' ? 200 : 404, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ status: req.url === '/health' ? 'ok' : 'not found', version: '1.5.0' }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/**
 * deploy → health-probe → a bad upgrade → automatic rollback, on the embedded Kubernetes simulator:
 * the same engines the actions run, with kubectl's rollout messages in the log.
 */
export const clusterStage: DemoStage = {
  name: 'deploy-probe-rollback',
  summary: 'deploy to the simulator, health probe, a bad upgrade rolled back automatically',
  async run(ctx: DemoContext): Promise<boolean> {
    const app = await startApp();
    const sim = await startKubeSim({
      speed: 20,
      controllers: {
        events: false,
        scenario: { [GOOD]: { backend: app.url, startDelayMs: 2000 }, [BAD]: { ready: false } },
      },
    });
    const client = new KubeClient(loadClusterAccess({ path: sim.kubeconfigPath }));
    const logger = stageLogger(ctx);
    const ship = (image: string, changeCause: string) => {
      const options: DeployOptions = {
        client,
        access: client.access,
        manifests: parseManifests(MANIFESTS, 'deploy/shop-api.yaml'),
        namespace: 'shop',
        overrides: parseImageOverrides(`ghcr.io/acme/shop-api=${image}`),
        changeCause,
        fieldManager: 'upgrade-actions',
        serverSide: true,
        wait: true,
        timeoutMs: 60_000,
        apiCheck: true,
        policy: { forbidLatest: true, requireDigest: false },
        allowFailedRevision: false,
        rollbackOnFailure: true,
        identity: 'upgrade-actions-demo',
        logger,
      };
      return deploy(options);
    };
    try {
      ctx.say(`Kubernetes simulator at ${sim.url} (kubeconfig ${sim.kubeconfigPath}), clock ×20`);
      ctx.say('');
      ctx.say(`deploy ${GOOD}`);
      const good = await ship(GOOD, 'upgrade shop-api to 1.5.0');
      const workload = good.release.workloads[0];

      ctx.say('');
      ctx.say('health-probe: pods of the release, and GET /health through the API server’s service proxy');
      const probe = await healthProbe(
        {
          urls: ['shop-api.shop:80/health'],
          expectedStatus: '200',
          timeout: '5s',
          mode: 'once',
          duration: '0s',
          interval: '1s',
          failureThreshold: 5,
        },
        { release: good.release, client, logger },
      );
      for (const c of probe.report.checks)
        ctx.say(
          `  ${c.level.padEnd(8)} ${c.target.padEnd(48)} ${c.status}${c.latency === null ? '' : ` ${c.latency} ms`}`,
        );

      ctx.say('');
      ctx.say(`deploy ${BAD} (its pods never become Ready)`);
      const bad = await ship(BAD, 'upgrade shop-api to 1.6.0');
      // The failed rollout and the automatic rollback were logged above when they happened, once each.
      const restored = await client.get<{
        spec: { template: { spec: { containers: { image: string }[] } } };
      }>('/apis/apps/v1/namespaces/shop/deployments/shop-api');
      const running = restored.spec.template.spec.containers[0].image;

      const verdicts = [
        [
          workload.revisionBefore === null
            ? `${GOOD} rolled out as a new workload (revision ${workload.revisionAfter})`
            : `${GOOD} rolled out (revision ${workload.revisionBefore} → ${workload.revisionAfter})`,
          good.failures.length === 0,
        ],
        ['the release is healthy at every level', probe.outputs.status === 'healthy'],
        [
          `${BAD} failed its rollout and was rolled back automatically`,
          bad.failures.length === 1 && !!bad.rollback,
        ],
        [
          `the rollback was verified and ${GOOD} runs again`,
          running === GOOD && (bad.rollback?.outcomes ?? []).every((o) => o.verified === true),
        ],
      ] as const;
      ctx.say('');
      for (const [what, ok] of verdicts) ctx.say(`${ok ? '✓' : '✗ expected:'} ${what}`);
      return verdicts.every(([, ok]) => ok);
    } finally {
      client.close();
      await sim.stop();
      await new Promise<void>((resolve) => app.server.close(() => resolve()));
    }
  },
};
