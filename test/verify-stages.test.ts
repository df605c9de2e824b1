import { clusterInputs, stageRows, StageRunner, verdictOf, type StageResult } from '@upgrade-actions/verify';

/** The root action's pure core: the verdict, the summary rows, and how stages are sequenced. */
const r = (stage: StageResult['stage'], result: StageResult['result'], detail = ''): StageResult => ({
  stage,
  result,
  durationMs: 1500,
  detail,
});

test.each<[string, StageResult[], ReturnType<typeof verdictOf>]>([
  ['no stage at all passes', [], { verdict: 'passed', failedStage: '' }],
  [
    'passed and skipped stages pass',
    [r('cluster', 'skipped'), r('deploy', 'passed'), r('teardown', 'skipped')],
    { verdict: 'passed', failedStage: '' },
  ],
  [
    'a failed deploy names deploy',
    [r('cluster', 'passed'), r('api-check', 'passed'), r('deploy', 'failed'), r('teardown', 'passed')],
    { verdict: 'failed', failedStage: 'deploy' },
  ],
  [
    'the first failing stage in run order is named, even when a later one failed too',
    [r('teardown', 'failed'), r('smoke', 'failed')],
    { verdict: 'failed', failedStage: 'smoke' },
  ],
  [
    'a failed teardown alone fails the verdict',
    [r('teardown', 'failed')],
    { verdict: 'failed', failedStage: 'teardown' },
  ],
])('verdict: %s', (_name, results, want) => {
  expect(verdictOf(results)).toEqual(want);
});

test('the summary has one row per stage in run order; unreached stages read as skipped', () => {
  expect(
    stageRows([r('deploy', 'failed', 'web: timed out'), r('cluster', 'passed', 'kind cluster x')]),
  ).toEqual([
    ['cluster', '✅ passed', '1.5s', 'kind cluster x'],
    ['api-check', '⏭️ skipped', '-', 'not reached'],
    ['deploy', '❌ failed', '1.5s', 'web: timed out'],
    ['health', '⏭️ skipped', '-', 'not reached'],
    ['smoke', '⏭️ skipped', '-', 'not reached'],
    ['teardown', '⏭️ skipped', '-', 'not reached'],
  ]);
});

test('stages after a failure are skipped naming it, but an always stage still runs', async () => {
  let t = 0;
  const runner = new StageRunner(() => (t += 250));
  const ran: string[] = [];
  await runner.stage('cluster', async () => (ran.push('cluster'), { detail: 'up' }));
  const deployed = await runner.stage('deploy', async () => {
    ran.push('deploy');
    throw new Error('web: exceeded its progress deadline');
  });
  await runner.stage('smoke', async () => (ran.push('smoke'), { detail: 'ran' }));
  await runner.stage('teardown', async () => (ran.push('teardown'), { detail: 'deleted' }), { always: true });
  expect(deployed).toBeUndefined();
  expect(ran).toEqual(['cluster', 'deploy', 'teardown']);
  expect(runner.results).toEqual([
    { stage: 'cluster', result: 'passed', durationMs: 250, detail: 'up' },
    { stage: 'deploy', result: 'failed', durationMs: 250, detail: 'web: exceeded its progress deadline' },
    { stage: 'smoke', result: 'skipped', durationMs: 0, detail: 'deploy failed' },
    { stage: 'teardown', result: 'passed', durationMs: 250, detail: 'deleted' },
  ]);
});

test('a stage that reports skipped is recorded as skipped and does not stop the next', async () => {
  const runner = new StageRunner(() => 0);
  await runner.stage('health', async () => ({ skipped: true, detail: 'not configured' }));
  const out = await runner.stage('smoke', async () => ({ detail: '2 of 2 passed', passed: 2 }));
  expect(out?.passed).toBe(2);
  expect(runner.results.map((x) => x.result)).toEqual(['skipped', 'passed']);
});

test('the cluster inputs keep kind-cluster’s defaults for what the root action does not offer, and kind’s default kubeconfig', () => {
  const given = {
    clusterName: 'x',
    kindVersion: 'v0.32.0',
    kubectlVersion: 'v1.35.5',
    kubernetesVersion: '1.35',
    nodeImage: '',
    config: '',
    workers: 1,
    loadImages: ['app:dev'],
    wait: 60_000,
    keep: false,
    exportLogs: 'on-failure' as const,
    kindSha256: '',
    kubectlSha256: '',
    kindDownloadUrl: 'https://example.test/kind',
    kubectlDownloadUrl: 'https://example.test/k8s',
  };
  expect(clusterInputs(given)).toEqual({
    ...given,
    portMappings: [],
    featureGates: [],
    registry: false,
    registryPort: 5001,
    registryImage: 'registry:3',
    kubeconfig: '',
    failOnCleanupError: false,
  });
});

test('every error a stage throws is heard by the runner’s listener, with the stage’s name', async () => {
  const heard: Array<[string, unknown]> = [];
  const runner = new StageRunner(
    () => 0,
    (stage, e) => heard.push([stage, e]),
  );
  const bug = new TypeError('cannot read properties of undefined');
  await runner.stage('deploy', async () => {
    throw bug;
  });
  await runner.stage('teardown', async () => ({ detail: 'deleted' }), { always: true });
  expect(heard).toEqual([['deploy', bug]]);
  expect(runner.results[0]).toMatchObject({
    result: 'failed',
    detail: 'cannot read properties of undefined',
  });
});
