import { R } from '../resources';
import { startKubeSim, type KubeSim } from '../sim';
import type { KObject } from '../types';

// The REST API over plain HTTP: the status codes, reasons and stream shapes clients rely on.
let sim: KubeSim;

beforeEach(async () => {
  sim = await startKubeSim({ controllers: false, random: () => 0 });
});

afterEach(async () => {
  await sim.stop();
});

const cm = (
  name: string,
  labels: Record<string, string> = {},
  data: Record<string, string> = { a: '1' },
): KObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, labels },
  data,
});

async function call(
  method: string,
  path: string,
  body?: unknown,
  contentType = 'application/json',
  headers: Record<string, string> = {},
) {
  const res = await fetch(sim.url + path, {
    method,
    headers: { 'Content-Type': contentType, ...headers },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let json: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, json, text };
}

/** Reads a watch stream until `count` events arrived or the server ended it. */
type WatchEvent = { type: string; object: any }; // eslint-disable-line @typescript-eslint/no-explicit-any

async function watchEvents(
  path: string,
  count: number,
  trigger?: () => Promise<void>,
): Promise<WatchEvent[]> {
  const ac = new AbortController();
  const res = await fetch(sim.url + path, { signal: ac.signal });
  expect(res.status).toBe(200);
  const reader = res.body!.getReader();
  const events: WatchEvent[] = [];
  let buf = '';
  const pending = trigger?.();
  try {
    while (events.length < count) {
      const { value, done } = await reader.read();
      if (done) break;
      buf += Buffer.from(value).toString('utf8');
      let i: number;
      while ((i = buf.indexOf('\n')) >= 0) {
        events.push(JSON.parse(buf.slice(0, i)));
        buf = buf.slice(i + 1);
      }
    }
  } catch {
    // a dropped connection ends the stream
  } finally {
    ac.abort();
  }
  await pending;
  return events;
}

const CM = '/api/v1/namespaces/default/configmaps';

describe('discovery', () => {
  test('the version, the core group and the apps group are advertised as kubectl expects', async () => {
    expect((await call('GET', '/version')).json).toMatchObject({
      major: '1',
      minor: '32',
      gitVersion: 'v1.32.0-kube-sim',
    });
    expect((await call('GET', '/api')).json).toMatchObject({ kind: 'APIVersions', versions: ['v1'] });
    const apis = (await call('GET', '/apis')).json;
    expect(apis.groups.find((g: { name: string }) => g.name === 'apps').preferredVersion).toEqual({
      groupVersion: 'apps/v1',
      version: 'v1',
    });
    const apps = (await call('GET', '/apis/apps/v1')).json;
    const names = apps.resources.map((r: { name: string }) => r.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'deployments',
        'deployments/scale',
        'deployments/status',
        'replicasets',
        'statefulsets',
      ]),
    );
    expect(apps.resources.find((r: { name: string }) => r.name === 'deployments/scale')).toMatchObject({
      group: 'autoscaling',
      version: 'v1',
      kind: 'Scale',
    });
  });

  test('aggregated discovery is served when asked for, with its content type', async () => {
    const r = await call('GET', '/apis', undefined, 'application/json', {
      Accept: 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json',
    });
    expect(r.headers.get('content-type')).toBe(
      'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList',
    );
    const apps = r.json.items.find((g: { metadata: { name?: string } }) => g.metadata.name === 'apps');
    const deploy = apps.versions[0].resources.find((x: { resource: string }) => x.resource === 'deployments');
    expect(deploy).toMatchObject({
      scope: 'Namespaced',
      shortNames: ['deploy'],
      responseKind: { group: 'apps', version: 'v1', kind: 'Deployment' },
    });
  });

  test('unknown paths answer 404 with a Status body', async () => {
    const r = await call('GET', '/apis/example.com/v1/widgets');
    expect(r.status).toBe(404);
    expect(r.json).toMatchObject({ kind: 'Status', status: 'Failure', reason: 'NotFound', code: 404 });
  });
});

