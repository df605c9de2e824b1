/* eslint-disable @typescript-eslint/no-explicit-any -- tests read loosely typed Kubernetes objects */
import { R } from '../resources';
import type { KObject } from '../types';
import { isPodActive, isPodReady } from '../controllers/objects';
import { condition, deploymentObject, harness, setImage, status, type Harness } from './controller-harness';

let h: Harness;
afterEach(() => h?.stop());

const rsList = (): KObject[] => h.store.list(R.replicasets, { namespace: 'default' });
const rsOf = (image: string): KObject | undefined =>
  rsList().find((rs) => (rs.spec as any).template.spec.containers[0].image === image);
const web = (): KObject => h.get(R.deployments, 'web');

function createWeb(spec: Record<string, unknown> = {}, annotations?: Record<string, string>): void {
  h.store.create(R.deployments, deploymentObject('web', spec, annotations));
  h.ctl.flush();
}

/** Changes the image and lets the rollout run to its end. */
function rollTo(image: string, annotations?: Record<string, string>): void {
  h.edit(R.deployments, 'web', (o) => {
    setImage(o, image);
    if (annotations) o.metadata.annotations = { ...(o.metadata.annotations ?? {}), ...annotations };
  });
  h.advance(60_000);
}

describe('a new Deployment', () => {
  test('gets a ReplicaSet named after the pod-template-hash, with the revision and replica annotations', () => {
    h = harness();
    createWeb({ replicas: 3 }, { 'kubernetes.io/change-cause': 'first release' });
    const [rs] = rsList();
    const hash = rs.metadata.labels!['pod-template-hash'];
    expect(hash).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]{6,10}$/);
    expect(rs.metadata.name).toBe(`web-${hash}`);
    expect(rs.metadata.annotations).toEqual({
      'deployment.kubernetes.io/revision': '1',
      'deployment.kubernetes.io/desired-replicas': '3',
      'deployment.kubernetes.io/max-replicas': '4',
      'kubernetes.io/change-cause': 'first release',
    });
    expect((rs.spec as any).selector.matchLabels).toEqual({ app: 'web', 'pod-template-hash': hash });
    expect(rs.metadata.ownerReferences).toEqual([
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        name: 'web',
        uid: web().metadata.uid,
        controller: true,
        blockOwnerDeletion: true,
      },
    ]);
    expect(web().metadata.annotations!['deployment.kubernetes.io/revision']).toBe('1');
  });

  test('creates pods named from the ReplicaSet with a five-character suffix, owned by it and scheduled', () => {
    h = harness();
    createWeb({ replicas: 3 });
    const [rs] = rsList();
    const pods = h.pods();
    expect(pods).toHaveLength(3);
    for (const p of pods) {
      expect(p.metadata.name).toMatch(new RegExp(`^${rs.metadata.name}-[bcdfghjklmnpqrstvwxz2456789]{5}$`));
      expect(p.metadata.ownerReferences![0]).toMatchObject({
        kind: 'ReplicaSet',
        name: rs.metadata.name,
        uid: rs.metadata.uid,
        controller: true,
      });
      expect((p.spec as any).nodeName).toBe('kube-sim-control-plane');
      expect(status(p).phase).toBe('Pending');
    }
  });

  test('reports the status kubectl rollout status reads, while starting and once available', () => {
    h = harness();
    createWeb({ replicas: 3 });
    expect(status(web())).toMatchObject({
      observedGeneration: 1,
      replicas: 3,
      updatedReplicas: 3,
      unavailableReplicas: 3,
    });
    expect(status(web()).availableReplicas).toBeUndefined();
    expect(condition(web(), 'Available')).toMatchObject({
      status: 'False',
      reason: 'MinimumReplicasUnavailable',
      message: 'Deployment does not have minimum availability.',
    });
    h.advance(1500);
    const rsName = rsList()[0].metadata.name;
    expect(status(web())).toMatchObject({
      observedGeneration: 1,
      replicas: 3,
      updatedReplicas: 3,
      readyReplicas: 3,
      availableReplicas: 3,
    });
    expect(status(web()).unavailableReplicas).toBeUndefined();
    expect(status(web()).conditions.map((c: { type: string }) => c.type)).toEqual([
      'Available',
      'Progressing',
    ]);
    expect(condition(web(), 'Available')).toMatchObject({
      status: 'True',
      reason: 'MinimumReplicasAvailable',
      message: 'Deployment has minimum availability.',
    });
    expect(condition(web(), 'Progressing')).toEqual({
      type: 'Progressing',
      status: 'True',
      reason: 'NewReplicaSetAvailable',
      message: `ReplicaSet "${rsName}" has successfully progressed.`,
      lastUpdateTime: '2026-03-01T10:00:01Z',
      lastTransitionTime: '2026-03-01T10:00:00Z',
    });
  });

  test('defaults to one replica when spec.replicas is absent', () => {
    h = harness();
    createWeb({ replicas: undefined });
    h.advance(2000);
    expect(h.pods()).toHaveLength(1);
    expect(status(web())).toMatchObject({ replicas: 1, availableReplicas: 1 });
  });
});

