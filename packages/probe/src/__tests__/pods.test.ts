import { assessPods, restartCounts, type PodLike } from '@upgrade-actions/probe';

function pod(
  name: string,
  opts: { ready?: boolean; restarts?: number; waiting?: string; lastTerminated?: string } = {},
): PodLike {
  return {
    metadata: { name },
    status: {
      phase: 'Running',
      conditions: [{ type: 'Ready', status: opts.ready === false ? 'False' : 'True' }],
      containerStatuses: [
        {
          name: 'app',
          ready: opts.ready !== false,
          restartCount: opts.restarts ?? 0,
          state: opts.waiting ? { waiting: { reason: opts.waiting } } : {},
          lastState: opts.lastTerminated
            ? { terminated: { reason: opts.lastTerminated, exitCode: 137 } }
            : {},
        },
      ],
    },
  };
}

describe('the basic level (pods)', () => {
  test.each([
    ['all pods Ready, no restarts', [pod('a'), pod('b')], {}, true, []],
    ['a pod not Ready', [pod('a'), pod('b', { ready: false })], {}, false, ['NotReady']],
    [
      'an image pull failure',
      [pod('a', { ready: false, waiting: 'ImagePullBackOff' })],
      {},
      false,
      ['ImagePullBackOff'],
    ],
    ['ErrImagePull', [pod('a', { ready: false, waiting: 'ErrImagePull' })], {}, false, ['ErrImagePull']],
    [
      'a crash loop',
      [pod('a', { ready: false, waiting: 'CrashLoopBackOff', restarts: 4 })],
      { 'a/app': 4 },
      false,
      ['CrashLoopBackOff'],
    ],
    [
      'an OOM kill',
      [pod('a', { lastTerminated: 'OOMKilled', restarts: 1 })],
      { 'a/app': 1 },
      false,
      ['OOMKilled'],
    ],
    ['a restart during the window', [pod('a', { restarts: 3 })], { 'a/app': 2 }, false, ['Restarted']],
    ['restarts from before the window', [pod('a', { restarts: 3 })], { 'a/app': 3 }, true, []],
    [
      'a config error',
      [pod('a', { ready: false, waiting: 'CreateContainerConfigError' })],
      {},
      false,
      ['CreateContainerConfigError'],
    ],
  ])('%s', (_name, pods, baseline, ok, reasons) => {
    const r = assessPods(pods, baseline);
    expect(r.ok).toBe(ok);
    const findings = (r.observations.findings as Array<{ reason: string }>).map((f) => f.reason);
    expect(findings).toEqual(reasons);
  });

  test.each([
    ['ImagePullBackOff', /rebuild and push the image/],
    ['CrashLoopBackOff', /roll back to the last stable version if a dependency is down/],
    ['CreateContainerConfigError', /fix the configuration/],
  ])('%s carries the seed recovery hint in the error', (reason, hint) => {
    const r = assessPods([pod('web-1', { ready: false, waiting: reason })], {});
    expect(r.error).toMatch(new RegExp(`^web-1/app: ${reason}; `));
    expect(r.error).toMatch(hint);
  });

  test('no pods at all is a failure', () => {
    expect(assessPods([], {})).toMatchObject({ ok: false, error: 'no pods match the release' });
  });

  test('restart counts are keyed by pod and container', () => {
    expect(restartCounts([pod('a', { restarts: 2 }), pod('b')])).toEqual({ 'a/app': 2, 'b/app': 0 });
  });
});

test('resource usage from metrics.k8s.io is reported per container when given', () => {
  const p = { ...pod('a'), usage: [{ name: 'app', usage: { cpu: '12m', memory: '34Mi' } }] };
  expect(assessPods([p], {}).observations.usage).toEqual([
    { pod: 'a', container: 'app', cpu: '12m', memory: '34Mi' },
  ]);
});
