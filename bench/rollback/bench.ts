// Time to recover from a failed rollout on the simulator: our rollback engine against
// `kubectl rollout undo` + `kubectl rollout status`, with an independent watch measuring what the
// controller itself takes, so what each adds beyond the controller can be told apart.
import { execFile } from '@upgrade-actions/common';
import {
  applyManifests,
  Discovery,
  followRolloutStatus,
  KubeClient,
  loadClusterAccess,
  parseManifests,
  resolveWorkload,
  rolloutStatus,
  untilWithSync,
  type Deployment,
} from '@upgrade-actions/kube';
import { startKubeSim } from '@upgrade-actions/kube-sim';
import { rollback, runIdentity } from '@upgrade-actions/rollback';

export interface RecoverFigures {
  how: string;
  replicas: number;
  /** From starting the recovery to it returning (kubectl: both processes exited). */
  totalMs: number;
  /** From the Deployment's template changing back to its status first reporting the rollout complete: the controller's share. */
  controllerMs: number;
  /** Start → template changed (our checks, the Lease, the undo request; kubectl's start-up and undo). */
  beforeMs: number;
  /** Rollout complete → returned (our verification and mark; kubectl's status exit). */
  afterMs: number;
  requests: number;
}

const deployment = (image: string, replicas: number) => `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: default, annotations: {kubernetes.io/change-cause: "${image}"}}
spec:
  replicas: ${replicas}
  progressDeadlineSeconds: 3
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: web, image: "${image}"}]}
`;

const KUBECTL = process.env.KUBECTL ?? 'kubectl';

/** One fresh simulator (real time): a good rollout, a bad one that fails its progress deadline, then the recovery measured. */
export async function benchRecover(
  replicas: number,
  how: 'upgrade-actions rollback' | 'kubectl undo + status',
): Promise<RecoverFigures> {
  const sim = await startKubeSim({
    speed: 1,
    controllers: { events: false, scenario: { 'bad:*': { ready: false } } },
  });
  const client = new KubeClient(loadClusterAccess({ path: sim.kubeconfigPath }));
  try {
    const target = () =>
      resolveWorkload(client, new Discovery(client), {
        type: 'deployment',
        name: 'web',
        namespace: 'default',
      });
    await applyManifests(client, parseManifests(deployment('web:1', replicas), 'bench'), {
      fieldManager: 'bench',
      namespace: 'default',
    });
    await followRolloutStatus(client, await target(), { timeoutMs: 300_000, onMessage: () => {} });
    await applyManifests(client, parseManifests(deployment('bad:2', replicas), 'bench'), {
      fieldManager: 'bench',
      namespace: 'default',
    });
    await followRolloutStatus(client, await target(), { timeoutMs: 300_000, onMessage: () => {} }).then(
      () => {
        throw new Error('the bad rollout completed');
      },
      (e: Error) => {
        if (!/exceeded its progress deadline/.test(e.message)) throw e;
      },
    );

    // The independent observer: when the template changes back, and when the status first says complete.
    const marks: { changed?: number; complete?: number } = {};
    const observer = new KubeClient(loadClusterAccess({ path: sim.kubeconfigPath }));
    const watched = untilWithSync(
      observer,
      { path: '/apis/apps/v1/namespaces/default/deployments', fieldSelector: 'metadata.name=web' },
      (_t, obj) => {
        const image = (obj as Deployment).spec?.template?.spec?.containers as { image: string }[] | undefined;
        if (marks.changed === undefined && image?.[0]?.image === 'web:1') marks.changed = performance.now();
        if (marks.changed !== undefined && rolloutStatus(obj).done) {
          marks.complete = performance.now();
          return true;
        }
        return false;
      },
    );
    const before = sim.requests.length;
    const t0 = performance.now();
    if (how === 'upgrade-actions rollback') {
      const c = new KubeClient(loadClusterAccess({ path: sim.kubeconfigPath }));
      const r = await rollback({
        client: c,
        targets: [
          {
            type: 'Deployment',
            name: 'web',
            namespace: 'default',
            release: { revisionBefore: 1, revisionAfter: 2 },
          },
        ],
        reason: 'bench',
        identity: runIdentity(),
        timeoutMs: 300_000,
      });
      c.close();
      if (r.outcomes[0].action !== 'rolled-back' || !r.outcomes[0].verified)
        throw new Error(`not recovered: ${r.outcomes[0].message}`);
    } else {
      const kc = ['--kubeconfig', sim.kubeconfigPath];
      await execFile(KUBECTL, [...kc, 'rollout', 'undo', 'deployment/web']);
      await execFile(KUBECTL, [...kc, 'rollout', 'status', 'deployment/web', '--timeout=300s']);
    }
    const t1 = performance.now();
    await watched;
    observer.close();
    // The observer's own requests (a list and a watch) are not the recovery's.
    const requests = sim.requests.slice(before).length - 2;
    return {
      how,
      replicas,
      totalMs: t1 - t0,
      controllerMs: marks.complete! - marks.changed!,
      beforeMs: marks.changed! - t0,
      afterMs: t1 - marks.complete!,
      requests,
    };
  } finally {
    client.close();
    await sim.stop();
  }
}
