import { memoryLogger } from '@upgrade-actions/common';
import { nodesReadiness, waitForCluster, ClusterNotReadyError, type NodeLike } from '@upgrade-actions/kind';

const node = (name: string, status?: string, reason?: string): NodeLike => ({
  metadata: { name },
  status: status
    ? {
        conditions: [
          { type: 'MemoryPressure', status: 'False' },
          { type: 'Ready', status, reason },
        ],
      }
    : {},
});

describe('node readiness', () => {
  test.each([
    [
      'all expected nodes Ready is done',
      [node('a', 'True'), node('b', 'True')],
      2,
      true,
      'all 2 nodes are Ready',
    ],
    [
      'fewer nodes than expected is not done',
      [node('a', 'True')],
      2,
      false,
      'waiting for nodes to register: 1 of 2',
    ],
    [
      'a NotReady node is not done and is named with its reason',
      [node('a', 'True'), node('b', 'False', 'KubeletNotReady')],
      2,
      false,
      'waiting for 1 of 2 nodes to be Ready: b (KubeletNotReady)',
    ],
    [
      'a node without a Ready condition yet is not done',
      [node('a')],
      1,
      false,
      'waiting for 1 of 1 nodes to be Ready: a (no Ready condition yet)',
    ],
    [
      'Unknown is not Ready',
      [node('a', 'Unknown')],
      1,
      false,
      'waiting for 1 of 1 nodes to be Ready: a (Ready=Unknown)',
    ],
    [
      'more nodes than expected, all Ready, is done',
      [node('a', 'True'), node('b', 'True')],
      1,
      true,
      'all 2 nodes are Ready',
    ],
  ])('%s', (_name, nodes, expected, done, message) => {
    const r = nodesReadiness(nodes, expected);
    expect({ done: r.done, message: r.message }).toEqual({ done, message });
  });
});

describe('waiting for the cluster', () => {
  function fakeClock() {
    let t = 0;
    return { now: () => t, sleep: async (ms: number) => void (t += ms) };
  }

  test('waits through an unready API server and NotReady nodes, then returns the server version', async () => {
    const answers = [
      { healthy: false, nodes: [] as NodeLike[] },
      { healthy: true, nodes: [node('c', 'False', 'KubeletNotReady')] },
      { healthy: true, nodes: [node('c', 'True')] },
    ];
    let i = 0;
    const log = memoryLogger();
    const clock = fakeClock();
    const r = await waitForCluster({
      api: {
        healthy: async () => ({ ok: answers[Math.min(i++, 2)].healthy, detail: 'HTTP 500 [-]etcd failed' }),
        nodes: async () => answers[Math.min(i - 1, 2)].nodes,
        serverVersion: async () => 'v1.36.1',
      },
      expectedNodes: 1,
      timeoutMs: 60_000,
      log,
      ...clock,
    });
    expect(r.serverVersion).toBe('v1.36.1');
    expect(log.lines).toEqual([
      'waiting for the API server to be ready: /readyz HTTP 500 [-]etcd failed',
      'waiting for 1 of 1 nodes to be Ready: c (KubeletNotReady)',
      'all 1 nodes are Ready',
    ]);
  });

  test('times out with what it was still waiting for', async () => {
    const clock = fakeClock();
    await expect(
      waitForCluster({
        api: {
          healthy: async () => ({ ok: true, detail: 'HTTP 200 ok' }),
          nodes: async () => [node('c', 'True'), node('w', 'False', 'KubeletNotReady')],
          serverVersion: async () => 'v1.36.1',
        },
        expectedNodes: 2,
        timeoutMs: 5000,
        log: memoryLogger(),
        ...clock,
      }),
    ).rejects.toThrow(
      new ClusterNotReadyError(
        'cluster not ready after 5s: waiting for 1 of 2 nodes to be Ready: w (KubeletNotReady)',
      ),
    );
    expect(clock.now()).toBe(5000);
  });

  test('an API server that refuses connections is waited for, and named on timeout', async () => {
    const clock = fakeClock();
    await expect(
      waitForCluster({
        api: {
          healthy: async () => {
            throw new Error('connect ECONNREFUSED 127.0.0.1:6443');
          },
          nodes: async () => [],
          serverVersion: async () => '',
        },
        expectedNodes: 1,
        timeoutMs: 3000,
        log: memoryLogger(),
        ...clock,
      }),
    ).rejects.toThrow(
      'cluster not ready after 3s: waiting for the API server to answer: connect ECONNREFUSED 127.0.0.1:6443',
    );
  });
});
