import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { client, setDeploymentStatus } from '@upgrade-actions/github';
import { genericEvent, postJson, slackMessage, type RollbackNotice } from '@upgrade-actions/notify';

/** A real local HTTP server that answers with the queued statuses (then 200) and records every request. */
class Receiver {
  requests: { method: string; path: string; headers: Record<string, unknown>; body: unknown }[] = [];
  answers: number[] = [];
  respond: (path: string, body: unknown) => unknown = () => ({ ok: true });
  private server?: Server;
  url = '';

  async start(): Promise<this> {
    this.server = createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      const raw = Buffer.concat(chunks).toString('utf8');
      const body = raw ? JSON.parse(raw) : undefined;
      this.requests.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body });
      const status = this.answers.shift() ?? 200;
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(status < 300 ? this.respond(req.url ?? '', body) : { message: 'nope' }));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server!.close(() => resolve()));
  }
}

let rx: Receiver;
beforeEach(async () => {
  rx = await new Receiver().start();
});
afterEach(() => rx.stop());

const notice: RollbackNotice = {
  status: 'rolled-back',
  reason: 'deploy failed: deployment "web" exceeded its progress deadline',
  namespace: 'shop',
  workloads: [
    {
      workload: 'shop/deployment.apps/web',
      action: 'rolled-back',
      from: 3,
      to: 2,
      message: 'verified: 3 of 3 replicas available',
    },
    { workload: 'shop/deployment.apps/<api>', action: 'already-rolled-back', message: 'already rolled back' },
  ],
  durationSeconds: 4.25,
  runUrl: 'https://github.com/acme/app/actions/runs/7',
  repository: 'acme/app',
  sha: '0123456789abcdef',
};

describe('the Slack-compatible webhook', () => {
  test('receives text for the notification and blocks listing each workload, with Slack control characters escaped', async () => {
    await postJson(`${rx.url}/services/T0/B0/secret`, slackMessage(notice), { label: 'slack-webhook' });
    expect(rx.requests).toHaveLength(1);
    const { method, path, headers, body } = rx.requests[0];
    expect([method, path, headers['content-type']]).toEqual([
      'POST',
      '/services/T0/B0/secret',
      'application/json',
    ]);
    const msg = body as {
      text: string;
      blocks: { type: string; text?: { text: string }; elements?: { text: string }[] }[];
    };
    expect(msg.text).toBe(
      ':leftwards_arrow_with_hook: Rolled back 1 workload(s) in acme/app: deploy failed: deployment "web" exceeded its progress deadline',
    );
    expect(msg.blocks[1].text?.text).toBe(
      '• `shop/deployment.apps/web` rolled-back (revision 3 → 2) — verified: 3 of 3 replicas available\n' +
        '• `shop/deployment.apps/&lt;api&gt;` already-rolled-back — already rolled back',
    );
    expect(msg.blocks[2].elements?.[0].text).toBe(
      'took 4.3 s · commit 0123456 · <https://github.com/acme/app/actions/runs/7|workflow run>',
    );
  });

  test('a failed recovery is announced as such', () => {
    expect(slackMessage({ ...notice, status: 'failed' }).text).toMatch(
      /^:rotating_light: Rollback did not fully recover in acme\/app: /,
    );
  });
});

describe('the generic JSON webhook', () => {
  test('receives a versioned rollback event with every field of the notice', async () => {
    await postJson(rx.url + '/hook', genericEvent(notice));
    expect(rx.requests[0].body).toEqual({
      event: 'rollback',
      version: 'v1',
      summary:
        'Rolled back 1 workload(s) in acme/app: deploy failed: deployment "web" exceeded its progress deadline',
      ...notice,
    });
  });

  test('is retried after a server error and succeeds on the next attempt', async () => {
    rx.answers = [503, 500];
    expect(await postJson(rx.url, { a: 1 }, { backoffMs: 10 })).toBe(200);
    expect(rx.requests).toHaveLength(3);
  });

  test('a client error is not retried, and the error names the input but never the URL', async () => {
    rx.answers = [404];
    const err = await postJson(`${rx.url}/secret-token`, {}, { label: 'webhook', backoffMs: 10 }).catch(
      (e: Error) => e,
    );
    expect((err as Error).message).toBe('webhook: answered HTTP 404');
    expect(rx.requests).toHaveLength(1);
  });

  test('an unreachable receiver fails after the retries without showing the URL', async () => {
    const url = `${rx.url}/secret-token`;
    await rx.stop();
    const err = (await postJson(url, {}, { label: 'slack-webhook', retries: 1, backoffMs: 10 }).catch(
      (e: Error) => e,
    )) as Error;
    expect(err.message).toMatch(/^slack-webhook: could not be reached \(ECONNREFUSED\) after 2 attempts$/);
    expect(err.message).not.toContain('secret-token');
    rx = await new Receiver().start();
  });

  test.each([
    ['not a URL', 'slack-webhook: not a valid URL'],
    ['ftp://example.com/x', 'slack-webhook: must be an http:// or https:// URL'],
  ])('a malformed URL (%s) is refused without a request', async (url, message) => {
    await expect(postJson(url, {}, { label: 'slack-webhook' })).rejects.toThrow(message);
  });
});

describe('the GitHub Deployment status', () => {
  test('is posted to the deployment with the state, a description cut to 140 characters and the run link', async () => {
    rx.respond = (_path, body) => ({ id: 99, state: (body as { state: string }).state });
    const octokit = client({ token: 'ghs_x', apiUrl: rx.url });
    const r = await setDeploymentStatus(octokit, {
      owner: 'acme',
      repo: 'app',
      deploymentId: 1234,
      state: 'failure',
      description: 'x'.repeat(200),
      logUrl: 'https://github.com/acme/app/actions/runs/7',
    });
    expect(r).toEqual({ id: 99, state: 'failure' });
    expect(rx.requests).toHaveLength(1);
    expect(rx.requests[0]).toMatchObject({
      method: 'POST',
      path: '/repos/acme/app/deployments/1234/statuses',
      headers: { authorization: 'token ghs_x' },
    });
    const body = rx.requests[0].body as { state: string; description: string; log_url: string };
    expect(body.state).toBe('failure');
    expect(body.description).toHaveLength(140);
    expect(body.log_url).toBe('https://github.com/acme/app/actions/runs/7');
  });
});
