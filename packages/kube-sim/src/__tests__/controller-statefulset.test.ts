/* eslint-disable @typescript-eslint/no-explicit-any -- tests read loosely typed Kubernetes objects */
import { R } from '../resources';
import type { KObject } from '../types';
import { harness, podTemplate, setImage, status, type Harness } from './controller-harness';

let h: Harness;
afterEach(() => h?.stop());

function createDb(spec: Record<string, unknown> = {}): void {
  h.store.create(R.statefulsets, {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: 'db', namespace: 'default' },
    spec: {
      replicas: 3,
      serviceName: 'db',
      selector: { matchLabels: { app: 'db' } },
      template: podTemplate('db', 'postgres:16'),
      ...spec,
    },
  });
  h.ctl.flush();
}
const db = (): KObject => h.get(R.statefulsets, 'db');
const names = (): string[] => h.pods().map((p) => p.metadata.name);
const imageOf = (name: string): string => (h.get(R.pods, name).spec as any).containers[0].image;
const revisions = (): KObject[] => h.store.list(R.controllerrevisions, { namespace: 'default' });

/** Records pod deletions in order. */
function deletions(): string[] {
  const out: string[] = [];
  h.store.subscribe((e) => {
    if (e.type === 'DELETED' && e.resource.resource === 'pods') out.push(e.object.metadata.name);
  });
  return out;
}

describe('StatefulSet pods', () => {
  test('OrderedReady creates one ordinal at a time, each after the previous is Running and Ready', () => {
    h = harness();
    createDb();
    expect(names()).toEqual(['db-0']);
    h.advance(1000);
    expect(names()).toEqual(['db-0', 'db-1']);
    h.advance(1000);
    expect(names()).toEqual(['db-0', 'db-1', 'db-2']);
    h.advance(1000);
    const p = h.get(R.pods, 'db-1');
    expect(p.metadata.labels).toMatchObject({
      app: 'db',
      'statefulset.kubernetes.io/pod-name': 'db-1',
      'apps.kubernetes.io/pod-index': '1',
    });
    expect(p.spec).toMatchObject({ hostname: 'db-1', subdomain: 'db' });
    expect(status(db())).toMatchObject({
      replicas: 3,
      readyReplicas: 3,
      availableReplicas: 3,
      currentReplicas: 3,
      updatedReplicas: 3,
      observedGeneration: 1,
    });
  });

  test('Parallel creates all ordinals at once', () => {
    h = harness();
    createDb({ podManagementPolicy: 'Parallel' });
    expect(names()).toEqual(['db-0', 'db-1', 'db-2']);
  });

  test('a ControllerRevision <set>-<hash> with revision 1 is current and update revision, and labels the pods', () => {
    h = harness();
    createDb();
    h.advance(5000);
    const [rev] = revisions();
    expect(rev.metadata.name).toMatch(/^db-[bcdfghjklmnpqrstvwxz2456789]+$/);
    expect(rev).toMatchObject({
      revision: 1,
      data: { spec: { template: { $patch: 'replace', spec: { containers: [{ image: 'postgres:16' }] } } } },
    });
    expect(rev.metadata.ownerReferences![0]).toMatchObject({
      kind: 'StatefulSet',
      name: 'db',
      controller: true,
    });
    expect(status(db())).toMatchObject({
      currentRevision: rev.metadata.name,
      updateRevision: rev.metadata.name,
    });
    expect(h.get(R.pods, 'db-0').metadata.labels!['controller-revision-hash']).toBe(rev.metadata.name);
  });

  test('volumeClaimTemplates give each pod its own claim', () => {
    h = harness();
    createDb({
      replicas: 2,
      podManagementPolicy: 'Parallel',
      volumeClaimTemplates: [
        { metadata: { name: 'data' }, spec: { resources: { requests: { storage: '1Gi' } } } },
      ],
    });
    const pvcs = h.store.list(
      R.pods.namespaced
        ? { ...R.pods, resource: 'persistentvolumeclaims', kind: 'PersistentVolumeClaim' }
        : R.pods,
    );
    expect(pvcs.map((p) => p.metadata.name)).toEqual(['data-db-0', 'data-db-1']);
    expect((h.get(R.pods, 'db-1').spec as any).volumes).toEqual([
      { name: 'data', persistentVolumeClaim: { claimName: 'data-db-1' } },
    ]);
  });

  test('scaling down removes the highest ordinal first, one at a time', () => {
    h = harness();
    createDb({ replicas: 4 });
    h.advance(10_000);
    const gone = deletions();
    h.edit(R.statefulsets, 'db', (o) => {
      (o.spec as { replicas: number }).replicas = 1;
    });
    // One pod at a time: the highest is Terminating, the others wait for it to be gone.
    const terminating = h.pods((p) => !!p.metadata.deletionTimestamp).map((p) => p.metadata.name);
    expect(terminating).toEqual(['db-3']);
    h.advance(10_000);
    expect(gone).toEqual(['db-3', 'db-2', 'db-1']);
  });
});