describe('reads and writes', () => {
  test('a missing object is 404 NotFound with the name, group and resource in the details', async () => {
    const r = await call('GET', '/apis/apps/v1/namespaces/default/deployments/nope');
    expect(r.json).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'deployments.apps "nope" not found',
      reason: 'NotFound',
      details: { name: 'nope', group: 'apps', kind: 'deployments' },
      code: 404,
    });
  });

  test('creating in a namespace that does not exist is 404 for the namespace', async () => {
    const r = await call('POST', '/api/v1/namespaces/ghost/configmaps', cm('x'));
    expect(r.status).toBe(404);
    expect(r.json.message).toBe('namespaces "ghost" not found');
  });

  test('an update carrying a stale resourceVersion is 409 Conflict', async () => {
    const created = (await call('POST', CM, cm('x'))).json;
    expect((await call('PUT', `${CM}/x`, { ...created, data: { a: '2' } })).status).toBe(200);
    const stale = await call('PUT', `${CM}/x`, { ...created, data: { a: '3' } });
    expect(stale.status).toBe(409);
    expect(stale.json.reason).toBe('Conflict');
    expect(stale.json.message).toBe(
      'Operation cannot be fulfilled on configmaps "x": the object has been modified; please apply your changes to the latest version and try again',
    );
  });

  test('generation moves with the spec only; status goes through its subresource only', async () => {
    const d = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web' },
      spec: {
        selector: { matchLabels: { app: 'web' } },
        template: {
          metadata: { labels: { app: 'web' } },
          spec: { containers: [{ name: 'web', image: 'a:1' }] },
        },
      },
    };
    const path = '/apis/apps/v1/namespaces/default/deployments';
    expect((await call('POST', path, d)).json.metadata.generation).toBe(1);
    const labelled = await call(
      'PATCH',
      `${path}/web`,
      { metadata: { labels: { x: 'y' } } },
      'application/merge-patch+json',
    );
    expect(labelled.json.metadata.generation).toBe(1);
    const scaled = await call(
      'PATCH',
      `${path}/web`,
      { spec: { replicas: 3 }, status: { replicas: 9 } },
      'application/merge-patch+json',
    );
    expect(scaled.json.metadata.generation).toBe(2);
    expect(scaled.json.status).toBeUndefined();
    const status = await call(
      'PATCH',
      `${path}/web/status`,
      { spec: { replicas: 7 }, status: { observedGeneration: 2 } },
      'application/merge-patch+json',
    );
    expect(status.json.spec.replicas).toBe(3);
    expect(status.json.status).toEqual({ observedGeneration: 2 });
    expect(status.json.metadata.generation).toBe(2);
  });

  test('the scale subresource reads and writes replicas', async () => {
    await call('POST', '/apis/apps/v1/namespaces/default/deployments', {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web' },
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: 'web' } },
        template: {
          metadata: { labels: { app: 'web' } },
          spec: { containers: [{ name: 'web', image: 'a:1' }] },
        },
      },
    });
    const scale = (await call('GET', '/apis/apps/v1/namespaces/default/deployments/web/scale')).json;
    expect(scale).toMatchObject({
      kind: 'Scale',
      apiVersion: 'autoscaling/v1',
      spec: { replicas: 2 },
      status: { replicas: 0, selector: 'app=web' },
    });
    const put = await call('PUT', '/apis/apps/v1/namespaces/default/deployments/web/scale', {
      ...scale,
      spec: { replicas: 4 },
    });
    expect(put.json.spec.replicas).toBe(4);
    expect(sim.store.mustGet(R.deployments, 'default', 'web').spec).toMatchObject({ replicas: 4 });
  });

  test('list pages with limit and continue', async () => {
    for (const n of ['a', 'b', 'c']) await call('POST', CM, cm(n));
    const first = (await call('GET', `${CM}?limit=2`)).json;
    expect(first.items.map((i: KObject) => i.metadata.name)).toEqual(['a', 'b']);
    expect(first.metadata.remainingItemCount).toBe(1);
    const second = (
      await call('GET', `${CM}?limit=2&continue=${encodeURIComponent(first.metadata.continue)}`)
    ).json;
    expect(second.items.map((i: KObject) => i.metadata.name)).toEqual(['c']);
    expect(second.metadata.continue).toBeUndefined();
  });

  test('a bad label selector is 400 BadRequest', async () => {
    const r = await call('GET', `${CM}?labelSelector=${encodeURIComponent('a in (b')}`);
    expect(r.status).toBe(400);
    expect(r.json.reason).toBe('BadRequest');
  });

  test('dryRun=All validates and answers without storing', async () => {
    const r = await call('POST', `${CM}?dryRun=All`, cm('dry'));
    expect(r.status).toBe(201);
    expect(r.json.metadata.uid).toBeDefined();
    expect(sim.store.get(sim.registry.find('', 'v1', 'configmaps')!, 'default', 'dry')).toBeUndefined();
    expect((await call('GET', `${CM}/dry`)).status).toBe(404);
  });

  test('Table output follows the server printers when the client asks for it', async () => {
    await call('POST', CM, cm('x', {}, { a: '1', b: '2' }));
    const r = await call('GET', CM, undefined, 'application/json', {
      Accept: 'application/json;as=Table;v=v1;g=meta.k8s.io',
    });
    expect(r.json.kind).toBe('Table');
    expect(r.json.columnDefinitions.map((c: { name: string }) => c.name)).toEqual(['Name', 'Data', 'Age']);
    expect(r.json.rows[0].cells.slice(0, 2)).toEqual(['x', 2]);
    expect(r.json.rows[0].object).toMatchObject({ kind: 'PartialObjectMetadata', metadata: { name: 'x' } });
  });
});

