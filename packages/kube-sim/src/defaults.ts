import type { KObject } from './types';

/**
 * The defaults the API server fills in on create (k8s.io/api defaulting funcs), limited to the fields
 * controllers and kubectl read: replicas, update strategies, revision history, pod spec basics,
 * Service ClusterIP allocation and port defaults.
 */
type Any = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function podSpec(spec: Any | undefined): void {
  if (!spec) return;
  spec.restartPolicy ??= 'Always';
  spec.terminationGracePeriodSeconds ??= 30;
  spec.dnsPolicy ??= 'ClusterFirst';
  spec.schedulerName ??= 'default-scheduler';
  spec.securityContext ??= {};
  for (const c of [...(spec.initContainers ?? []), ...(spec.containers ?? [])] as Any[]) {
    const image = String(c.image ?? '');
    const tag = image.includes('@') ? 'digest' : (/:([^/:]+)$/.exec(image)?.[1] ?? 'latest');
    c.imagePullPolicy ??= tag === 'latest' ? 'Always' : 'IfNotPresent';
    c.terminationMessagePath ??= '/dev/termination-log';
    c.terminationMessagePolicy ??= 'File';
    c.resources ??= {};
    for (const p of (c.ports ?? []) as Any[]) p.protocol ??= 'TCP';
  }
}

function template(o: Any): void {
  podSpec(o.spec?.template?.spec);
  if (o.spec?.template) o.spec.template.metadata ??= {};
}

export class ClusterIps {
  private next = 10;
  allocate(): string {
    const n = this.next++;
    return `10.96.${Math.floor(n / 250)}.${n % 250}`;
  }
}

export function applyDefaults(obj: KObject, ips: ClusterIps): void {
  const o = obj as Any;
  switch (`${obj.apiVersion}/${obj.kind}`) {
    case 'apps/v1/Deployment':
      o.spec ??= {};
      o.spec.replicas ??= 1;
      o.spec.strategy ??= {};
      o.spec.strategy.type ??= 'RollingUpdate';
      if (o.spec.strategy.type === 'RollingUpdate') {
        o.spec.strategy.rollingUpdate ??= {};
        o.spec.strategy.rollingUpdate.maxUnavailable ??= '25%';
        o.spec.strategy.rollingUpdate.maxSurge ??= '25%';
      }
      o.spec.revisionHistoryLimit ??= 10;
      o.spec.progressDeadlineSeconds ??= 600;
      template(o);
      break;
    case 'apps/v1/ReplicaSet':
      o.spec ??= {};
      o.spec.replicas ??= 1;
      template(o);
      break;
    case 'apps/v1/StatefulSet':
      o.spec ??= {};
      o.spec.replicas ??= 1;
      o.spec.podManagementPolicy ??= 'OrderedReady';
      o.spec.updateStrategy ??= {};
      o.spec.updateStrategy.type ??= 'RollingUpdate';
      if (o.spec.updateStrategy.type === 'RollingUpdate')
        o.spec.updateStrategy.rollingUpdate ??= { partition: 0 };
      o.spec.revisionHistoryLimit ??= 10;
      template(o);
      break;
    case 'apps/v1/DaemonSet':
      o.spec ??= {};
      o.spec.updateStrategy ??= {};
      o.spec.updateStrategy.type ??= 'RollingUpdate';
      if (o.spec.updateStrategy.type === 'RollingUpdate')
        o.spec.updateStrategy.rollingUpdate ??= { maxUnavailable: 1, maxSurge: 0 };
      o.spec.revisionHistoryLimit ??= 10;
      template(o);
      break;
    case 'batch/v1/Job':
      o.spec ??= {};
      o.spec.completions ??= 1;
      o.spec.parallelism ??= 1;
      o.spec.backoffLimit ??= 6;
      o.spec.completionMode ??= 'NonIndexed';
      o.spec.suspend ??= false;
      if (o.spec.template?.spec) o.spec.template.spec.restartPolicy ??= 'Never';
      template(o);
      break;
    case 'v1/Pod':
      podSpec(o.spec);
      o.status ??= { phase: 'Pending', qosClass: 'BestEffort' };
      break;
    case 'v1/Service':
      o.spec ??= {};
      o.spec.type ??= 'ClusterIP';
      o.spec.sessionAffinity ??= 'None';
      if (o.spec.type !== 'ExternalName' && o.spec.clusterIP !== 'None') {
        o.spec.clusterIP ??= ips.allocate();
        o.spec.clusterIPs ??= [o.spec.clusterIP];
      }
      for (const p of (o.spec.ports ?? []) as Any[]) {
        p.protocol ??= 'TCP';
        p.targetPort ??= p.port;
      }
      break;
    case 'v1/Namespace':
      o.metadata.labels = { ...(o.metadata.labels ?? {}), 'kubernetes.io/metadata.name': obj.metadata.name };
      o.spec ??= { finalizers: ['kubernetes'] };
      o.status = { phase: 'Active' };
      break;
    case 'v1/Secret':
      o.type ??= 'Opaque';
      if (o.stringData) {
        o.data = { ...(o.data ?? {}) };
        for (const [k, v] of Object.entries(o.stringData as Record<string, string>))
          o.data[k] = Buffer.from(v).toString('base64');
        delete o.stringData;
      }
      break;
  }
}
