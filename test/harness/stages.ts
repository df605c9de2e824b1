// What the staged-rollout tests stand on: two simulated clusters, development and production (each with
// its own kubeconfig), whose pods are backed by one real local app, and reads of what each cluster runs.
import type { Logger } from '@upgrade-actions/common';
import { isNotFound, KubeClient, loadClusterAccess } from '@upgrade-actions/kube';
import { startKubeSim, type KubeSim, type PodBehaviour } from '@upgrade-actions/kube-sim';
import { startTestApp, type TestApp } from '../servers/test-app';

export interface StageClusters {
  dev: KubeSim;
  prod: KubeSim;
  app: TestApp;
  stop(): Promise<void>;
}

/** Starts the app and both clusters, with the same pod behaviour per image (given the app's URL). */
export async function startStageClusters(
  scenario: (appUrl: string) => Record<string, PodBehaviour>,
): Promise<StageClusters> {
  const app = await startTestApp();
  const started: KubeSim[] = [];
  const stop = async () => {
    for (const sim of started) await sim.stop();
    await app.stop();
  };
  try {
    const controllers = { events: true, scenario: scenario(app.url) };
    started.push(await startKubeSim({ speed: 50, controllers }));
    started.push(await startKubeSim({ speed: 50, controllers }));
  } catch (e) {
    await stop();
    throw e;
  }
  return { dev: started[0], prod: started[1], app, stop };
}

/** The object at `apiPath` in the cluster; undefined when it does not exist (any other error throws). */
export async function readObject<T>(sim: KubeSim, apiPath: string): Promise<T | undefined> {
  const c = new KubeClient(loadClusterAccess({ path: sim.kubeconfigPath }));
  try {
    return await c.get<T>(apiPath);
  } catch (e) {
    if (isNotFound(e)) return undefined;
    throw e;
  } finally {
    c.close();
  }
}

/** The image of Deployment default/web, or 'absent' when the cluster has no such Deployment. */
export async function imageIn(sim: KubeSim): Promise<string> {
  const d = await readObject<{ spec: { template: { spec: { containers: { image: string }[] } } } }>(
    sim,
    '/apis/apps/v1/namespaces/default/deployments/web',
  );
  return d?.spec.template.spec.containers[0].image ?? 'absent';
}

/** A logger that keeps what the rollout says in `lines` (errors prefixed, groups as `## name`). */
export function recordingLogger(lines: string[], onInfo?: (message: string) => void): Logger {
  return {
    debug: () => {},
    info: (m) => {
      lines.push(m);
      onInfo?.(m);
    },
    warning: (m) => lines.push(m),
    error: (m) => lines.push(`error: ${m}`),
    group: (n, fn) => {
      lines.push(`## ${n}`);
      return fn();
    },
  };
}