describe('a rolling update', () => {
  interface Watermarks {
    maxPods: number;
    minAvailable: number;
  }
  /** Counts pods and ready pods after every single store change during a rollout. */
  function watchPods(): Watermarks {
    const w = { maxPods: 0, minAvailable: Infinity };
    h.store.subscribe((e) => {
      if (e.resource.resource !== 'pods') return;
      const pods = h.pods(isPodActive);
      w.maxPods = Math.max(w.maxPods, pods.length);
      w.minAvailable = Math.min(w.minAvailable, pods.filter(isPodReady).length);
    });
    return w;
  }

  test.each([
    // replicas, maxSurge, maxUnavailable, resolved surge, resolved unavailable
    [5, '25%', '25%', 2, 1],
    [3, 1, 0, 1, 0],
    [3, 0, 1, 0, 1],
    [4, 0, 0, 0, 1],
    [10, '50%', '0%', 5, 0],
    [10, '30%', '30%', 3, 3],
    [1, '25%', '25%', 1, 0],
  ])(
    'with %p replicas, maxSurge %p and maxUnavailable %p runs up to replicas+%p pods and keeps replicas-%p available',
    (replicas, maxSurge, maxUnavailable, surge, unavailable) => {
      h = harness();
      createWeb({
        replicas,
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge, maxUnavailable } },
      });
      h.advance(5000);
      const w = watchPods();
      rollTo('nginx:1.26');
      expect(w.maxPods).toBe(replicas + surge);
      expect(w.minAvailable).toBe(replicas - unavailable);
      expect(h.pods()).toHaveLength(replicas);
      expect(h.pods().every((p) => (p.spec as any).containers[0].image === 'nginx:1.26')).toBe(true);
      expect(status(web())).toMatchObject({
        replicas,
        updatedReplicas: replicas,
        availableReplicas: replicas,
        observedGeneration: 2,
      });
    },
  );

  test('reports progress between the first and the last replica', () => {
    h = harness();
    createWeb({ replicas: 3, strategy: { rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } } });
    h.advance(5000);
    h.edit(R.deployments, 'web', (o) => setImage(o, 'nginx:1.26'));
    const newRS = rsOf('nginx:1.26')!;
    expect(status(web())).toMatchObject({ replicas: 4, updatedReplicas: 1, availableReplicas: 3 });
    expect(condition(web(), 'Progressing')).toMatchObject({
      reason: 'ReplicaSetUpdated',
      message: `ReplicaSet "${newRS.metadata.name}" is progressing.`,
    });
    expect(web().metadata.annotations!['deployment.kubernetes.io/revision']).toBe('2');
    expect(newRS.metadata.annotations!['deployment.kubernetes.io/revision']).toBe('2');
  });

  test('records ScalingReplicaSet events as the controller scales', () => {
    h = harness({ events: true });
    createWeb({ replicas: 2, strategy: { rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } } });
    h.advance(5000);
    rollTo('nginx:1.26');
    const messages = h.store
      .list(R.events, {
        namespace: 'default',
        filter: (e) => (e as any).involvedObject.kind === 'Deployment',
      })
      .map((e) => (e as any).message);
    const oldName = rsOf('nginx:1.25')!.metadata.name;
    const newName = rsOf('nginx:1.26')!.metadata.name;
    expect(messages).toEqual(
      expect.arrayContaining([
        `Scaled up replica set ${oldName} to 2`,
        `Scaled up replica set ${newName} to 1`,
        `Scaled down replica set ${oldName} to 1 from 2`,
        `Scaled up replica set ${newName} to 2 from 1`,
        `Scaled down replica set ${oldName} to 0 from 1`,
      ]),
    );
  });

  test('never scales down old pods while new pods cannot become ready and maxUnavailable is 0', () => {
    h = harness({ scenario: { 'nginx:broken': { ready: false } } });
    createWeb({ replicas: 3, strategy: { rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } } });
    h.advance(5000);
    rollTo('nginx:broken');
    expect(specReplicas(rsOf('nginx:1.25')!)).toBe(3);
    expect(specReplicas(rsOf('nginx:broken')!)).toBe(1);
    expect(status(web())).toMatchObject({
      replicas: 4,
      updatedReplicas: 1,
      availableReplicas: 3,
      unavailableReplicas: 1,
    });
  });
});

