import type { KObject } from './types';

/**
 * The defaults the API server fills in on every write it decodes — create, update, patch, server-side
 * apply — as upstream's SetDefaults_* functions do (k8s.io/kubernetes pkg/apis/core/v1/defaults.go,
 * pkg/apis/apps/v1/defaults.go, pkg/apis/batch/v1/defaults.go), for the kinds the simulator serves.
 * Facts from upstream, our own code. What kubectl prints (`get -o yaml`, `describe`, `rollout history
 * --revision`) and the pod-template hash the Deployment controller computes both depend on them.
 */
type Any = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** SetDefaults_Probe and SetDefaults_HTTPGetAction. */
function probe(p: Any | undefined): void {
  if (!p) return;
  p.timeoutSeconds ??= 1;
  p.periodSeconds ??= 10;
  p.successThreshold ??= 1;
  p.failureThreshold ??= 3;
  if (p.httpGet) {
    p.httpGet.path ??= '/';
    p.httpGet.scheme ??= 'HTTP';
  }
}

/** SetDefaults_{ConfigMap,Secret,Projected,DownwardAPI}VolumeSource: mode 0644. */
function volumes(list: Any[] | undefined): void {
  for (const v of list ?? []) {
    for (const k of ['configMap', 'secret', 'projected', 'downwardAPI']) if (v[k]) v[k].defaultMode ??= 420;
  }
}

/** SetDefaults_EnvVar (through ObjectFieldSelector): a fieldRef's apiVersion is v1. */
function env(list: Any[] | undefined): void {
  for (const e of list ?? []) if (e.valueFrom?.fieldRef) e.valueFrom.fieldRef.apiVersion ??= 'v1';
}

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
    probe(c.livenessProbe);
    probe(c.readinessProbe);
    probe(c.startupProbe);
    env(c.env);
  }
  volumes(spec.volumes);
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
    case 'batch/v1/CronJob':
      // SetDefaults_CronJob.
      o.spec ??= {};
      o.spec.concurrencyPolicy ??= 'Allow';
      o.spec.suspend ??= false;
      o.spec.successfulJobsHistoryLimit ??= 3;
      o.spec.failedJobsHistoryLimit ??= 1;
      if (o.spec.jobTemplate?.spec) {
        const job = o.spec.jobTemplate.spec;
        if (job.template?.spec) job.template.spec.restartPolicy ??= 'Never';
        podSpec(job.template?.spec);
      }
      break;
    case 'v1/Pod':
      podSpec(o.spec);
      if (o.spec) o.spec.enableServiceLinks ??= true; // SetDefaults_Pod
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
      // What the Service registry fills in on a single-stack IPv4 cluster (kubectl get -o yaml shows them).
      if (o.spec.type !== 'ExternalName') {
        o.spec.internalTrafficPolicy ??= 'Cluster';
        o.spec.ipFamilies ??= ['IPv4'];
        o.spec.ipFamilyPolicy ??= 'SingleStack';
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
