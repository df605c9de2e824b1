import { formatLabelSelector, type StructuredSelector } from '../selectors';
import type { KObject, ResourceType } from '../types';
import { isCustom } from '../registry';
import { age, humanDuration } from './human-duration';

/**
 * Server-side `Table` output (`Accept: application/json;as=Table;g=meta.k8s.io;v=v1`), the way kubectl's
 * `get` asks for it. Columns and cell text follow the API server's printers
 * (pkg/printers/internalversion), so `kubectl get` output reads as it does against a real cluster.
 */
export interface Column {
  name: string;
  type: 'string' | 'integer' | 'date' | 'number' | 'boolean';
  format?: string;
  priority?: number;
  description?: string;
}

type Cell = string | number | boolean;
type Printer = { columns: Column[]; row: (o: KObject, now: Date) => Cell[] };
type Any = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const name: Column = {
  name: 'Name',
  type: 'string',
  format: 'name',
  description: 'Name must be unique within a namespace.',
};
const ageCol: Column = {
  name: 'Age',
  type: 'string',
  description: 'CreationTimestamp is a timestamp representing the server time when this object was created.',
};
const col = (n: string, type: Column['type'] = 'string', priority = 0): Column => ({
  name: n,
  type,
  priority,
  description: '',
});
const none = (s: string | undefined | null) => (s === undefined || s === null || s === '' ? '<none>' : s);
const created = (o: KObject, now: Date) => age(o.metadata.creationTimestamp, now);

function containers(o: Any): Any[] {
  return (o.spec?.template?.spec?.containers ?? []) as Any[];
}
const containerNames = (o: Any) =>
  containers(o)
    .map((c) => c.name)
    .join(',');
const images = (o: Any) =>
  containers(o)
    .map((c) => c.image)
    .join(',');

function podRow(pod: Any, now: Date): Cell[] {
  const spec = pod.spec ?? {};
  const status = pod.status ?? {};
  let restarts = 0;
  let lastRestart = 0;
  let ready = 0;
  const total = (spec.containers ?? []).length;
  let reason: string = status.reason || status.phase || '';
  let initializing = false;
  const noteRestart = (cs: Any) => {
    restarts += cs.restartCount ?? 0;
    const t = cs.lastState?.terminated?.finishedAt;
    if (t) lastRestart = Math.max(lastRestart, Date.parse(t));
  };
  const inits: Any[] = status.initContainerStatuses ?? [];
  for (let i = 0; i < inits.length; i++) {
    const cs = inits[i];
    noteRestart(cs);
    const term = cs.state?.terminated;
    const wait = cs.state?.waiting;
    if (term && term.exitCode === 0) continue;
    initializing = true;
    if (term)
      reason = term.reason
        ? `Init:${term.reason}`
        : term.signal
          ? `Init:Signal:${term.signal}`
          : `Init:ExitCode:${term.exitCode}`;
    else if (wait?.reason && wait.reason !== 'PodInitializing') reason = `Init:${wait.reason}`;
    else reason = `Init:${i}/${(spec.initContainers ?? []).length}`;
    break;
  }
  if (!initializing) {
    restarts = 0;
    let hasRunning = false;
    const statuses: Any[] = status.containerStatuses ?? [];
    for (let i = statuses.length - 1; i >= 0; i--) {
      const cs = statuses[i];
      noteRestart(cs);
      const st = cs.state ?? {};
      if (st.waiting?.reason) reason = st.waiting.reason;
      else if (st.terminated?.reason) reason = st.terminated.reason;
      else if (st.terminated)
        reason = st.terminated.signal
          ? `Signal:${st.terminated.signal}`
          : `ExitCode:${st.terminated.exitCode}`;
      else if (cs.ready && st.running) {
        hasRunning = true;
        ready++;
      }
    }
    if (reason === 'Completed' && hasRunning) {
      const readyCond = (status.conditions ?? []).some((c: Any) => c.type === 'Ready' && c.status === 'True');
      reason = readyCond ? 'Running' : 'NotReady';
    }
  }
  if (pod.metadata.deletionTimestamp) reason = status.reason === 'NodeLost' ? 'Unknown' : 'Terminating';
  const restartText = lastRestart
    ? `${restarts} (${humanDuration(now.getTime() - lastRestart)} ago)`
    : String(restarts);
  const gates: Any[] = spec.readinessGates ?? [];
  return [
    pod.metadata.name,
    `${ready}/${total}`,
    reason,
    restartText,
    created(pod as KObject, now),
    none(status.podIP),
    none(spec.nodeName),
    none(status.nominatedNodeName),
    gates.length ? `${gates.length}/${gates.length}` : '<none>',
  ];
}

