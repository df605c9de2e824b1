import { planTeardown, State } from '@upgrade-actions/kind';

const created = { [State.cluster]: 'c', [State.kindPath]: '/cache/kind', [State.phase]: 'creating' };

describe('what the post step does', () => {
  test.each([
    [
      'main succeeded: delete, no logs',
      { ...created, [State.outcome]: 'success' },
      { exportLogs: false, deleteCluster: true, removeRegistry: '' },
    ],
    [
      'main failed after create started: logs, then delete',
      created,
      { exportLogs: true, deleteCluster: true, removeRegistry: '' },
    ],
    [
      'export-logs always on success: logs too',
      { ...created, [State.outcome]: 'success', [State.exportLogs]: 'always' },
      { exportLogs: true, deleteCluster: true, removeRegistry: '' },
    ],
    [
      'export-logs never on failure: delete only',
      { ...created, [State.exportLogs]: 'never' },
      { exportLogs: false, deleteCluster: true, removeRegistry: '' },
    ],
    [
      'failed before create (download refused): nothing',
      { [State.cluster]: 'c', [State.kindPath]: '/cache/kind' },
      { exportLogs: false, deleteCluster: false, removeRegistry: '' },
    ],
    [
      'failed while installing kind: nothing to run kind with',
      { [State.cluster]: 'c', [State.phase]: 'creating' },
      { exportLogs: false, deleteCluster: false, removeRegistry: '' },
    ],
    [
      'registry started, create never reached: remove the registry only',
      { [State.cluster]: 'c', [State.kindPath]: '/k', [State.registry]: 'c-registry' },
      { exportLogs: false, deleteCluster: false, removeRegistry: 'c-registry' },
    ],
    [
      'keep: nothing at all, even on failure',
      { ...created, [State.registry]: 'c-registry', [State.keep]: 'true' },
      { exportLogs: false, deleteCluster: false, removeRegistry: '' },
    ],
    [
      'no state (main never ran): nothing',
      {},
      { exportLogs: false, deleteCluster: false, removeRegistry: '' },
    ],
  ])('%s', (_name, state: Record<string, string>, want) => {
    const plan = planTeardown((k) => state[k] ?? '');
    expect({
      exportLogs: plan.exportLogs,
      deleteCluster: plan.deleteCluster,
      removeRegistry: plan.removeRegistry,
    }).toEqual(want);
  });
});
