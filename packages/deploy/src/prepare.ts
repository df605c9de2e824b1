import { ConfigurationError, objectMetaProblems } from '@upgrade-actions/common';
import { CHANGE_CAUSE_ANNOTATION, type KubeObject, type Manifest } from '@upgrade-actions/kube';
import { overrideFor, type ImageOverrides } from './images';

export const WORKLOAD_KINDS = ['Deployment', 'StatefulSet', 'DaemonSet'] as const;
export type WorkloadKind = (typeof WORKLOAD_KINDS)[number];

interface Container {
  name?: string;
  image?: string;
}
interface PodSpec {
  containers?: Container[];
  initContainers?: Container[];
}

export interface PreparedWorkload {
  kind: WorkloadKind;
  name: string;
  /** Empty when the manifest names none (the deploy's namespace then). */
  namespace: string;
  /** Container name → image, init containers included, after overrides. */
  images: Record<string, string>;
}

export interface Prepared {
  manifests: Manifest[];
  workloads: PreparedWorkload[];
  /** Every image the manifests run, after overrides. */
  images: string[];
  /** Overrides (canonical names) that matched no container: likely a typo or another service's image. */
  unusedOverrides: string[];
}

/** The pod specs inside an object: workload templates, a CronJob's job template, a bare Pod. */
function podSpecs(obj: KubeObject): PodSpec[] {
  const spec = obj.spec as Record<string, unknown> | undefined;
  if (!spec) return [];
  if (obj.kind === 'Pod') return [spec as PodSpec];
  if (obj.kind === 'CronJob') {
    const t = (spec.jobTemplate as { spec?: { template?: { spec?: PodSpec } } } | undefined)?.spec?.template
      ?.spec;
    return t ? [t] : [];
  }
  const t = (spec.template as { spec?: PodSpec } | undefined)?.spec;
  return t ? [t] : [];
}

/**
 * What deploy applies (pure): image overrides in every pod template (containers and init containers),
 * the change cause as `kubernetes.io/change-cause` on each workload (the Deployment controller copies
 * it to the new ReplicaSet, so `kubectl rollout history` shows it), and the workloads to follow.
 * The input manifests are not modified. Every object's metadata is checked as the API server checks it
 * (names, labels, annotations, change cause included), so nothing is applied when one object would fail.
 */
export function prepareManifests(
  manifests: Manifest[],
  opts: { overrides: ImageOverrides; changeCause?: string },
): Prepared {
  const used = new Set<string>();
  const images: string[] = [];
  const workloads: PreparedWorkload[] = [];
  const out = manifests.map((m) => {
    const object = structuredClone(m.object);
    const own: Record<string, string> = {};
    for (const spec of podSpecs(object)) {
      for (const c of [...(spec.initContainers ?? []), ...(spec.containers ?? [])]) {
        if (typeof c.image !== 'string') continue;
        const replacement = overrideFor(c.image, opts.overrides);
        if (replacement) {
          used.add(replacement.name);
          c.image = replacement.ref;
        }
        images.push(c.image);
        if (c.name) own[c.name] = c.image;
      }
    }
    if (
      (WORKLOAD_KINDS as readonly string[]).includes(object.kind ?? '') &&
      object.apiVersion === 'apps/v1'
    ) {
      if (opts.changeCause) {
        object.metadata = {
          ...object.metadata,
          annotations: { ...object.metadata?.annotations, [CHANGE_CAUSE_ANNOTATION]: opts.changeCause },
        };
      }
      workloads.push({
        kind: object.kind as WorkloadKind,
        name: object.metadata?.name ?? '',
        namespace: object.metadata?.namespace ?? '',
        images: own,
      });
    }
    return { ...m, object };
  });
  // What the API server would refuse, refused here for every object at once, before the first is applied.
  const problems = out.flatMap((m) =>
    objectMetaProblems(m.object).map(
      (p) =>
        `${m.source}#${m.document} ${m.object.kind ?? 'object'} ${JSON.stringify(m.object.metadata?.name ?? '')}: ${p}`,
    ),
  );
  if (problems.length) throw new ConfigurationError(`manifests: ${problems.join('; ')}`);
  return {
    manifests: out,
    workloads,
    images,
    unusedOverrides: [...opts.overrides.keys()].filter((k) => !used.has(k)),
  };
}
