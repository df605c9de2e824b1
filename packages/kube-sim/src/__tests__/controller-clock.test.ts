import { ManualClock, ScaledClock } from '../clock';
import { startControllers } from '../controllers';
import { R } from '../resources';
import { Store } from '../store';
import type { KObject } from '../types';
import { condition, deploymentObject, setImage, status } from './controller-harness';

describe('ManualClock', () => {
  test('fires due timers in time order, and only when time reaches them', () => {
    const clock = new ManualClock('2026-01-01T00:00:00Z');
    const fired: string[] = [];
    clock.setTimeout(() => fired.push('b@200'), 200);
    clock.setTimeout(() => fired.push('a@100'), 100);
    const c = clock.setTimeout(() => fired.push('cancelled'), 150);
    clock.clearTimeout(c);
    clock.advance(150);
    expect(fired).toEqual(['a@100']);
    clock.advance(50);
    expect(fired).toEqual(['a@100', 'b@200']);
    expect(clock.now().toISOString()).toBe('2026-01-01T00:00:00.200Z');
  });

  test('a timer set by a timer inside the window fires in the same advance', () => {
    const clock = new ManualClock();
    const fired: number[] = [];
    clock.setTimeout(() => {
      fired.push(clock.now().getTime());
      clock.setTimeout(() => fired.push(clock.now().getTime()), 100);
    }, 100);
    const start = clock.now().getTime();
    clock.advance(1000);
    expect(fired.map((t) => t - start)).toEqual([100, 200]);
    expect(clock.pendingTimers).toBe(0);
  });
});

describe('ScaledClock', () => {
  test('simulated time runs speed times faster, so a long simulated timer fires quickly', async () => {
    const clock = new ScaledClock(1000, new Date('2026-01-01T00:00:00Z'));
    const firedAt = await new Promise<number>((resolve) =>
      clock.setTimeout(() => resolve(clock.now().getTime()), 30_000),
    );
    expect(firedAt).toBeGreaterThanOrEqual(Date.parse('2026-01-01T00:00:30Z'));
  });

  test.each([0, -1, Number.NaN, Infinity])('speed %p is rejected', (speed) => {
    expect(() => new ScaledClock(speed)).toThrow('clock speed must be a positive number');
  });
});

describe('controllers on a scaled clock', () => {
  /** Resolves when `done(deployment)` holds, checked on every store change. */
  function waitFor(store: Store, name: string, done: (d: KObject) => boolean): Promise<KObject> {
    return new Promise((resolve) => {
      const check = () => {
        const d = store.get(R.deployments, 'default', name);
        if (d && done(d)) {
          off();
          resolve(d);
        }
      };
      const off = store.subscribe(check);
      check();
    });
  }
  const complete = (d: KObject): boolean =>
    status(d).observedGeneration === d.metadata.generation &&
    condition(d, 'Progressing')?.reason === 'NewReplicaSetAvailable' &&
    status(d).replicas === status(d).updatedReplicas;

  test('a 100-replica rollout with minReadySeconds runs to completion without manual stepping', async () => {
    const clock = new ScaledClock(100);
    const store = new Store(() => clock.now());
    const ctl = startControllers(store, clock, { nodes: ['n1', 'n2', 'n3'] });
    try {
      // CPU time is simulated time too (10 ms = 1 s at speed 100): on a busy machine the default 600 s
      // progress deadline could pass for real, so give it room.
      store.create(
        R.deployments,
        deploymentObject('big', { replicas: 100, minReadySeconds: 5, progressDeadlineSeconds: 36_000 }),
      );
      const first = await waitFor(store, 'big', complete);
      expect(status(first)).toMatchObject({ replicas: 100, availableReplicas: 100 });
      const d = store.mustGet(R.deployments, 'default', 'big');
      setImage(d, 'nginx:1.26');
      store.update(R.deployments, d, { bumpGeneration: true });
      const done = await waitFor(store, 'big', complete);
      expect(status(done)).toMatchObject({
        replicas: 100,
        updatedReplicas: 100,
        availableReplicas: 100,
        observedGeneration: 2,
      });
      await ctl.settle();
      expect(
        store.list(R.pods, { namespace: 'default' }).filter((p) => !p.metadata.deletionTimestamp),
      ).toHaveLength(100);
    } finally {
      ctl.stop();
    }
    expect(clock.pendingTimers).toBe(0);
  });
});