const specReplicas = (rs: KObject): number => (rs.spec as { replicas: number }).replicas;

describe('the Recreate strategy', () => {
  test('deletes every old pod before it creates a new one', () => {
    h = harness();
    createWeb({ replicas: 3, strategy: { type: 'Recreate' } });
    h.advance(5000);
    let overlap = false;
    h.store.subscribe(() => {
      const images = new Set(h.pods().map((p) => (p.spec as any).containers[0].image));
      if (images.size > 1) overlap = true;
    });
    rollTo('nginx:1.26');
    expect(overlap).toBe(false);
    expect(h.pods().map((p) => (p.spec as any).containers[0].image)).toEqual([
      'nginx:1.26',
      'nginx:1.26',
      'nginx:1.26',
    ]);
    expect(status(web())).toMatchObject({ replicas: 3, updatedReplicas: 3, availableReplicas: 3 });
    expect(condition(web(), 'Progressing')?.reason).toBe('NewReplicaSetAvailable');
  });
});

describe('rollback and history', () => {
  test('returning to an old template reuses its ReplicaSet, bumps its revision and records the old one', () => {
    h = harness();
    createWeb({ replicas: 2 }, { 'kubernetes.io/change-cause': 'v1' });
    h.advance(5000);
    const v1 = rsOf('nginx:1.25')!;
    rollTo('nginx:1.26', { 'kubernetes.io/change-cause': 'v2' });
    rollTo('nginx:1.25', { 'kubernetes.io/change-cause': 'rollback to v1' });
    expect(rsList()).toHaveLength(2);
    const reused = rsOf('nginx:1.25')!;
    expect(reused.metadata.uid).toBe(v1.metadata.uid);
    expect(reused.metadata.annotations).toMatchObject({
      'deployment.kubernetes.io/revision': '3',
      'deployment.kubernetes.io/revision-history': '1',
      'kubernetes.io/change-cause': 'rollback to v1',
    });
    expect(rsOf('nginx:1.26')!.metadata.annotations!['deployment.kubernetes.io/revision']).toBe('2');
    expect(web().metadata.annotations!['deployment.kubernetes.io/revision']).toBe('3');
    expect(specReplicas(reused)).toBe(2);
    expect(status(web())).toMatchObject({ replicas: 2, updatedReplicas: 2, availableReplicas: 2 });
  });

  test('a second rollback to the same ReplicaSet appends to its revision history', () => {
    h = harness();
    createWeb({ replicas: 1 });
    h.advance(5000);
    rollTo('nginx:1.26');
    rollTo('nginx:1.25');
    rollTo('nginx:1.26');
    rollTo('nginx:1.25');
    expect(rsOf('nginx:1.25')!.metadata.annotations).toMatchObject({
      'deployment.kubernetes.io/revision': '5',
      'deployment.kubernetes.io/revision-history': '1,3',
    });
  });

  test.each([
    [2, 3],
    [0, 1],
    [undefined, 6],
  ])('revisionHistoryLimit %p keeps %p ReplicaSets after five rollouts', (limit, kept) => {
    h = harness();
    createWeb({ replicas: 1, revisionHistoryLimit: limit });
    h.advance(5000);
    for (const v of ['1.26', '1.27', '1.28', '1.29', '1.30']) rollTo(`nginx:${v}`);
    const revisions = rsList()
      .map((rs) => Number(rs.metadata.annotations!['deployment.kubernetes.io/revision']))
      .sort((a, b) => a - b);
    expect(revisions).toEqual([6, 5, 4, 3, 2, 1].slice(0, kept).reverse());
  });
});

