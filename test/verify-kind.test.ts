import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { R } from '@upgrade-actions/kube-sim';
import { parseRelease } from '@upgrade-actions/release';
import { runAction } from './harness/run-action';
import { kindWorld } from './kind-cluster-helpers';

/**
 * The root action (dist/verify) creating its own cluster: stub kind (from the local download site,
 * through the tool cache) whose "cluster" is kube-sim. Main tears the cluster down itself; the post
 * step is the safety net for a cancelled or killed main.
 */
const w = kindWorld();
const { downloaded, opts } = w;

const manifest = (ns: string, image: string, extra = '') => `apiVersion: v1
kind: Namespace
metadata: {name: ${ns}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: ${ns}}
spec:
  replicas: 1
  progressDeadlineSeconds: 3
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: web, image: "${image}"}]}
${extra}`;

beforeAll(() => {
  w.sim.controllers!.scenario.set('*/bad:*', { pullError: true });
});

function write(name: string, text: string): string {
  writeFileSync(path.join(w.job.workspace, name), text);
  return name;
}

const stagesOf = (json: string) =>
  (JSON.parse(json) as Array<{ stage: string; result: string }>).map((s) => `${s.stage}: ${s.result}`);
const kubeconfig = () => path.join(w.job.home, '.kube', 'config');
const post = (state: Record<string, string>, o: ReturnType<typeof opts>) =>
  runAction('verify', { ...o, state }, 'post');
const deploymentsIn = (ns: string) =>
  w.sim.store.list(R.deployments, { namespace: ns }).map((d) => d.metadata.name);

test('good manifests: the cluster is created, verified and deleted by main; verdict passed with the release', async () => {
  const o = opts(
    downloaded({
      'cluster-name': 'ok',
      manifests: write('app.yaml', manifest('ok', 'ghcr.io/acme/web:1.0')),
    }),
  );
  const main = await runAction('verify', o);
  expect(main.failedMessage).toBeUndefined();
  expect(main.outputs.verdict).toBe('passed');
  expect(main.outputs['cluster-name']).toBe('ok');
  expect(stagesOf(main.outputs.stages)).toEqual([
    'cluster: passed',
    'api-check: passed',
    'deploy: passed',
    'health: skipped',
    'smoke: skipped',
    'teardown: passed',
  ]);
  expect(parseRelease(main.outputs.release).workloads).toMatchObject([
    { kind: 'Deployment', name: 'web', namespace: 'ok', revisionAfter: 1 },
  ]);
  expect(deploymentsIn('ok')).toEqual(['web']);
  // Created, then deleted (no logs exported: the verification passed).
  expect(w.job.kindCalls().filter((c) => !c.startsWith('get'))).toEqual([
    expect.stringMatching(/^create cluster --name ok /),
    `delete cluster --name ok --kubeconfig ${kubeconfig()}`,
  ]);
  expect(main.summary).toContain('cluster ok deleted');
  expect(main.summary).toContain('kind cluster ok, Kubernetes v');

  const p = await post(main.state, o);
  expect(p.code).toBe(0);
  expect(p.stdout).toContain('the cluster was torn down by the main step: nothing to clean up');
  expect(w.job.kindCalls().filter((c) => c.startsWith('delete'))).toHaveLength(1);
});

test('a bad image fails deploy: verdict failed at deploy, logs exported and the cluster still deleted', async () => {
  const o = opts(
    downloaded({
      'cluster-name': 'bad',
      manifests: write('app.yaml', manifest('bad', 'ghcr.io/acme/bad:2.0')),
      timeout: '30s',
    }),
  );
  const main = await runAction('verify', o);
  expect(main.code).toBe(1);
  expect(main.outputs.verdict).toBe('failed');
  expect(main.outputs['failed-stage']).toBe('deploy');
  expect(stagesOf(main.outputs.stages)).toEqual([
    'cluster: passed',
    'api-check: passed',
    'deploy: failed',
    'health: skipped',
    'smoke: skipped',
    'teardown: passed',
  ]);
  // The rollout's failure when it happened, then the verdict naming the stage.
  // The image its pods cannot pull is named, with what to check.
  const why =
    'bad/deployment.apps/web: deployment "web" exceeded its progress deadline: image "ghcr.io/acme/bad:2.0" ' +
    'cannot be pulled \\((ErrImagePull|ImagePullBackOff), pod web-[a-z0-9]+-[a-z0-9]+\\); check the image name and tag';
  expect(main.annotations.filter((a) => a.level === 'error').map((a) => a.message)).toEqual([
    expect.stringMatching(new RegExp(`^rollout failed: ${why}`)),
    expect.stringMatching(new RegExp(`^verification failed at deploy: ${why}`)),
  ]);
  expect(w.job.kindCalls().slice(-2)).toEqual([
    `export logs ${path.join(w.job.temp, 'kind-logs-bad')} --name bad`,
    `delete cluster --name bad --kubeconfig ${kubeconfig()}`,
  ]);
  expect(main.summary).toContain('Upgrade verification: ❌ failed at deploy');
});

