import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execFile } from '@upgrade-actions/common';
import { startKubeSim, type KubeSim } from '@upgrade-actions/kube-sim';
import { parseRelease } from '@upgrade-actions/release';
import { runAction } from './harness/run-action';

// The pipeline from the dist bundles, run as the GitHub runner runs them, against the simulated
// cluster (50× real time): deploy good → deploy bad → automatic rollback → verified with real
// kubectl; then rollback of a release twice, the second a no-op, with every notification received by
// real local servers. Pods of `*/bad:*` images never become Ready.

/** Webhook receivers and a GitHub REST stand-in on one local server, recording every request. */
class Receiver {
  requests: { method: string; path: string; body: unknown }[] = [];
  private server?: Server;
  url = '';
  async start(): Promise<this> {
    this.server = createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      const raw = Buffer.concat(chunks).toString('utf8');
      const body = raw ? JSON.parse(raw) : undefined;
      this.requests.push({ method: req.method ?? '', path: req.url ?? '', body });
      res.writeHead(req.method === 'POST' ? 201 : 200, { 'content-type': 'application/json' });
      // GET lists (PR comments) are empty; POSTs echo an id, a state and a link.
      res.end(
        JSON.stringify(
          req.method === 'GET'
            ? []
            : {
                id: 1,
                state: (body as { state?: string })?.state,
                html_url: 'https://github.com/acme/app/pull/42#c1',
              },
        ),
      );
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }
  stop(): Promise<void> {
    return new Promise((resolve) => this.server!.close(() => resolve()));
  }
}

let sim: KubeSim;
let rx: Receiver;
let workspace: string;

const manifest = `apiVersion: v1
kind: Namespace
metadata: {name: store}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: store}
spec:
  replicas: 4
  progressDeadlineSeconds: 90
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: ghcr.io/acme/web:placeholder}]
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: store}
spec: {selector: {app: web}, ports: [{port: 80}]}
`;

beforeAll(async () => {
  sim = await startKubeSim({
    speed: 50,
    controllers: { events: false, scenario: { '*/bad:*': { ready: false } } },
  });
  rx = await new Receiver().start();
  workspace = mkdtempSync(path.join(tmpdir(), 'pipeline-'));
  mkdirSync(path.join(workspace, 'k8s'));
  writeFileSync(path.join(workspace, 'k8s', 'app.yaml'), manifest);
});

afterAll(async () => {
  await rx?.stop();
  await sim?.stop();
  rmSync(workspace, { recursive: true, force: true });
});

const deployInputs = (image: string, cause: string) => ({
  manifests: 'k8s/*.yaml',
  kubeconfig: sim.kubeconfigPath,
  images: `ghcr.io/acme/web=${image}`,
  'change-cause': cause,
  timeout: '30s',
});

async function kubectl(...args: string[]): Promise<string> {
  const r = await execFile('kubectl', ['--kubeconfig', sim.kubeconfigPath, '-n', 'store', ...args], {
    okCodes: [0, 1],
  });
  return r.stdout.toString() + r.stderr;
}

let goodRelease: string;
let v3Release: string;