describe('patches on custom resources', () => {
  beforeEach(async () => {
    await call('POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'httproutes.gateway.networking.k8s.io' },
      spec: {
        group: 'gateway.networking.k8s.io',
        scope: 'Namespaced',
        names: { plural: 'httproutes', singular: 'httproute', kind: 'HTTPRoute' },
        versions: [
          { name: 'v1', served: true, storage: true },
          { name: 'v1beta1', served: true, storage: false },
        ],
      },
    });
  });

  test('server-side apply creates a custom resource, and strategic merge patch is refused with 415', async () => {
    const path = '/apis/gateway.networking.k8s.io/v1/namespaces/default/httproutes/web';
    const yaml =
      'apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: {name: web}\nspec:\n  rules:\n  - backendRefs: [{name: web-v1, weight: 90}, {name: web-v2, weight: 10}]\n';
    const applied = await call('PATCH', `${path}?fieldManager=canary`, yaml, 'application/apply-patch+yaml');
    expect(applied.status).toBe(201);
    expect(applied.json.metadata.managedFields[0]).toMatchObject({ manager: 'canary', operation: 'Apply' });
    const smp = await call('PATCH', path, { spec: {} }, 'application/strategic-merge-patch+json');
    expect(smp.status).toBe(415);
    expect(smp.json.reason).toBe('UnsupportedMediaType');
  });

  test('a custom resource is served under every served version', async () => {
    await call('POST', '/apis/gateway.networking.k8s.io/v1/namespaces/default/httproutes', {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'HTTPRoute',
      metadata: { name: 'web' },
      spec: {},
    });
    const beta = await call(
      'GET',
      '/apis/gateway.networking.k8s.io/v1beta1/namespaces/default/httproutes/web',
    );
    expect(beta.json.apiVersion).toBe('gateway.networking.k8s.io/v1beta1');
  });
});