describe('StatefulSet updates', () => {
  test('RollingUpdate replaces pods from the highest ordinal down, then makes the update revision current', () => {
    h = harness();
    createDb();
    h.advance(5000);
    const before = status(db()).currentRevision;
    const gone = deletions();
    h.edit(R.statefulsets, 'db', (o) => setImage(o, 'postgres:17'));
    const updateRevision = status(db()).updateRevision;
    expect(updateRevision).not.toBe(before);
    expect(status(db()).currentRevision).toBe(before);
    h.advance(20_000);
    expect(gone).toEqual(['db-2', 'db-1', 'db-0']);
    expect(names().map(imageOf)).toEqual(['postgres:17', 'postgres:17', 'postgres:17']);
    expect(status(db())).toMatchObject({
      currentRevision: updateRevision,
      updateRevision,
      updatedReplicas: 3,
      currentReplicas: 3,
      readyReplicas: 3,
      observedGeneration: 2,
    });
    expect(
      revisions()
        .map((r) => (r as any).revision)
        .sort(),
    ).toEqual([1, 2]);
  });

  test('a partition updates only ordinals at or above it and keeps the current revision', () => {
    h = harness();
    createDb({ replicas: 4, updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 2 } } });
    h.advance(10_000);
    const before = status(db()).currentRevision;
    h.edit(R.statefulsets, 'db', (o) => setImage(o, 'postgres:17'));
    h.advance(20_000);
    expect(names().map(imageOf)).toEqual(['postgres:16', 'postgres:16', 'postgres:17', 'postgres:17']);
    expect(status(db())).toMatchObject({
      currentRevision: before,
      updatedReplicas: 2,
      currentReplicas: 2,
      readyReplicas: 4,
    });
  });

  test('a deleted pod below the partition comes back at the current revision', () => {
    h = harness();
    createDb({ replicas: 3, updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 2 } } });
    h.advance(10_000);
    h.edit(R.statefulsets, 'db', (o) => setImage(o, 'postgres:17'));
    h.advance(10_000);
    h.store.delete(R.pods, 'default', 'db-0');
    h.advance(5000);
    expect(names().map(imageOf)).toEqual(['postgres:16', 'postgres:16', 'postgres:17']);
  });

  test('OnDelete replaces nothing by itself; a deleted pod returns at the update revision', () => {
    h = harness();
    createDb({ updateStrategy: { type: 'OnDelete' } });
    h.advance(5000);
    h.edit(R.statefulsets, 'db', (o) => setImage(o, 'postgres:17'));
    h.advance(20_000);
    expect(names().map(imageOf)).toEqual(['postgres:16', 'postgres:16', 'postgres:16']);
    h.store.delete(R.pods, 'default', 'db-1');
    h.advance(5000);
    expect(names().map(imageOf)).toEqual(['postgres:16', 'postgres:17', 'postgres:16']);
    expect(status(db())).toMatchObject({ updatedReplicas: 1, currentReplicas: 2 });
    expect(status(db()).currentRevision).not.toBe(status(db()).updateRevision);
  });

  test('going back to an earlier template renumbers its revision instead of creating one', () => {
    h = harness();
    createDb({ replicas: 1 });
    h.advance(5000);
    const first = revisions()[0].metadata.name;
    h.edit(R.statefulsets, 'db', (o) => setImage(o, 'postgres:17'));
    h.advance(10_000);
    h.edit(R.statefulsets, 'db', (o) => setImage(o, 'postgres:16'));
    h.advance(10_000);
    expect(revisions()).toHaveLength(2);
    expect((h.get(R.controllerrevisions, first) as any).revision).toBe(3);
    expect(status(db())).toMatchObject({ currentRevision: first, updateRevision: first });
  });

  test('a pod that is not ready stops an OrderedReady rollout', () => {
    h = harness({ scenario: { 'postgres:bad': { ready: false } } });
    createDb();
    h.advance(5000);
    h.edit(R.statefulsets, 'db', (o) => setImage(o, 'postgres:bad'));
    h.advance(60_000);
    expect(names().map(imageOf)).toEqual(['postgres:16', 'postgres:16', 'postgres:bad']);
    expect(status(db())).toMatchObject({ readyReplicas: 2, updatedReplicas: 1 });
  });
});
