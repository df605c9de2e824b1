import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { apiCheck, exitCodeFor, formatMinor, summaryLine, textTable } from '@upgrade-actions/deprecations';
import type { DemoContext, DemoStage } from './stage';

// The chart a team carries from an older cluster: an Ingress on a removed API, a CronJob on a removed
// beta, a FlowSchema whose beta is removed later, and an HPA that is already on v2.
const MANIFESTS = `apiVersion: networking.k8s.io/v1beta1
kind: Ingress
metadata: {name: shop-api, namespace: shop}
spec:
  rules: [{host: shop.example, http: {paths: [{path: /, backend: {serviceName: shop-api, servicePort: 80}}]}}]
---
apiVersion: batch/v1beta1
kind: CronJob
metadata: {name: shop-report, namespace: shop}
spec:
  schedule: "0 3 * * *"
  jobTemplate: {spec: {template: {spec: {restartPolicy: Never, containers: [{name: r, image: ghcr.io/acme/report:2.1.0}]}}}}
---
apiVersion: flowcontrol.apiserver.k8s.io/v1beta3
kind: FlowSchema
metadata: {name: shop-api}
spec:
  priorityLevelConfiguration: {name: workload-low}
  matchingPrecedence: 1000
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: shop-api, namespace: shop}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: shop-api}
  minReplicas: 2
  maxReplicas: 10
`;

/** api-check before a Kubernetes version upgrade: what breaks at 1.25, and what will break at 1.32. */
export const apiCheckStage: DemoStage = {
  name: 'api-check',
  summary: 'removed and not-yet-served APIs in a chart before a Kubernetes upgrade (1.25, 1.32)',
  async run(ctx: DemoContext): Promise<boolean> {
    mkdirSync(ctx.root, { recursive: true });
    const file = path.join(ctx.root, 'deploy', 'shop.yaml');
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, MANIFESTS);
    const check = async (target: string) => {
      const r = await apiCheck({ paths: ['deploy'], cwd: ctx.root, targetVersion: target, keepGoing: true });
      ctx.say(`upgrade-actions api-check --target-version ${target} deploy/`);
      for (const line of textTable(r.findings).split('\n')) ctx.say(`  ${line}`);
      ctx.say(`  ${summaryLine(r.findings, `Kubernetes ${formatMinor(r.target)}`, r.objects)}.`);
      ctx.say(`  exit code ${exitCodeFor(r.findings)}`);
      ctx.say('');
      return r;
    };
    const at125 = await check('1.25');
    const at132 = await check('1.32');
    const kinds = (r: typeof at125, status: string) =>
      r.findings.filter((f) => f.status === status).map((f) => f.kind);
    const verdicts = [
      [
        'upgrading to 1.25 is blocked (exit 4): the Ingress (v1beta1, removed in 1.22) and the CronJob (batch/v1beta1, removed in 1.25)',
        exitCodeFor(at125.findings) === 4 && kinds(at125, 'removed').sort().join(',') === 'CronJob,Ingress',
      ],
      [
        'the FlowSchema on flowcontrol v1beta3 is flagged as not yet served at 1.25',
        kinds(at125, 'not-yet-available').includes('FlowSchema'),
      ],
      [
        'at 1.32 the FlowSchema is removed too; autoscaling/v2 passes at both',
        kinds(at132, 'removed').includes('FlowSchema') &&
          ![...at125.findings, ...at132.findings].some((f) => f.kind === 'HorizontalPodAutoscaler'),
      ],
    ] as const;
    for (const [what, ok] of verdicts) ctx.say(`${ok ? '✓' : '✗ expected:'} ${what}`);
    return verdicts.every(([, ok]) => ok);
  },
};