test('a removed API fails api-check before deploy; nothing is applied and the cluster is deleted', async () => {
  const o = opts(
    downloaded({
      'cluster-name': 'legacy',
      manifests: write(
        'app.yaml',
        manifest(
          'legacy',
          'ghcr.io/acme/web:1.0',
          '---\napiVersion: policy/v1beta1\nkind: PodSecurityPolicy\nmetadata: {name: restricted}\nspec: {}\n',
        ),
      ),
    }),
  );
  const main = await runAction('verify', o);
  expect(main.outputs['failed-stage']).toBe('api-check');
  expect(stagesOf(main.outputs.stages)).toEqual([
    'cluster: passed',
    'api-check: failed',
    'deploy: skipped',
    'health: skipped',
    'smoke: skipped',
    'teardown: passed',
  ]);
  expect(main.failedMessage).toMatch(/PodSecurityPolicy restricted \(policy\/v1beta1\)$/);
  expect(deploymentsIn('legacy')).toEqual([]);
  expect(w.sim.store.list(R.namespaces).map((n) => n.metadata.name)).not.toContain('legacy');
  expect(w.job.kindCalls().slice(-1)).toEqual([`delete cluster --name legacy --kubeconfig ${kubeconfig()}`]);
});

test('a failed kind create fails the cluster stage, skips the rest, and teardown still deletes', async () => {
  const o = opts(
    downloaded({
      'cluster-name': 'broken',
      manifests: write('app.yaml', manifest('x', 'ghcr.io/acme/web:1.0')),
    }),
    {
      STUB_FAIL: 'create',
    },
  );
  const main = await runAction('verify', o);
  expect(main.outputs['failed-stage']).toBe('cluster');
  expect(stagesOf(main.outputs.stages)).toEqual([
    'cluster: failed',
    'api-check: skipped',
    'deploy: skipped',
    'health: skipped',
    'smoke: skipped',
    'teardown: passed',
  ]);
  expect(main.failedMessage).toMatch(
    /^verification failed at cluster: kind create cluster exited with code 1: /,
  );
  expect(w.job.kindCalls().slice(-1)).toEqual([`delete cluster --name broken --kubeconfig ${kubeconfig()}`]);
});

test('SIGTERM while kind creates the cluster stops main; the post step deletes the cluster', async () => {
  const o = opts(
    downloaded({
      'cluster-name': 'cancelled',
      manifests: write('app.yaml', manifest('c', 'ghcr.io/acme/web:1.0')),
    }),
    {
      STUB_SLEEP_MS: '60000',
    },
  );
  const main = await runAction('verify', {
    ...o,
    onSpawn: (child) => {
      const poll = setInterval(() => {
        if (w.job.kindCalls().some((c) => c.startsWith('create cluster'))) {
          clearInterval(poll);
          child.kill('SIGTERM');
        }
      }, 50);
      child.on('close', () => clearInterval(poll));
    },
  });
  expect(main.code).not.toBe(0);
  expect(main.outputs).toEqual({});
  expect(main.stdout).toContain('SIGTERM received: stopping; the post step deletes cluster cancelled');
  expect(main.state['torn-down']).toBeUndefined();

  const p = await post(main.state, o);
  expect(p.code).toBe(0);
  expect(w.job.kindCalls().slice(-2)).toEqual([
    `export logs ${path.join(w.job.temp, 'kind-logs-cancelled')} --name cancelled`,
    `delete cluster --name cancelled --kubeconfig ${kubeconfig()}`,
  ]);
});

test('SIGTERM while a rollout is being followed stops main; the post step deletes the cluster', async () => {
  // A long progress deadline keeps the rollout of the unpullable image pending until the signal.
  const slow = manifest('midway', 'ghcr.io/acme/bad:3.0').replace(
    'progressDeadlineSeconds: 3',
    'progressDeadlineSeconds: 600',
  );
  const o = opts(
    downloaded({ 'cluster-name': 'midway', manifests: write('app.yaml', slow), timeout: '60s' }),
  );
  const main = await runAction('verify', {
    ...o,
    onSpawn: (child) => {
      const poll = setInterval(() => {
        if (deploymentsIn('midway').length) {
          clearInterval(poll);
          child.kill('SIGTERM');
        }
      }, 50);
      child.on('close', () => clearInterval(poll));
    },
  });
  expect(main.code).not.toBe(0);
  expect(main.stdout).toContain('SIGTERM received: stopping; the post step deletes cluster midway');
  const p = await post(main.state, o);
  expect(p.code).toBe(0);
  expect(w.job.kindCalls().slice(-1)).toEqual([`delete cluster --name midway --kubeconfig ${kubeconfig()}`]);
});

test('keep: true leaves the cluster in place, in main and in post', async () => {
  const o = opts(
    downloaded({
      'cluster-name': 'kept',
      keep: 'true',
      manifests: write('app.yaml', manifest('kept', 'ghcr.io/acme/web:1.0')),
    }),
  );
  const main = await runAction('verify', o);
  expect(main.outputs.verdict).toBe('passed');
  expect(stagesOf(main.outputs.stages).slice(-1)).toEqual(['teardown: skipped']);
  expect(main.summary).toContain('keep: true: cluster kept is kept');
  const p = await post(main.state, o);
  expect(p.stdout).toContain('keeping cluster kept (keep: true)');
  expect(w.job.kindCalls().filter((c) => c.startsWith('delete'))).toEqual([]);
});

test('bad cluster input fails with one line before anything is downloaded or created', async () => {
  const o = opts(
    downloaded({
      'cluster-name': 'Not_A_Name',
      manifests: write('app.yaml', manifest('n', 'ghcr.io/acme/web:1.0')),
    }),
  );
  const requestsBefore = w.site.requests.length;
  const main = await runAction('verify', o);
  expect(main.code).toBe(1);
  expect(main.failedMessage).toMatch(/^Input 'cluster-name' must be at most 50 characters of a-z, 0-9/);
  expect(main.outputs).toEqual({});
  expect(w.job.calls()).toEqual([]);
  expect(w.site.requests.length).toBe(requestsBefore);
  const p = await post(main.state, o);
  expect(p.stdout).toContain('no cluster was planned: nothing to clean up');
});
