import {
  KubeApiError,
  selectorString,
  type ClusterAccess,
  type KubeClient,
  type LabelSelector,
  resolveCredentials,
} from '@upgrade-actions/kube';
import type { ApiServerAccess } from './http-check';
import { podCheck, type PodLike } from './pods';
import type { Check } from './types';

/**
 * How service targets reach the API server, from the resolved kubeconfig: client-node's credentials
 * for the context (token, exec plugin, OIDC, basic auth, client certificate) and its TLS settings.
 */
export function apiServerAccess(access: ClusterAccess, namespace?: string): ApiServerAccess {
  return {
    server: access.server,
    namespace: namespace ?? access.namespace,
    async credentials() {
      const c = await resolveCredentials(access);
      return {
        headers: c.headers,
        tls: {
          insecureSkipVerify: c.insecureSkipVerify,
          ...(c.ca ? { ca: c.ca } : {}),
          ...(c.cert ? { cert: c.cert, key: c.key } : {}),
          ...(c.servername ? { servername: c.servername } : {}),
        },
      };
    },
  };
}

export interface WorkloadRef {
  kind: 'Deployment' | 'StatefulSet' | 'DaemonSet';
  name: string;
  namespace: string;
}

const PLURAL: Record<WorkloadRef['kind'], string> = {
  Deployment: 'deployments',
  StatefulSet: 'statefulsets',
  DaemonSet: 'daemonsets',
};

/** The workload's own pod selector as a query string (read once by each check, then kept: it is immutable). */
export async function workloadSelector(
  client: KubeClient,
  w: WorkloadRef,
  signal?: AbortSignal,
): Promise<string> {
  const obj = await client.get<{ spec?: { selector?: LabelSelector } }>(
    `/apis/apps/v1/namespaces/${encodeURIComponent(w.namespace)}/${PLURAL[w.kind]}/${encodeURIComponent(w.name)}`,
    { signal },
  );
  return selectorString(obj.spec?.selector);
}

interface PodMetrics {
  metadata: { name: string };
  containers: Array<{ name: string; usage: { cpu?: string; memory?: string } }>;
}

/**
 * The basic-level check of one workload: its pods (by the workload's own selector, as
 * `kubectl rollout status` finds them), with resource usage from metrics.k8s.io when the cluster
 * serves it (metrics-server). Terminating pods are left out: they are on their way out.
 */
export function workloadPodCheck(client: KubeClient, w: WorkloadRef): Check {
  let selector: string | undefined;
  let metricsServed = true;
  const ns = encodeURIComponent(w.namespace);
  return podCheck({
    name: `${w.kind.toLowerCase()}/${w.name}`,
    target: `pods of ${w.kind.toLowerCase()}/${w.name} in ${w.namespace}`,
    listPods: async (signal) => {
      selector ??= await workloadSelector(client, w, signal);
      const list = await client.get<{ items: Array<PodLike & { metadata: { deletionTimestamp?: string } }> }>(
        `/api/v1/namespaces/${ns}/pods`,
        { query: { labelSelector: selector }, signal },
      );
      const pods = list.items.filter((p) => !p.metadata.deletionTimestamp);
      if (metricsServed) {
        try {
          const m = await client.get<{ items: PodMetrics[] }>(
            `/apis/metrics.k8s.io/v1beta1/namespaces/${ns}/pods`,
            {
              query: { labelSelector: selector },
              signal,
            },
          );
          const usage = new Map(m.items.map((i) => [i.metadata.name, i.containers]));
          for (const p of pods) p.usage = usage.get(p.metadata.name);
        } catch (e) {
          // No metrics-server (404) or not ready (503): the basic level goes on without usage.
          if (e instanceof KubeApiError) metricsServed = false;
          else throw e;
        }
      }
      return pods;
    },
  });
}