describe('progress and pausing', () => {
  test('a rollout that makes no progress for progressDeadlineSeconds reports ProgressDeadlineExceeded', () => {
    h = harness({ scenario: { 'nginx:broken': { ready: false } } });
    createWeb({
      replicas: 2,
      progressDeadlineSeconds: 30,
      strategy: { rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
    });
    h.advance(5000);
    h.edit(R.deployments, 'web', (o) => setImage(o, 'nginx:broken'));
    const name = rsOf('nginx:broken')!.metadata.name;
    h.advance(29_000);
    expect(condition(web(), 'Progressing')).toMatchObject({ status: 'True', reason: 'ReplicaSetUpdated' });
    h.advance(3_000);
    expect(condition(web(), 'Progressing')).toMatchObject({
      status: 'False',
      reason: 'ProgressDeadlineExceeded',
      message: `ReplicaSet "${name}" has timed out progressing.`,
      // lastUpdateTime 10:00:05 + 30 s: timed out from the first moment after 10:00:35.
      lastTransitionTime: '2026-03-01T10:00:35Z',
    });
    expect(condition(web(), 'Available')?.status).toBe('True');
  });

  test('each step of progress pushes the deadline back', () => {
    // Pods take 20 s to become ready; with a 30 s deadline each new ready pod renews lastUpdateTime.
    h = harness({ scenario: { 'nginx:slow': { startDelayMs: 20_000 } } });
    createWeb({
      replicas: 3,
      progressDeadlineSeconds: 30,
      strategy: { rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
    });
    h.advance(5000);
    rollTo('nginx:slow');
    h.advance(60_000);
    expect(condition(web(), 'Progressing')?.reason).toBe('NewReplicaSetAvailable');
  });

  test('a paused Deployment creates no new ReplicaSet and says so; resuming continues the rollout', () => {
    h = harness();
    createWeb({ replicas: 2 });
    h.advance(5000);
    h.edit(R.deployments, 'web', (o) => {
      (o.spec as { paused: boolean }).paused = true;
    });
    expect(condition(web(), 'Progressing')).toMatchObject({
      status: 'Unknown',
      reason: 'DeploymentPaused',
      message: 'Deployment is paused',
    });
    rollTo('nginx:1.26');
    expect(rsList()).toHaveLength(1);
    // The new template has no ReplicaSet yet, so no replica is up to date.
    expect(status(web())).toMatchObject({ observedGeneration: 3, replicas: 2, availableReplicas: 2 });
    expect(status(web()).updatedReplicas).toBeUndefined();
    h.edit(R.deployments, 'web', (o) => {
      (o.spec as { paused: boolean }).paused = false;
    });
    expect(rsList()).toHaveLength(2);
    h.advance(60_000);
    expect(h.pods().map((p) => (p.spec as any).containers[0].image)).toEqual(['nginx:1.26', 'nginx:1.26']);
    expect(condition(web(), 'Progressing')?.reason).toBe('NewReplicaSetAvailable');
  });

  test('a Deployment created paused gets no ReplicaSet', () => {
    h = harness();
    createWeb({ replicas: 2, paused: true });
    h.advance(5000);
    expect(rsList()).toHaveLength(0);
    expect(condition(web(), 'Progressing')?.reason).toBe('DeploymentPaused');
  });

  test('a paused Deployment still scales', () => {
    h = harness();
    createWeb({ replicas: 2 });
    h.advance(5000);
    h.edit(R.deployments, 'web', (o) => {
      (o.spec as { replicas: number; paused: boolean }).replicas = 4;
      (o.spec as { replicas: number; paused: boolean }).paused = true;
    });
    h.advance(5000);
    expect(h.pods()).toHaveLength(4);
  });
});

describe('minReadySeconds', () => {
  test('pods count as available only after being ready for minReadySeconds', () => {
    h = harness();
    createWeb({ replicas: 2, minReadySeconds: 30 });
    h.advance(2000);
    expect(status(web())).toMatchObject({ readyReplicas: 2, unavailableReplicas: 2 });
    expect(status(web()).availableReplicas).toBeUndefined();
    h.advance(29_000);
    expect(status(web()).availableReplicas).toBeUndefined();
    h.advance(1_000);
    expect(status(web())).toMatchObject({ readyReplicas: 2, availableReplicas: 2 });
    expect(condition(web(), 'Available')?.status).toBe('True');
  });

  test('the ReplicaSet inherits minReadySeconds and follows changes to it', () => {
    h = harness();
    createWeb({ replicas: 1, minReadySeconds: 5 });
    expect((rsList()[0].spec as { minReadySeconds: number }).minReadySeconds).toBe(5);
    h.edit(R.deployments, 'web', (o) => {
      (o.spec as { minReadySeconds: number }).minReadySeconds = 10;
    });
    expect(rsList()).toHaveLength(1);
    expect((rsList()[0].spec as { minReadySeconds: number }).minReadySeconds).toBe(10);
  });
});

describe('scaling', () => {
  test('scaling a settled Deployment resizes its only ReplicaSet', () => {
    h = harness({ events: true });
    createWeb({ replicas: 3 });
    h.advance(5000);
    h.edit(R.deployments, 'web', (o) => {
      (o.spec as { replicas: number }).replicas = 5;
    });
    const [rs] = rsList();
    expect(specReplicas(rs)).toBe(5);
    expect(rs.metadata.annotations).toMatchObject({
      'deployment.kubernetes.io/desired-replicas': '5',
      'deployment.kubernetes.io/max-replicas': '7',
    });
    h.advance(5000);
    expect(status(web())).toMatchObject({ replicas: 5, availableReplicas: 5 });
    const messages = h.store.list(R.events, { namespace: 'default' }).map((e) => (e as any).message);
    expect(messages).toContain(`Scaled up replica set ${rs.metadata.name} to 5 from 3`);
  });

  test('scaling during a stuck rollout spreads the new replicas proportionally', () => {
    h = harness({ scenario: { 'nginx:broken': { ready: false } } });
    createWeb({ replicas: 10, strategy: { rollingUpdate: { maxSurge: 3, maxUnavailable: 2 } } });
    h.advance(5000);
    rollTo('nginx:broken');
    // Stuck at old 8 + new 5 = 13 (10 + surge 3).
    expect([specReplicas(rsOf('nginx:1.25')!), specReplicas(rsOf('nginx:broken')!)]).toEqual([8, 5]);
    h.edit(R.deployments, 'web', (o) => {
      (o.spec as { replicas: number }).replicas = 20;
    });
    // Upstream: allowed 20+3=23, 10 to add; old 8*23/13 → 14 (+6), new 5*23/13 → 9 (+4).
    expect([specReplicas(rsOf('nginx:1.25')!), specReplicas(rsOf('nginx:broken')!)]).toEqual([14, 9]);
  });
});

describe('deletion', () => {
  test('deleting a Deployment removes its ReplicaSets and their pods', () => {
    h = harness();
    createWeb({ replicas: 2 });
    h.advance(5000);
    h.store.delete(R.deployments, 'default', 'web');
    h.flush();
    expect(rsList()).toHaveLength(0);
    expect(h.pods()).toHaveLength(0);
  });

  test('a deleted pod is replaced by its ReplicaSet', () => {
    h = harness();
    createWeb({ replicas: 2 });
    h.advance(5000);
    const [first] = h.pods();
    h.store.delete(R.pods, 'default', first.metadata.name);
    h.ctl.flush();
    const names = h.pods().map((p) => p.metadata.name);
    expect(names).toHaveLength(2);
    expect(names).not.toContain(first.metadata.name);
  });
});
