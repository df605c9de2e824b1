import {
  deploymentHistory,
  formatHistoryOutput,
  planControllerRevisionRollback,
  planRollback,
  controllerRevisionHistory,
} from '@upgrade-actions/kube';

type Deployment = Parameters<typeof planRollback>[0];
type ReplicaSet = Parameters<typeof planRollback>[1][number];

const UID = 'd-uid';

function template(image: string, hash?: string, extraLabels: Record<string, string> = {}) {
  return {
    metadata: { labels: { app: 'web', ...(hash ? { 'pod-template-hash': hash } : {}), ...extraLabels } },
    spec: { containers: [{ name: 'web', image, ports: [{ containerPort: 80, protocol: 'TCP' }] }] },
  };
}

function deployment(image: string, annotations: Record<string, string> = {}, paused = false): Deployment {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default', uid: UID, annotations },
    spec: { replicas: 3, paused, selector: { matchLabels: { app: 'web' } }, template: template(image) },
  };
}

function rs(
  name: string,
  revision: string | undefined,
  image: string,
  created: string,
  extra: Record<string, string> = {},
  owner = UID,
): ReplicaSet {
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name,
      namespace: 'default',
      uid: `${name}-uid`,
      creationTimestamp: created,
      annotations: { ...(revision ? { 'deployment.kubernetes.io/revision': revision } : {}), ...extra },
      ownerReferences: [
        { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: owner, controller: true },
      ],
    },
    spec: { replicas: 0, template: template(image, name.split('-').pop()) },
  };
}

const history = [
  rs('web-aaa', '1', 'nginx:1.25', '2026-01-01T00:00:00Z', {
    'kubernetes.io/change-cause': 'first',
    'deployment.kubernetes.io/desired-replicas': '3',
    'deployment.kubernetes.io/max-replicas': '4',
  }),
  rs('web-bbb', '2', 'nginx:1.26', '2026-01-02T00:00:00Z', { team: 'blue' }),
  rs('web-ccc', '3', 'nginx:1.27', '2026-01-03T00:00:00Z'),
];

describe('planRollback chooses the revision and the patch as kubectl rollout undo does', () => {
  test("undo without a revision rolls back to the previous revision with kubectl's JSON patch", () => {
    const d = deployment('nginx:1.27', {
      'deployment.kubernetes.io/revision': '3',
      'kubectl.kubernetes.io/last-applied-configuration': '{"x":1}',
      'kubernetes.io/change-cause': 'third',
    });
    const plan = planRollback(d, history);
    expect(plan.result).toBe('rolled back');
    expect(plan.replicaSet).toBe('web-bbb');
    expect(plan.patch).toEqual([
      { op: 'replace', path: '/spec/template', value: template('nginx:1.26') },
      {
        op: 'replace',
        path: '/metadata/annotations',
        // Skip-list values stay the Deployment's; everything else comes from the ReplicaSet, and
        // annotations only the Deployment had (change-cause) are dropped.
        value: {
          'deployment.kubernetes.io/revision': '3',
          'kubectl.kubernetes.io/last-applied-configuration': '{"x":1}',
          team: 'blue',
        },
      },
    ]);
  });

  test('--to-revision picks that ReplicaSet; its skip-listed annotations are not copied', () => {
    const plan = planRollback(
      deployment('nginx:1.27', { 'deployment.kubernetes.io/revision': '3' }),
      history,
      { toRevision: 1 },
    );
    expect(plan.replicaSet).toBe('web-aaa');
    expect(plan.patch?.[1]).toEqual({
      op: 'replace',
      path: '/metadata/annotations',
      value: { 'deployment.kubernetes.io/revision': '3', 'kubernetes.io/change-cause': 'first' },
    });
  });

  test('the hash label is removed from the restored template but other labels stay', () => {
    const withTier = [rs('web-ddd', '4', 'nginx:1.24', '2026-01-04T00:00:00Z')];
    withTier[0].spec!.template!.metadata!.labels!.tier = 'front';
    const plan = planRollback(deployment('nginx:1.27'), [...history, ...withTier], { toRevision: 4 });
    const value = (plan.patch?.[0] as { value: { metadata: { labels: Record<string, string> } } }).value;
    expect(value.metadata.labels).toEqual({ app: 'web', tier: 'front' });
  });

  test('a template that already matches is skipped, naming the requested revision', () => {
    expect(planRollback(deployment('nginx:1.26'), history, { toRevision: 2 })).toEqual({
      result: 'skipped rollback (current template already matches revision 2)',
      replicaSet: 'web-bbb',
    });
  });

  test('the previous revision is the second highest even when ReplicaSets are out of order', () => {
    const shuffled = [history[2], history[0], history[1]];
    expect(planRollback(deployment('nginx:1.27'), shuffled).replicaSet).toBe('web-bbb');
  });

  test('after a rollback the previous revision is the one rolled away from', () => {
    // 1 → 2 → 3, then undo to 1 makes web-aaa revision 4: the previous is now revision 3.
    const after = [
      {
        ...history[0],
        metadata: { ...history[0].metadata, annotations: { 'deployment.kubernetes.io/revision': '4' } },
      },
      history[1],
      history[2],
    ];
    expect(planRollback(deployment('nginx:1.25'), after).replicaSet).toBe('web-ccc');
  });

  test.each([
    [
      'a revision not in history',
      history,
      { toRevision: 9 },
      'unable to find specified revision 9 in history',
    ],
    ['a negative revision', history, { toRevision: -1 }, 'unable to find specified revision -1 in history'],
    [
      'a single revision has nothing to go back to',
      [history[2]],
      {},
      'no rollout history found for deployment "web"',
    ],
    ['no ReplicaSets at all', [], {}, 'no rollout history found for deployment "web"'],
  ])("%s fails with kubectl's message", (_name, list, opts, message) => {
    expect(() => planRollback(deployment('nginx:1.27'), list, opts)).toThrow(new Error(message));
  });

  test('a paused Deployment cannot be rolled back', () => {
    expect(() => planRollback(deployment('nginx:1.27', {}, true), history)).toThrow(
      "you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume' and try again",
    );
  });

  test('a missing revision is reported before the paused check', () => {
    expect(() => planRollback(deployment('nginx:1.27', {}, true), history, { toRevision: 9 })).toThrow(
      'unable to find specified revision 9 in history',
    );
  });

  test('ReplicaSets controlled by another owner are not history', () => {
    const foreign = rs('other-zzz', '7', 'nginx:1.1', '2026-01-05T00:00:00Z', {}, 'someone-else');
    expect(() => planRollback(deployment('nginx:1.27'), [...history, foreign], { toRevision: 7 })).toThrow(
      'unable to find specified revision 7 in history',
    );
  });

  test('a client dry run describes the template, hash label included, even when paused', () => {
    const plan = planRollback(deployment('nginx:1.27', {}, true), history, { dryRun: true });
    expect(plan.patch).toBeUndefined();
    expect(plan.result).toBe(
      [
        'Pod Template:',
        '  Labels:\tapp=web',
        '\tpod-template-hash=bbb',
        '  Containers:',
        '   web:',
        '    Image:\tnginx:1.26',
        '    Port:\t80/TCP',
        '    Host Port:\t0/TCP',
        '    Environment:\t<none>',
        '    Mounts:\t<none>',
        '  Volumes:\t<none>',
        '  Node-Selectors:\t<none>',
        '  Tolerations:\t<none>',
        '',
      ].join('\n'),
    );
  });
});

