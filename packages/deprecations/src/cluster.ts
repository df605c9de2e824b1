import { gunzipSync } from 'node:zlib';
import { scanText } from './fast-scan';
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
 * nothing about how it was written; its last-applied configuration and field managers do.
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
  kind?: string;
  metadata?: { continue?: string };
  items?: Array<{
    metadata?: {
      name?: string;
      namespace?: string;
      annotations?: Record<string, string>;
      managedFields?: Array<{ manager?: string; apiVersion?: string; subresource?: string }>;
    };
  }>;
}

/** The server's version (`/version` gitVersion, e.g. `v1.29.2`). */
export async function serverVersion(api: ClusterApi): Promise<string> {
  const v = (await api.get('/version')) as { gitVersion?: string } | null;
  if (!v?.gitVersion) throw new Error(`${api.name}: /version did not answer a gitVersion`);
  return v.gitVersion;
}

/**
 * What the objects of LIVE_COLLECTIONS were written as. Three sources, because each misses objects:
 * - the last-applied configuration of `kubectl apply` (kube-no-trouble's first source);
 * - the apiVersion each field manager used (`metadata.managedFields[].apiVersion`): server-side apply,
 *   our own deploy stage included, leaves no last-applied annotation, only this;
 * - the manifest of each deployed Helm 3 release (see readHelmReleases).
 * Lists are read in pages of 500, following `continue`; one object per distinct apiVersion written.
 */
export async function readLiveObjects(
  api: ClusterApi,
  collections = LIVE_COLLECTIONS,
): Promise<ManifestObject[]> {
  const out: ManifestObject[] = [];
  for (const collection of collections) {
    let cont: string | undefined;
    do {
      const list = (await api.get(collection + pageQuery(cont))) as ObjectList | null;
      if (!list) break;
      const servedKind = list.kind?.replace(/List$/, '') ?? null;
      for (const item of list.items ?? []) {
        const seen = new Set<string>();
        const push = (o: Omit<ManifestObject, 'documentIndex' | 'line'>) => {
          if (!o.apiVersion || seen.has(o.apiVersion)) return;
          seen.add(o.apiVersion);
          out.push({ ...o, documentIndex: out.length, line: null });
        };
        const name = item.metadata?.name ?? null;
        const namespace = item.metadata?.namespace ?? null;
        const applied = parseApplied(item.metadata?.annotations?.[LAST_APPLIED]);
        if (applied) {
          const str = (v: unknown) => (typeof v === 'string' ? v : null);
          push({
            file: api.name,
            apiVersion: str(applied.apiVersion),
            kind: str(applied.kind),
            name: str(applied.metadata?.name) ?? name,
            namespace: str(applied.metadata?.namespace) ?? namespace,
          });
        }
        for (const m of item.metadata?.managedFields ?? []) {
          if (typeof m.apiVersion !== 'string') continue;
          push({
            file: `${api.name} (field manager ${m.manager ?? 'unknown'})`,
            apiVersion: m.apiVersion,
            kind: servedKind,
            name,
            namespace,
          });
        }
      }
      cont = list.metadata?.continue || undefined;
    } while (cont);
  }
  out.push(...(await readHelmReleases(api, out.length)));
  return out;
}

function pageQuery(cont: string | undefined, selector?: string): string {
  return (
    `?limit=500` +
    (selector ? `&labelSelector=${encodeURIComponent(selector)}` : '') +
    (cont ? `&continue=${encodeURIComponent(cont)}` : '')
  );
}

type Applied = { apiVersion?: unknown; kind?: unknown; metadata?: { name?: unknown; namespace?: unknown } };

function parseApplied(text: string | undefined): Applied | null {
  if (!text) return null;
  try {
    return JSON.parse(text) as Applied;
  } catch {
    return null; // not written by kubectl; nothing to learn from it
  }
}

interface SecretList {
  metadata?: { continue?: string };
  items?: Array<{ metadata?: { name?: string; namespace?: string }; data?: Record<string, string> }>;
}

/** The label Helm 3 gives its release secrets, and the state of the release in use. */
export const HELM_RELEASES = 'owner=helm,status=deployed';

/**
 * The objects of every deployed Helm 3 release, read as kube-no-trouble reads them: Helm keeps each
 * release in a Secret labelled `owner=helm` whose `release` key holds base64(gzip(JSON)) (base64 once
 * more in the Secret's data), the JSON's `manifest` being the rendered YAML stream Helm applied.
 * A release that cannot be decoded is skipped: it is Helm's record, not a manifest to fix.
 */
export async function readHelmReleases(api: ClusterApi, firstIndex = 0): Promise<ManifestObject[]> {
  const out: ManifestObject[] = [];
  let cont: string | undefined;
  do {
    const list = (await api.get('/api/v1/secrets' + pageQuery(cont, HELM_RELEASES))) as SecretList | null;
    if (!list) break;
    for (const secret of list.items ?? []) {
      const release = decodeHelmRelease(secret.data?.release);
      if (!release?.manifest) continue;
      const where = `${api.name} (Helm release ${secret.metadata?.namespace ?? ''}/${release.name ?? secret.metadata?.name ?? ''})`;
      const objects = scanText(release.manifest, where, { errors: [] });
      for (const o of objects)
        out.push({
          ...o,
          documentIndex: firstIndex + out.length,
          line: null,
          // Helm installs into the release's namespace what the chart leaves without one.
          namespace: o.namespace ?? release.namespace ?? secret.metadata?.namespace ?? null,
        });
    }
    cont = list.metadata?.continue || undefined;
  } while (cont);
  return out;
}

const GZIP_MAGIC = [0x1f, 0x8b, 0x08];

/** base64 (the Secret) → base64 (Helm) → gzip (optional, as Helm reads it) → JSON. */
export function decodeHelmRelease(
  data: string | undefined,
): { name?: string; namespace?: string; manifest?: string } | null {
  if (!data) return null;
  try {
    let bytes = Buffer.from(Buffer.from(data, 'base64').toString('latin1'), 'base64');
    if (GZIP_MAGIC.every((b, i) => bytes[i] === b)) bytes = gunzipSync(bytes);
    return JSON.parse(bytes.toString('utf8')) as { name?: string; namespace?: string; manifest?: string };
  } catch {
    return null;
  }
}