function servicePorts(ports: Any[] | undefined): string {
  if (!ports?.length) return '<none>';
  return ports.map((p) => `${p.port}${p.nodePort ? `:${p.nodePort}` : ''}/${p.protocol ?? 'TCP'}`).join(',');
}

function serviceExternalIp(svc: Any): string {
  const type = svc.spec?.type ?? 'ClusterIP';
  const external: string[] = svc.spec?.externalIPs ?? [];
  if (type === 'ExternalName') return svc.spec?.externalName ?? '<none>';
  if (type === 'LoadBalancer') {
    const ing: Any[] = svc.status?.loadBalancer?.ingress ?? [];
    const ips = [...ing.map((i) => i.ip || i.hostname).filter(Boolean), ...external];
    return ips.length ? ips.join(',') : '<pending>';
  }
  return external.length ? external.join(',') : '<none>';
}

function selectorMap(sel: Record<string, string> | undefined): string {
  const entries = Object.entries(sel ?? {}).sort(([a], [b]) => a.localeCompare(b));
  return entries.length ? entries.map(([k, v]) => `${k}=${v}`).join(',') : '<none>';
}

function nodeStatus(node: Any): string {
  const ready = (node.status?.conditions ?? []).find((c: Any) => c.type === 'Ready');
  const parts = [
    !ready
      ? 'Unknown'
      : ready.status === 'True'
        ? 'Ready'
        : ready.status === 'False'
          ? 'NotReady'
          : 'Unknown',
  ];
  if (node.spec?.unschedulable) parts.push('SchedulingDisabled');
  return parts.join(',');
}

function nodeRoles(node: Any): string {
  const roles = Object.keys(node.metadata?.labels ?? {})
    .filter((k) => k.startsWith('node-role.kubernetes.io/'))
    .map((k) => k.slice('node-role.kubernetes.io/'.length))
    .filter(Boolean)
    .sort();
  return roles.length ? roles.join(',') : '<none>';
}

function jobStatus(job: Any): string {
  const conds: Any[] = job.status?.conditions ?? [];
  const is = (t: string) => conds.some((c) => c.type === t && c.status === 'True');
  if (is('Complete')) return 'Complete';
  if (is('Failed')) return 'Failed';
  if (job.metadata?.deletionTimestamp) return 'Terminating';
  if (is('Suspended')) return 'Suspended';
  if (is('FailureTarget')) return 'FailureTarget';
  if (is('SuccessCriteriaMet')) return 'SuccessCriteriaMet';
  return 'Running';
}

function jobDuration(job: Any, now: Date): string {
  const start = job.status?.startTime;
  if (!start) return '';
  const end = job.status?.completionTime ? Date.parse(job.status.completionTime) : now.getTime();
  return humanDuration(end - Date.parse(start));
}

function endpointsText(ep: Any): string {
  const all: string[] = [];
  for (const s of (ep.subsets ?? []) as Any[]) {
    const ports: Any[] = s.ports?.length ? s.ports : [{}];
    for (const a of (s.addresses ?? []) as Any[])
      for (const p of ports) all.push(p.port ? `${a.ip}:${p.port}` : a.ip);
  }
  if (!all.length) return '<none>';
  return all.length > 3 ? `${all.slice(0, 3).join(',')} + ${all.length - 3} more...` : all.join(',');
}

