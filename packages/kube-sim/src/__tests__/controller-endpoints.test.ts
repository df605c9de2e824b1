/* eslint-disable @typescript-eslint/no-explicit-any -- tests read loosely typed Kubernetes objects */
import { R } from '../resources';
import type { KObject } from '../types';
import { deploymentObject, harness, type Harness } from './controller-harness';

let h: Harness;
afterEach(() => h?.stop());

function createService(spec: Record<string, unknown> = {}): void {
  h.store.create(R.services, {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'web', namespace: 'default', labels: { app: 'web' } },
    spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 8080 }], ...spec },
  });
  h.ctl.flush();
}
const endpoints = (): any => h.get(R.endpoints, 'web');
const slices = (): any[] => h.store.list(R.endpointslices, { namespace: 'default' });
const ips = (addresses: Array<{ ip: string }> | undefined): string[] =>
  (addresses ?? []).map((a) => a.ip).sort();
const podIPs = (filter?: (p: KObject) => boolean): string[] =>
  h
    .pods(filter)
    .map((p) => (p.status as any).podIP)
    .sort();

describe('Endpoints and EndpointSlices', () => {
  test('list ready pods as addresses and starting pods as not ready, with the target port', () => {
    h = harness({ scenario: { 'nginx:slow': { startDelayMs: 5000 } } });
    createService();
    h.store.create(R.deployments, deploymentObject('web', { replicas: 2, image: 'nginx:slow' }));
    h.ctl.flush();
    expect(endpoints().subsets[0].addresses).toBeUndefined();
    expect(ips(endpoints().subsets[0].notReadyAddresses)).toEqual(podIPs());
    expect(endpoints().subsets[0].ports).toEqual([{ name: 'http', port: 8080, protocol: 'TCP' }]);
    h.advance(5000);
    expect(ips(endpoints().subsets[0].addresses)).toEqual(podIPs());
    expect(endpoints().subsets[0].notReadyAddresses).toBeUndefined();
    expect(endpoints().subsets[0].addresses[0].targetRef).toMatchObject({
      kind: 'Pod',
      namespace: 'default',
    });
  });

  test('one EndpointSlice per service carries ready, serving and terminating conditions', () => {
    h = harness({ scenario: { 'nginx:1.25': { stopDelayMs: 5000 } } });
    createService();
    h.store.create(R.deployments, deploymentObject('web', { replicas: 2 }));
    h.advance(2000);
    expect(slices()).toHaveLength(1);
    const [slice] = slices();
    expect(slice.metadata.name).toMatch(/^web-[a-z0-9]{5}$/);
    expect(slice.metadata.labels).toMatchObject({
      'kubernetes.io/service-name': 'web',
      'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io',
    });
    expect(slice.metadata.ownerReferences[0]).toMatchObject({ kind: 'Service', name: 'web' });
    expect(slice.endpoints.map((e: any) => e.conditions)).toEqual([
      { ready: true, serving: true, terminating: false },
      { ready: true, serving: true, terminating: false },
    ]);
    const victim = h.pods()[0].metadata.name;
    h.edit(R.pods, victim, (p) => {
      p.metadata.deletionTimestamp = '2026-03-01T10:00:02Z';
    });
    const ep = slices()[0].endpoints.find((e: any) => e.targetRef.name === victim);
    expect(ep.conditions).toEqual({ ready: false, serving: false, terminating: true });
    expect(ips(endpoints().subsets[0].addresses)).toHaveLength(1);
  });

  test('a pod whose labels stop matching leaves the endpoints; deleting the service removes them', () => {
    h = harness();
    createService({ ports: [{ port: 80 }] });
    h.store.create(R.pods, {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p', namespace: 'default', labels: { app: 'web' } },
      spec: { containers: [{ name: 'c', image: 'nginx' }] },
    });
    h.advance(2000);
    expect(endpoints().subsets[0]).toMatchObject({ ports: [{ port: 80, protocol: 'TCP' }] });
    h.edit(R.pods, 'p', (p) => {
      p.metadata.labels = { app: 'other' };
    });
    expect(endpoints().subsets).toBeUndefined();
    h.store.delete(R.services, 'default', 'web');
    h.flush();
    expect(h.store.get(R.endpoints, 'default', 'web')).toBeUndefined();
    expect(slices()).toHaveLength(0);
  });

  test('a service without a selector keeps the endpoints its user wrote', () => {
    h = harness();
    createService({ selector: undefined });
    expect(h.store.get(R.endpoints, 'default', 'web')).toBeUndefined();
  });
});

describe('adoption', () => {
  test('a ReplicaSet adopts a matching pod without an owner instead of creating one', () => {
    h = harness();
    h.store.create(R.pods, {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'handmade', namespace: 'default', labels: { app: 'web', tier: 'x' } },
      spec: { containers: [{ name: 'c', image: 'nginx' }] },
    });
    h.store.create(R.replicasets, {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: { name: 'rs', namespace: 'default' },
      spec: {
        replicas: 2,
        selector: { matchLabels: { tier: 'x' } },
        template: {
          metadata: { labels: { tier: 'x' } },
          spec: { containers: [{ name: 'c', image: 'nginx' }] },
        },
      },
    });
    h.ctl.flush();
    expect(h.pods()).toHaveLength(2);
    expect(h.get(R.pods, 'handmade').metadata.ownerReferences).toEqual([
      expect.objectContaining({ kind: 'ReplicaSet', name: 'rs', controller: true }),
    ]);
    expect((h.get(R.replicasets, 'rs').status as any).fullyLabeledReplicas).toBe(2);
  });
});