describe('deletion', () => {
  test('an object with a finalizer is marked, and goes when the finalizer is removed', async () => {
    await call('POST', CM, { ...cm('f'), metadata: { name: 'f', finalizers: ['example.com/hold'] } });
    const marked = await call('DELETE', `${CM}/f`);
    expect(marked.json.metadata.deletionTimestamp).toBeDefined();
    expect((await call('GET', `${CM}/f`)).status).toBe(200);
    await call('PATCH', `${CM}/f`, { metadata: { finalizers: null } }, 'application/merge-patch+json');
    expect((await call('GET', `${CM}/f`)).status).toBe(404);
  });

  test('foreground deletion removes dependents before the owner', async () => {
    const owner = (await call('POST', CM, cm('owner'))).json;
    const ref = { apiVersion: 'v1', kind: 'ConfigMap', name: 'owner', uid: owner.metadata.uid };
    await call('POST', CM, { ...cm('dep'), metadata: { name: 'dep', ownerReferences: [ref] } });
    const order: string[] = [];
    sim.store.subscribe((e) => e.type === 'DELETED' && order.push(e.object.metadata.name));
    await call('DELETE', `${CM}/owner`, { propagationPolicy: 'Foreground' });
    expect(order).toEqual(['dep', 'owner']);
  });
});

describe('watch', () => {
  test('resuming from a resourceVersion sends only later events', async () => {
    await call('POST', CM, cm('a'));
    const rv = (await call('GET', CM)).json.metadata.resourceVersion;
    await call('POST', CM, cm('b'));
    const events = await watchEvents(`${CM}?watch=true&resourceVersion=${rv}`, 2, async () => {
      await call('DELETE', `${CM}/a`);
    });
    expect(events.map((e) => [e.type, e.object.metadata.name])).toEqual([
      ['ADDED', 'b'],
      ['DELETED', 'a'],
    ]);
  });

  test('a resourceVersion older than the history gets an ERROR event with 410 Expired', async () => {
    await call('POST', CM, cm('a'));
    sim.store.compact();
    await call('POST', CM, cm('b'));
    const events = await watchEvents(`${CM}?watch=true&resourceVersion=1`, 1);
    expect(events).toHaveLength(1);
    expect(events[0].type).toBe('ERROR');
    expect(events[0].object).toMatchObject({ kind: 'Status', code: 410, reason: 'Expired' });
    expect(events[0].object.message).toMatch(/^too old resource version: 1 \(\d+\)$/);
  });

  test('with a label selector, an object that stops matching is sent as DELETED', async () => {
    await call('POST', CM, cm('a', { tier: 'web' }));
    const events = await watchEvents(`${CM}?watch=1&labelSelector=tier%3Dweb`, 3, async () => {
      await call('PATCH', `${CM}/a`, { data: { a: '2' } }, 'application/merge-patch+json');
      await call(
        'PATCH',
        `${CM}/a`,
        { metadata: { labels: { tier: 'db' } } },
        'application/merge-patch+json',
      );
    });
    expect(events.map((e) => e.type)).toEqual(['ADDED', 'MODIFIED', 'DELETED']);
  });

  test('timeoutSeconds ends the stream cleanly', async () => {
    await call('POST', CM, cm('a'));
    const events = await watchEvents(`${CM}?watch=true&timeoutSeconds=1`, 5);
    expect(events.map((e) => e.type)).toEqual(['ADDED']);
    expect(sim.watchCount).toBe(0);
  });

  test('bookmarks carry the current resourceVersion when the client allows them', async () => {
    await sim.stop();
    sim = await startKubeSim({ controllers: false, bookmarkIntervalMs: 50 });
    const events = await watchEvents(`${CM}?watch=true&allowWatchBookmarks=true`, 1);
    expect(events[0]).toMatchObject({
      type: 'BOOKMARK',
      object: { kind: 'ConfigMap', metadata: { resourceVersion: sim.store.resourceVersion } },
    });
  });
});