describe('rollout history prints what kubectl rollout history prints', () => {
  test('the table lists revisions in order with their change causes', () => {
    const text = deploymentHistory(deployment('nginx:1.27'), [history[2], history[0], history[1]]);
    expect(formatHistoryOutput('deployment.apps/web', text)).toBe(
      'deployment.apps/web \nREVISION  CHANGE-CAUSE\n1         first\n2         <none>\n3         <none>\n\n',
    );
  });

  test("a revision's template shows its change cause as an annotation", () => {
    const text = deploymentHistory(deployment('nginx:1.27'), history, 1);
    expect(formatHistoryOutput('deployment.apps/web', text, 1)).toMatch(
      /^deployment\.apps\/web with revision #1\nPod Template:\n {2}Labels:\tapp=web\n\tpod-template-hash=aaa\n {2}Annotations:\tkubernetes\.io\/change-cause: first\n {2}Containers:\n/,
    );
  });

  test('an unknown revision fails like kubectl', () => {
    expect(() => deploymentHistory(deployment('nginx:1.27'), history, 8)).toThrow(
      'unable to find the specified revision',
    );
  });

  test('no ReplicaSets means no rollout history', () => {
    expect(deploymentHistory(deployment('nginx:1.27'), [])).toBe('No rollout history found.');
  });

  test('wide change causes widen nothing but the last column', () => {
    const long = [
      rs('web-aaa', '10', 'a', '2026-01-01T00:00:00Z', {
        'kubernetes.io/change-cause': 'kubectl set image deployment/web web=nginx:1.27',
      }),
    ];
    expect(deploymentHistory(deployment('x'), long)).toBe(
      'REVISION  CHANGE-CAUSE\n10        kubectl set image deployment/web web=nginx:1.27\n',
    );
  });
});

describe('StatefulSet and DaemonSet undo go through ControllerRevisions', () => {
  const sts = {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: 'db', uid: 's-uid' },
    spec: { template: template('postgres:16') },
  };
  const cr = (name: string, revision: number, image: string) => ({
    apiVersion: 'apps/v1',
    kind: 'ControllerRevision',
    metadata: {
      name,
      ownerReferences: [
        { apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'db', uid: 's-uid', controller: true },
      ],
    },
    revision,
    data: { spec: { template: { ...template(image), $patch: 'replace' } } },
  });
  const revisions = [
    cr('db-1', 1, 'postgres:14'),
    cr('db-3', 3, 'postgres:16'),
    cr('db-2', 2, 'postgres:15'),
  ];

  test('undo restores the second highest revision with its data as a strategic merge patch', () => {
    const plan = planControllerRevisionRollback(sts, revisions);
    expect(plan).toEqual({
      result: 'rolled back',
      replicaSet: 'db-2',
      patchType: 'application/strategic-merge-patch+json',
      patch: revisions[2].data,
    });
  });

  test('a revision whose template matches the current one is skipped', () => {
    expect(planControllerRevisionRollback(sts, revisions, { toRevision: 3 }).result).toBe(
      'skipped rollback (current template already matches revision 3)',
    );
  });

  test.each([
    [[cr('db-3', 3, 'postgres:16')], {}, 'no last revision to roll back to'],
    [revisions, { toRevision: 5 }, 'unable to find specified revision 5 in history'],
  ])("fails with kubectl's message (%#)", (list, opts, message) => {
    expect(() => planControllerRevisionRollback(sts, list, opts)).toThrow(message);
  });

  test('a dry run says what it will roll back to', () => {
    expect(planControllerRevisionRollback(sts, revisions, { dryRun: true }).result).toMatch(
      /^will roll back to Pod Template:\n {2}Labels:\tapp=web\n {2}Containers:\n {3}web:\n {4}Image:\tpostgres:15\n/,
    );
  });

  test('history lists the ControllerRevisions', () => {
    expect(controllerRevisionHistory(sts, revisions)).toBe(
      'REVISION  CHANGE-CAUSE\n1         <none>\n2         <none>\n3         <none>\n',
    );
  });
});
