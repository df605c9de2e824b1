import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { memoryLogger } from '@upgrade-actions/common';
import {
  Discovery,
  KubeClient,
  loadClusterAccess,
  resolveWorkload,
  rolloutUndo,
  type KubeObject,
} from '@upgrade-actions/kube';
import { startKubeSim, type KubeSim } from '@upgrade-actions/kube-sim';
import {
  markAnnotations,
  parseWorkloads,
  readMark,
  rollback,
  templateFingerprint,
} from '@upgrade-actions/rollback';

// SEEDS.md §1's order — mark the running version failed, read the history, restore the previous stable
// version, update the status — so that a run stopped after any write is converged by the next one, and a
// re-run never "rolls back" to the failed release.

let sim: KubeSim;
let client: KubeClient;
const kubectl = (...args: string[]) =>
  promisify(execFile)('kubectl', ['--kubeconfig', sim.kubeconfigPath, '-n', 'shop', ...args]).then(
    (r) => r.stdout,
  );
type Deployment = KubeObject & { spec: { template: { spec: { containers: { image: string }[] } } } };
const path = (name: string) => `/apis/apps/v1/namespaces/shop/deployments/${name}`;
const image = async (name: string) =>
  (await client.get<Deployment>(path(name))).spec.template.spec.containers[0].image;

beforeAll(async () => {
  sim = await startKubeSim({ speed: 50, controllers: { events: false } });
  client = new KubeClient(loadClusterAccess({ path: sim.kubeconfigPath }));
  await kubectl('create', 'namespace', 'shop').catch(() => '');
});
afterAll(async () => {
  client?.close();
  await sim?.stop();
});

/** revision 1 good (v1), revision 2 bad (v2). */
async function release(name: string): Promise<void> {
  await kubectl('create', 'deployment', name, '--image=ghcr.io/acme/web:1', '--replicas=2');
  await kubectl('rollout', 'status', `deployment/${name}`, '--timeout=30s');
  await kubectl('set', 'image', `deployment/${name}`, 'web=ghcr.io/acme/web:2');
  await kubectl('rollout', 'status', `deployment/${name}`, '--timeout=30s');
}

const run = (name: string) =>
  rollback({
    client,
    targets: parseWorkloads([`deployment/${name}`], 'shop'),
    reason: 'smoke failed',
    identity: `run-${name}`,
    timeoutMs: 30_000,
    logger: memoryLogger(),
  });

test('the mark is written before the undo: a rollback whose undo never happened is redone to the good version', async () => {
  await release('a');
  // State after write 1 only: the pending mark, no undo (the run died right after marking).
  const d = await client.get<Deployment>(path('a'));
  await client.request('PATCH', path('a'), {
    contentType: 'application/merge-patch+json',
    body: {
      metadata: {
        annotations: markAnnotations({
          failedRevision: 2,
          reason: 'x',
          at: 'then',
          templateFingerprint: templateFingerprint(d.spec.template as never),
          rolledBackTo: 0,
        }),
      },
    },
  });
  const r = await run('a');
  expect(r.outcomes.map((o) => o.action)).toEqual(['rolled-back']);
  expect(await image('a')).toBe('ghcr.io/acme/web:1');
  expect(readMark(await client.get(path('a')))?.rolledBackTo).toBe(3);
});

test('an undo that went through before the run stopped is not done again: a re-run says already rolled back', async () => {
  await release('b');
  // State after writes 1 and 2: the pending mark, then the undo (revision 3 = v1); the run died before write 3.
  const d = await client.get<Deployment>(path('b'));
  await client.request('PATCH', path('b'), {
    contentType: 'application/merge-patch+json',
    body: {
      metadata: {
        annotations: markAnnotations({
          failedRevision: 2,
          reason: 'smoke failed',
          at: 'then',
          templateFingerprint: templateFingerprint(d.spec.template as never),
          rolledBackTo: 0,
        }),
      },
    },
  });
  // Write 2 exactly as the engine sends it: kubectl's undo, keeping our mark.
  const target = await resolveWorkload(client, new Discovery(client), {
    type: 'deployment',
    name: 'b',
    namespace: 'shop',
  });
  await rolloutUndo(client, target, { keepAnnotationPrefixes: ['upgrade-actions.io/'] });
  await kubectl('rollout', 'status', 'deployment/b', '--timeout=30s');
  const r = await run('b');
  expect(r.outcomes.map((o) => o.action)).toEqual(['already-rolled-back']);
  expect(r.outcomes[0].message).toMatch(/^already rolled back: revision 2 was marked failed/);
  expect(await image('b')).toBe('ghcr.io/acme/web:1'); // not back to the failed v2
  expect(readMark(await client.get(path('b')))?.rolledBackTo).toBe(3); // the status step completed
});

test('a whole rollback, then a re-run: one undo, and the failed release is never restored', async () => {
  await release('c');
  expect((await run('c')).outcomes.map((o) => o.action)).toEqual(['rolled-back']);
  expect((await run('c')).outcomes.map((o) => o.action)).toEqual(['already-rolled-back']);
  expect(await image('c')).toBe('ghcr.io/acme/web:1');
});