const PRINTERS: Record<string, Printer> = {
  Pod: {
    columns: [
      name,
      col('Ready'),
      col('Status'),
      col('Restarts'),
      ageCol,
      col('IP', 'string', 1),
      col('Node', 'string', 1),
      col('Nominated Node', 'string', 1),
      col('Readiness Gates', 'string', 1),
    ],
    row: (o, now) => podRow(o, now),
  },
  Deployment: {
    columns: [
      name,
      col('Ready'),
      col('Up-to-date', 'integer'),
      col('Available', 'integer'),
      ageCol,
      col('Containers', 'string', 1),
      col('Images', 'string', 1),
      col('Selector', 'string', 1),
    ],
    row: (o: Any, now) => [
      o.metadata.name,
      `${o.status?.readyReplicas ?? 0}/${o.spec?.replicas ?? 1}`,
      o.status?.updatedReplicas ?? 0,
      o.status?.availableReplicas ?? 0,
      created(o as KObject, now),
      containerNames(o),
      images(o),
      formatLabelSelector(o.spec?.selector as StructuredSelector),
    ],
  },
  ReplicaSet: {
    columns: [
      name,
      col('Desired', 'integer'),
      col('Current', 'integer'),
      col('Ready', 'integer'),
      ageCol,
      col('Containers', 'string', 1),
      col('Images', 'string', 1),
      col('Selector', 'string', 1),
    ],
    row: (o: Any, now) => [
      o.metadata.name,
      o.spec?.replicas ?? 1,
      o.status?.replicas ?? 0,
      o.status?.readyReplicas ?? 0,
      created(o as KObject, now),
      containerNames(o),
      images(o),
      formatLabelSelector(o.spec?.selector as StructuredSelector),
    ],
  },
  StatefulSet: {
    columns: [name, col('Ready'), ageCol, col('Containers', 'string', 1), col('Images', 'string', 1)],
    row: (o: Any, now) => [
      o.metadata.name,
      `${o.status?.readyReplicas ?? 0}/${o.spec?.replicas ?? 1}`,
      created(o as KObject, now),
      containerNames(o),
      images(o),
    ],
  },
  DaemonSet: {
    columns: [
      name,
      col('Desired', 'integer'),
      col('Current', 'integer'),
      col('Ready', 'integer'),
      col('Up-to-date', 'integer'),
      col('Available', 'integer'),
      col('Node Selector'),
      ageCol,
      col('Containers', 'string', 1),
      col('Images', 'string', 1),
      col('Selector', 'string', 1),
    ],
    row: (o: Any, now) => [
      o.metadata.name,
      o.status?.desiredNumberScheduled ?? 0,
      o.status?.currentNumberScheduled ?? 0,
      o.status?.numberReady ?? 0,
      o.status?.updatedNumberScheduled ?? 0,
      o.status?.numberAvailable ?? 0,
      selectorMap(o.spec?.template?.spec?.nodeSelector),
      created(o as KObject, now),
      containerNames(o),
      images(o),
      formatLabelSelector(o.spec?.selector as StructuredSelector),
    ],
  },
  Job: {
    columns: [
      name,
      col('Status'),
      col('Completions'),
      col('Duration'),
      ageCol,
      col('Containers', 'string', 1),
      col('Images', 'string', 1),
      col('Selector', 'string', 1),
    ],
    row: (o: Any, now) => [
      o.metadata.name,
      jobStatus(o),
      `${o.status?.succeeded ?? 0}/${o.spec?.completions ?? 1}`,
      jobDuration(o, now),
      created(o as KObject, now),
      containerNames(o),
      images(o),
      formatLabelSelector(o.spec?.selector as StructuredSelector),
    ],
  },
  Service: {
    columns: [
      name,
      col('Type'),
      col('Cluster-IP'),
      col('External-IP'),
      col('Port(s)'),
      ageCol,
      col('Selector', 'string', 1),
    ],
    row: (o: Any, now) => [
      o.metadata.name,
      o.spec?.type ?? 'ClusterIP',
      none(o.spec?.clusterIP),
      serviceExternalIp(o),
      servicePorts(o.spec?.ports),
      created(o as KObject, now),
      selectorMap(o.spec?.selector),
    ],
  },
  Endpoints: {
    columns: [name, col('Endpoints'), ageCol],
    row: (o, now) => [o.metadata.name, endpointsText(o), created(o, now)],
  },
  Namespace: {
    columns: [name, col('Status'), ageCol],
    row: (o: Any, now) => [o.metadata.name, o.status?.phase ?? 'Active', created(o as KObject, now)],
  },
  Node: {
    columns: [
      name,
      col('Status'),
      col('Roles'),
      ageCol,
      col('Version'),
      col('Internal-IP', 'string', 1),
      col('External-IP', 'string', 1),
      col('OS-Image', 'string', 1),
      col('Kernel-Version', 'string', 1),
      col('Container-Runtime', 'string', 1),
    ],
    row: (o: Any, now) => {
      const addr = (t: string) => none((o.status?.addresses ?? []).find((a: Any) => a.type === t)?.address);
      const info = o.status?.nodeInfo ?? {};
      return [
        o.metadata.name,
        nodeStatus(o),
        nodeRoles(o),
        created(o as KObject, now),
        info.kubeletVersion ?? '',
        addr('InternalIP'),
        addr('ExternalIP'),
        info.osImage ?? '<unknown>',
        info.kernelVersion ?? '<unknown>',
        info.containerRuntimeVersion ?? '<unknown>',
      ];
    },
  },
  ConfigMap: {
    columns: [name, col('Data', 'integer'), ageCol],
    row: (o: Any, now) => [
      o.metadata.name,
      Object.keys(o.data ?? {}).length + Object.keys(o.binaryData ?? {}).length,
      created(o as KObject, now),
    ],
  },
  Secret: {
    columns: [name, col('Type'), col('Data', 'integer'), ageCol],
    row: (o: Any, now) => [
      o.metadata.name,
      o.type ?? 'Opaque',
      Object.keys(o.data ?? {}).length,
      created(o as KObject, now),
    ],
  },
  ServiceAccount: {
    columns: [name, col('Secrets', 'integer'), ageCol],
    row: (o: Any, now) => [o.metadata.name, (o.secrets ?? []).length, created(o as KObject, now)],
  },
  Lease: {
    columns: [name, col('Holder'), ageCol],
    row: (o: Any, now) => [o.metadata.name, o.spec?.holderIdentity ?? '', created(o as KObject, now)],
  },
  ControllerRevision: {
    columns: [name, col('Controller'), col('Revision', 'integer'), ageCol],
    row: (o: Any, now) => {
      const owner = (o.metadata.ownerReferences ?? []).find((r: Any) => r.controller) as Any | undefined;
      const group = owner ? String(owner.apiVersion).split('/').slice(0, -1).join('/') : '';
      const ctl = owner
        ? `${String(owner.kind).toLowerCase()}${group ? `.${group}` : ''}/${owner.name}`
        : '<none>';
      return [o.metadata.name, ctl, o.revision ?? 0, created(o as KObject, now)];
    },
  },
  Ingress: {
    columns: [name, col('Class'), col('Hosts'), col('Address'), col('Ports'), ageCol],
    row: (o: Any, now) => {
      const hosts = ((o.spec?.rules ?? []) as Any[]).map((r) => r.host).filter(Boolean);
      const addr = ((o.status?.loadBalancer?.ingress ?? []) as Any[])
        .map((i) => i.ip || i.hostname)
        .filter(Boolean);
      return [
        o.metadata.name,
        none(o.spec?.ingressClassName),
        hosts.length ? hosts.join(',') : '*',
        addr.join(','),
        o.spec?.tls?.length ? '80, 443' : '80',
        created(o as KObject, now),
      ];
    },
  },
  Event: {
    columns: [
      col('Last Seen'),
      col('Type'),
      col('Reason'),
      col('Object'),
      col('Subobject', 'string', 1),
      col('Source', 'string', 1),
      col('Message'),
      col('First Seen', 'string', 1),
      col('Count', 'integer', 1),
      col('Name', 'string', 1),
    ],
    row: (o: Any, now) => {
      const last = o.lastTimestamp || o.eventTime || o.metadata.creationTimestamp;
      const first = o.firstTimestamp || o.eventTime || o.metadata.creationTimestamp;
      const io = o.involvedObject ?? o.regarding ?? {};
      const source = o.source?.component ?? o.reportingController ?? '';
      return [
        age(last, now),
        o.type ?? '',
        o.reason ?? '',
        `${String(io.kind ?? '').toLowerCase()}/${io.name ?? ''}`,
        io.fieldPath ?? '',
        source,
        o.message ?? o.note ?? '',
        age(first, now),
        o.count ?? 1,
        o.metadata.name,
      ];
    },
  },
  EndpointSlice: {
    columns: [name, col('AddressType'), col('Ports'), col('Endpoints'), ageCol],
    row: (o: Any, now) => {
      const ports = ((o.ports ?? []) as Any[]).map((p) => p.port).join(',');
      const addrs = ((o.endpoints ?? []) as Any[]).flatMap((e) => e.addresses ?? []);
      const eps =
        addrs.length > 3 ? `${addrs.slice(0, 3).join(',')} + ${addrs.length - 3} more...` : addrs.join(',');
      return [
        o.metadata.name,
        o.addressType ?? '',
        ports || '<unset>',
        eps || '<unset>',
        created(o as KObject, now),
      ];
    },
  },
  CustomResourceDefinition: {
    columns: [name, { name: 'Created At', type: 'date', description: '' }],
    row: (o) => [o.metadata.name, o.metadata.creationTimestamp ?? ''],
  },
};

