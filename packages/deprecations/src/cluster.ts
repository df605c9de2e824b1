import type { ManifestObject } from './objects';

/** The one thing live mode needs from a cluster: GET a path, null when the server says 404. */
export interface ClusterApi {
  get(path: string): Promise<unknown>;
  /** Where the objects are said to come from in findings, e.g. `cluster/kind-temp`. */
  name: string;
}

export const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/**
 * Collections read in live mode, at their current served versions: what an object is served as says
 * nothing about how it was written; its last-applied configuration does (as kube-no-trouble reads it).
 * Collections the server does not have (404: an old cluster, a CRD not installed) are skipped.
 */
export const LIVE_COLLECTIONS = [
  '/apis/apps/v1/deployments',
  '/apis/apps/v1/daemonsets',
  '/apis/apps/v1/statefulsets',
  '/apis/apps/v1/replicasets',
  '/apis/networking.k8s.io/v1/ingresses',
  '/apis/networking.k8s.io/v1/ingressclasses',
  '/apis/networking.k8s.io/v1/networkpolicies',
  '/apis/batch/v1/cronjobs',
  '/apis/policy/v1/poddisruptionbudgets',
  '/apis/policy/v1beta1/podsecuritypolicies',
  '/apis/autoscaling/v2/horizontalpodautoscalers',
  '/apis/rbac.authorization.k8s.io/v1/clusterroles',
  '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings',
  '/apis/rbac.authorization.k8s.io/v1/roles',
  '/apis/rbac.authorization.k8s.io/v1/rolebindings',
  '/apis/scheduling.k8s.io/v1/priorityclasses',
  '/apis/storage.k8s.io/v1/storageclasses',
  '/apis/storage.k8s.io/v1/csidrivers',
  '/apis/storage.k8s.io/v1/volumeattachments',
  '/apis/storage.k8s.io/v1/csistoragecapacities',
  '/apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations',
  '/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations',
  '/apis/admissionregistration.k8s.io/v1/validatingadmissionpolicies',
  '/apis/admissionregistration.k8s.io/v1/validatingadmissionpolicybindings',
  '/apis/apiextensions.k8s.io/v1/customresourcedefinitions',
  '/apis/apiregistration.k8s.io/v1/apiservices',
  '/apis/node.k8s.io/v1/runtimeclasses',
  '/apis/flowcontrol.apiserver.k8s.io/v1/flowschemas',
  '/apis/flowcontrol.apiserver.k8s.io/v1/prioritylevelconfigurations',
  '/apis/discovery.k8s.io/v1/endpointslices',
  '/apis/snapshot.storage.k8s.io/v1/volumesnapshots',
  '/apis/snapshot.storage.k8s.io/v1/volumesnapshotclasses',
  '/apis/cert-manager.io/v1/certificates',
  '/apis/cert-manager.io/v1/issuers',
  '/apis/cert-manager.io/v1/clusterissuers',
  '/apis/security.istio.io/v1/authorizationpolicies',
  '/apis/security.istio.io/v1/peerauthentications',
];

interface ObjectList {
  metadata?: { continue?: string };
  items?: Array<{ metadata?: { name?: string; namespace?: string; annotations?: Record<string, string> } }>;
}

/** The server's version (`/version` gitVersion, e.g. `v1.29.2`). */
export async function serverVersion(api: ClusterApi): Promise<string> {
  const v = (await api.get('/version')) as { gitVersion?: string } | null;
  if (!v?.gitVersion) throw new Error(`${api.name}: /version did not answer a gitVersion`);
  return v.gitVersion;
}

/**
 * Every object of LIVE_COLLECTIONS that carries a last-applied configuration, as the object was last
 * applied (apiVersion and kind included). Lists are read in pages of 500, following `continue`.
 */
export async function readLiveObjects(
  api: ClusterApi,
  collections = LIVE_COLLECTIONS,
): Promise<ManifestObject[]> {
  const out: ManifestObject[] = [];
  for (const collection of collections) {
    let cont: string | undefined;
    do {
      const q = `?limit=500${cont ? `&continue=${encodeURIComponent(cont)}` : ''}`;
      const list = (await api.get(collection + q)) as ObjectList | null;
      if (!list) break;
      for (const item of list.items ?? []) {
        const applied = item.metadata?.annotations?.[LAST_APPLIED];
        if (!applied) continue;
        let obj: { apiVersion?: unknown; kind?: unknown; metadata?: { name?: unknown; namespace?: unknown } };
        try {
          obj = JSON.parse(applied) as typeof obj;
        } catch {
          continue; // not written by kubectl; nothing to learn from it
        }
        const str = (v: unknown) => (typeof v === 'string' ? v : null);
        out.push({
          file: api.name,
          documentIndex: out.length,
          line: null,
          apiVersion: str(obj.apiVersion),
          kind: str(obj.kind),
          name: str(obj.metadata?.name) ?? item.metadata?.name ?? null,
          namespace: str(obj.metadata?.namespace) ?? item.metadata?.namespace ?? null,
        });
      }
      cont = list.metadata?.continue || undefined;
    } while (cont);
  }
  return out;
}