describe('deploy good, deploy bad, automatic rollback', () => {
  test('a good deploy succeeds, shows the rollout in a log group and outputs the release', async () => {
    const r = await runAction('deploy', {
      workspace,
      inputs: deployInputs('ghcr.io/acme/web:1.0', 'web 1.0'),
    });
    expect(r.failedMessage).toBeUndefined();
    expect(r.code).toBe(0);
    expect(r.groups).toEqual(['Apply', 'Rollout status: deployment.apps/web']);
    expect(r.stdout).toContain('deployment "web" successfully rolled out');
    const release = parseRelease(r.outputs.release);
    expect(release.workloads).toEqual([
      {
        kind: 'Deployment',
        name: 'web',
        namespace: 'store',
        revisionBefore: null,
        revisionAfter: 1,
        changeCause: 'web 1.0',
        images: { web: 'ghcr.io/acme/web:1.0' },
      },
    ]);
    expect(release.source).toEqual({ repository: 'acme/app', sha: '0'.repeat(40), runId: '1001' });
    expect(JSON.parse(r.outputs.applied)).toEqual([
      { name: 'namespace/store', namespace: null, action: 'created' },
      { name: 'deployment.apps/web', namespace: 'store', action: 'created' },
      { name: 'service/web', namespace: 'store', action: 'created' },
    ]);
    expect(r.outputs['rolled-back']).toBe('');
    expect(r.summary).toContain('Deployed');
    goodRelease = r.outputs.release;
  });

  test('a bad deploy fails its rollout, rolls back automatically, and says so in the order it happened, once', async () => {
    const r = await runAction('deploy', {
      workspace,
      inputs: deployInputs('ghcr.io/acme/bad:2.0', 'web 2.0'),
    });
    expect(r.code).toBe(1);
    // What happened, in the order it happened, once: the rollout failed, then the rollback restored revision 1.
    const story = r.stdout.split('\n').filter((l) => /^::(group|error)|rollout failed|rolled back/.test(l));
    expect(story).toEqual([
      '::group::Apply',
      '::group::Rollout status: deployment.apps/web',
      '::error::rollout failed: store/deployment.apps/web: deployment "web" exceeded its progress deadline',
      '::group::Automatic rollback',
      'deployment.apps/web rolled back',
      expect.stringMatching(
        /^deployment\.apps\/web: rolled back from revision 2 to revision 1 \(now revision 3\); verified: /,
      ),
    ]);
    expect(r.failedMessage).toBe(
      'rollout failed: store/deployment.apps/web: deployment "web" exceeded its progress deadline',
    );
    expect(r.stdout).not.toContain('    at '); // an outcome, not a bug: no stack trace
    expect(JSON.parse(r.outputs['rolled-back'])).toEqual({
      'store/deployment.apps/web': { from: 2, to: 1, revision: 3 },
    });
    expect(parseRelease(r.outputs.release).workloads[0]).toMatchObject({
      revisionBefore: 1,
      revisionAfter: 2,
    });
    expect(r.summary).toContain('Automatic rollback');
  });

  test('kubectl sees the previous revision available again, and the failed one marked', async () => {
    expect(await kubectl('rollout', 'history', 'deployment/web')).toBe(
      'deployment.apps/web \nREVISION  CHANGE-CAUSE\n2         web 2.0\n3         web 1.0\n\n',
    );
    expect(await kubectl('rollout', 'status', 'deployment/web', '--watch=false')).toBe(
      'deployment "web" successfully rolled out\n',
    );
    expect(
      await kubectl(
        'get',
        'deployment/web',
        '-o',
        'jsonpath={.spec.template.spec.containers[0].image} {.status.availableReplicas}',
      ),
    ).toBe('ghcr.io/acme/web:1.0 4');
    expect(
      await kubectl(
        'get',
        'deployment/web',
        '-o',
        "jsonpath={.metadata.annotations['upgrade-actions\\.io/failed-revision']}",
      ),
    ).toBe('2');
  });

  test('deploying the failed image again is refused before anything is applied', async () => {
    const before = await kubectl('get', 'deployment/web', '-o', 'jsonpath={.metadata.resourceVersion}');
    const r = await runAction('deploy', {
      workspace,
      inputs: deployInputs('ghcr.io/acme/bad:2.0', 'web 2.0'),
    });
    expect(r.code).toBe(1);
    expect(r.failedMessage).toMatch(
      /^deployment\.apps\/web: this pod template is revision 2, which was rolled back at /,
    );
    expect(await kubectl('get', 'deployment/web', '-o', 'jsonpath={.metadata.resourceVersion}')).toBe(before);
  });
});