/** Upstream's default for kinds without a printer (roles, cluster roles, …): name and creation time. */
const DEFAULT_PRINTER: Printer = {
  columns: [name, { name: 'Created At', type: 'date', description: '' }],
  row: (o) => [o.metadata.name, o.metadata.creationTimestamp ?? ''],
};

/** Evaluates the simple JSONPaths CRDs use for printer columns (`.spec.replicas`, `.status.conditions[0].type`). */
function jsonPath(obj: unknown, path: string): unknown {
  let cur: unknown = obj;
  for (const m of path
    .replace(/^\{?\.?/, '')
    .replace(/\}$/, '')
    .matchAll(/([^.[\]]+)|\[(\d+)\]/g)) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = m[1] !== undefined ? (cur as Any)[m[1]] : (cur as unknown[])[Number(m[2])];
  }
  return cur;
}

function customPrinter(t: ResourceType): Printer {
  if (!isCustom(t) || !t.printerColumns.length)
    return { columns: [name, ageCol], row: (o, now) => [o.metadata.name, created(o, now)] };
  const cols = t.printerColumns;
  return {
    columns: [
      name,
      ...cols.map((c) => ({
        name: c.name,
        type: c.type as Column['type'],
        format: c.format,
        priority: c.priority ?? 0,
        description: c.description ?? '',
      })),
    ],
    row: (o, now) => [
      o.metadata.name,
      ...cols.map((c) => {
        const v = jsonPath(o, c.jsonPath);
        if (v === undefined || v === null) return '';
        if (c.type === 'date' && typeof v === 'string') return age(v, now);
        return typeof v === 'object' ? JSON.stringify(v) : (v as Cell);
      }),
    ],
  };
}

export function printerFor(t: ResourceType): Printer {
  if (isCustom(t)) return customPrinter(t);
  return PRINTERS[t.kind] ?? DEFAULT_PRINTER;
}

export type IncludeObject = 'None' | 'Metadata' | 'Object';

/** Builds the `meta.k8s.io/v1` Table for a list of objects of one type. */
export function toTable(
  t: ResourceType,
  objects: KObject[],
  now: Date,
  include: IncludeObject,
  listMeta: Record<string, unknown> = {},
): Any {
  const p = printerFor(t);
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: listMeta,
    columnDefinitions: p.columns.map((c) => ({
      name: c.name,
      type: c.type,
      format: c.format ?? '',
      description: c.description ?? '',
      priority: c.priority ?? 0,
    })),
    rows: objects.map((o) => ({
      cells: p.row(o, now),
      object:
        include === 'None'
          ? undefined
          : include === 'Object'
            ? o
            : { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: o.metadata },
    })),
  };
}