describe('fault injection', () => {
  test('an error rate of 1 answers every matching request with 500, and other verbs are untouched', async () => {
    sim.faults.set({ verb: 'list', resource: 'configmaps', errorRate: 1 });
    const r = await call('GET', CM);
    expect(r.status).toBe(500);
    expect(r.json.reason).toBe('InternalError');
    expect((await call('POST', CM, cm('ok'))).status).toBe(201);
  });

  test('throttling answers 429 with Retry-After, for as many requests as the rule allows', async () => {
    sim.faults.set({ verb: 'get', throttleRate: 1, retryAfterSeconds: 3, times: 1 });
    await call('POST', CM, cm('a'));
    const first = await call('GET', `${CM}/a`);
    expect(first.status).toBe(429);
    expect(first.headers.get('retry-after')).toBe('3');
    expect(first.json.reason).toBe('TooManyRequests');
    expect((await call('GET', `${CM}/a`)).status).toBe(200);
  });

  test('a forbidden user is denied as RBAC denies: 403 with the Status upstream words, discovery still served', async () => {
    sim.faults.set({ forbiddenUser: 'system:serviceaccount:ci:deployer' });
    const get = await call('GET', '/apis/apps/v1/namespaces/default/deployments/web');
    expect(get.status).toBe(403);
    expect(get.json).toMatchObject({
      kind: 'Status',
      status: 'Failure',
      reason: 'Forbidden',
      code: 403,
      message:
        'deployments.apps "web" is forbidden: User "system:serviceaccount:ci:deployer" cannot get resource "deployments" in API group "apps" in the namespace "default"',
      details: { name: 'web', group: 'apps', kind: 'deployments' },
    });
    expect((await call('POST', CM, cm('a'))).json.message).toBe(
      'configmaps is forbidden: User "system:serviceaccount:ci:deployer" cannot create resource "configmaps" in API group "" in the namespace "default"',
    );
    expect((await call('GET', '/api/v1/namespaces')).json.message).toBe(
      'namespaces is forbidden: User "system:serviceaccount:ci:deployer" cannot list resource "namespaces" in API group "" at the cluster scope',
    );
    expect((await call('GET', '/api/v1/namespaces/default/pods/p/log')).json.message).toBe(
      'pods "p" is forbidden: User "system:serviceaccount:ci:deployer" cannot get resource "pods/log" in API group "" in the namespace "default"',
    );
    expect((await call('GET', '/apis')).status).toBe(200);
  });

  test('a dropped watch ends without a final event', async () => {
    sim.faults.set({ verb: 'watch', dropAfterMs: 50 });
    await call('POST', CM, cm('a'));
    const events = await watchEvents(`${CM}?watch=true`, 5);
    expect(events.map((e) => e.type)).toEqual(['ADDED']);
  });

  test('latency delays the answer but not its content', async () => {
    sim.faults.set({ verb: 'get', latencyMs: 150 });
    await call('POST', CM, cm('a'));
    const r = await call('GET', `${CM}/a`);
    expect(r.status).toBe(200);
    expect(sim.requests.filter((q) => q.verb === 'get').pop()?.code).toBe(200);
  });
});

describe('pod logs', () => {
  test('follow streams lines as they are appended and ends when the pod is deleted', async () => {
    sim.store.create(R.pods, {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p', namespace: 'default' },
      spec: { containers: [{ name: 'app', image: 'a:1' }] },
      status: { phase: 'Running' },
    });
    sim.appendPodLog('default', 'p', 'one');
    const res = await fetch(`${sim.url}/api/v1/namespaces/default/pods/p/log?follow=true`);
    const text = res.text();
    await new Promise((r) => setTimeout(r, 50));
    sim.appendPodLog('default', 'p', 'two');
    sim.store.delete(R.pods, 'default', 'p');
    expect(await text).toBe('one\ntwo\n');
  });

  test('a pod with several containers needs the container named', async () => {
    sim.store.create(R.pods, {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p', namespace: 'default' },
      spec: {
        containers: [
          { name: 'app', image: 'a:1' },
          { name: 'proxy', image: 'b:1' },
        ],
      },
      status: { phase: 'Running' },
    });
    const r = await call('GET', '/api/v1/namespaces/default/pods/p/log');
    expect(r.status).toBe(400);
    expect(r.json.message).toBe('a container name must be specified for pod p, choose one of: [app proxy]');
  });
});