describe('rolling back a release with the rollback action', () => {
  const notifyInputs = () => ({
    'slack-webhook': `${rx.url}/slack/T000/B000/secret-slack`,
    webhook: `${rx.url}/hook/secret-hook`,
    'github-token': 'ghs_secret',
    'deployment-id': '77',
  });
  const env = () => ({ GITHUB_API_URL: rx.url });
  const event = { pull_request: { number: 42, title: 'upgrade web' } };

  test('rolls back a release deployed after the incident, notifies everyone, and masks the webhook URLs', async () => {
    const d = await runAction('deploy', {
      workspace,
      inputs: deployInputs('ghcr.io/acme/web:3.0', 'web 3.0'),
    });
    expect(d.code).toBe(0);
    v3Release = d.outputs.release;
    expect(parseRelease(v3Release).workloads[0]).toMatchObject({ revisionBefore: 3, revisionAfter: 4 });
    rx.requests = [];
    const r = await runAction('rollback', {
      workspace,
      eventName: 'pull_request',
      event,
      env: env(),
      inputs: {
        release: v3Release,
        kubeconfig: sim.kubeconfigPath,
        reason: 'smoke tests failed',
        ...notifyInputs(),
      },
    });
    expect(r.failedMessage).toBeUndefined();
    expect(r.code).toBe(0);
    expect(r.outputs.result).toBe('rolled-back');
    expect(JSON.parse(r.outputs['rolled-back'])).toEqual({
      'store/deployment.apps/web': { from: 4, to: 3, revision: 5 },
    });
    expect(Number(r.outputs['duration-seconds'])).toBeGreaterThan(0);
    // The runner hides masked values everywhere; only the add-mask commands themselves carry them.
    const masked = r.stdout.split('\n').filter((l) => l.startsWith('::add-mask::'));
    expect(masked).toEqual(
      expect.arrayContaining([
        `::add-mask::${notifyInputs()['slack-webhook']}`,
        `::add-mask::${notifyInputs().webhook}`,
      ]),
    );
    const rest = r.stdout
      .split('\n')
      .filter((l) => !l.startsWith('::add-mask::'))
      .join('\n');
    expect(rest).not.toMatch(/secret-slack|secret-hook|ghs_secret/);
    expect(rx.requests.map((q) => `${q.method} ${q.path.split('?')[0]}`)).toEqual([
      'POST /slack/T000/B000/secret-slack',
      'POST /hook/secret-hook',
      'GET /repos/acme/app/issues/42/comments',
      'POST /repos/acme/app/issues/42/comments',
      'POST /repos/acme/app/deployments/77/statuses',
    ]);
    expect((rx.requests[0].body as { text: string }).text).toBe(
      ':leftwards_arrow_with_hook: Rolled back 1 workload(s) in acme/app: smoke tests failed',
    );
    expect(rx.requests[1].body).toMatchObject({
      event: 'rollback',
      status: 'rolled-back',
      reason: 'smoke tests failed',
    });
    expect((rx.requests[3].body as { body: string }).body).toMatch(
      /^<!-- upgrade-actions:rollback -->\n### Rolled back 1 workload/,
    );
    expect(rx.requests[4].body).toMatchObject({
      state: 'failure',
      log_url: 'https://github.com/acme/app/actions/runs/1001',
    });
    expect(
      await kubectl('get', 'deployment/web', '-o', 'jsonpath={.spec.template.spec.containers[0].image}'),
    ).toBe('ghcr.io/acme/web:1.0');
  });

  test('running the same rollback again is a no-op that says so', async () => {
    const before = await kubectl('get', 'deployment/web', '-o', 'jsonpath={.metadata.generation}');
    const r = await runAction('rollback', {
      workspace,
      inputs: { release: v3Release, kubeconfig: sim.kubeconfigPath },
    });
    expect(r.code).toBe(0);
    expect(r.outputs.result).toBe('already-rolled-back');
    expect(r.outputs['rolled-back']).toBe('{}');
    expect(r.stdout).toMatch(/deployment\.apps\/web: already rolled back: revision 4 was marked failed at /);
    expect(await kubectl('get', 'deployment/web', '-o', 'jsonpath={.metadata.generation}')).toBe(before);
  });

  test('two pipelines rolling back the same release at once: one rolls back, the other waits on the Lease and finds it done', async () => {
    const d = await runAction('deploy', {
      workspace,
      inputs: deployInputs('ghcr.io/acme/web:5.0', 'web 5.0'),
    });
    expect(d.code).toBe(0);
    const inputs = { release: d.outputs.release, kubeconfig: sim.kubeconfigPath };
    const [a, b] = await Promise.all([
      runAction('rollback', { workspace, inputs, env: { GITHUB_RUN_ID: '2001' } }),
      runAction('rollback', { workspace, inputs, env: { GITHUB_RUN_ID: '2002' } }),
    ]);
    expect([a.code, b.code]).toEqual([0, 0]);
    expect([a.outputs.result, b.outputs.result].sort()).toEqual(['already-rolled-back', 'rolled-back']);
    // One undo only: one new revision in the history.
    expect(await kubectl('rollout', 'history', 'deployment/web')).toMatch(/\n6 +web 5\.0\n7 +web 1\.0\n\n$/);
  });

  test('the release of the first deploy, which created the workload, has nothing to roll back to', async () => {
    const r = await runAction('rollback', {
      workspace,
      inputs: { release: goodRelease, kubeconfig: sim.kubeconfigPath },
    });
    expect(r.code).toBe(0);
    expect(r.outputs.result).toBe('nothing');
    expect(r.stdout).toContain(
      'the release created this workload: it has no earlier revision to roll back to',
    );
  });
});
