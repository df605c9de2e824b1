import type { PodTemplateSpec } from './types';

/**
 * A pod template printed the way kubectl's `describe.DescribePodTemplate` prints it, which is what
 * `kubectl rollout history --revision N` and `kubectl rollout undo --dry-run=client` show. Tabs stay
 * tabs: kubectl writes this text into a plain buffer, not through a tabwriter.
 *
 * Covered: labels, annotations, service account, init containers and containers (image, ports, host
 * ports, command, args, limits/requests, probes, envFrom, env, mounts), the common volume types
 * (hostPath, emptyDir, secret, configMap, persistentVolumeClaim, downwardAPI, projected, csi),
 * topology spread constraints, priority class, node selectors and tolerations. Rarer volume types
 * print `<unknown>` where kubectl has a dedicated section.
 */
export function describePodTemplate(template: PodTemplateSpec | undefined): string {
  const w = new PrefixWriter();
  w.write(0, 'Pod Template:\n');
  if (!template) {
    w.write(1, '<unset>');
    return w.text();
  }
  const meta = template.metadata ?? {};
  const spec = (template.spec ?? {}) as PodSpec;
  printLabels(w, '  Labels', meta.labels);
  if (meta.annotations && Object.keys(meta.annotations).length > 0)
    printAnnotations(w, '  Annotations', meta.annotations);
  if (spec.serviceAccountName) w.write(1, `Service Account:\t${spec.serviceAccountName}\n`);
  if (spec.initContainers?.length) describeContainers('Init Containers', spec.initContainers, w, '  ');
  describeContainers('Containers', spec.containers ?? [], w, '  ');
  describeVolumes(spec.volumes ?? [], w, '  ');
  describeTopologySpread(spec.topologySpreadConstraints ?? [], w, '  ');
  if (spec.priorityClassName) w.write(1, `Priority Class Name:\t${spec.priorityClassName}\n`);
  printLabels(w, '  Node-Selectors', spec.nodeSelector);
  printTolerations(w, '  Tolerations', spec.tolerations ?? []);
  return w.text();
}

/* eslint-disable @typescript-eslint/no-explicit-any -- pod specs are read loosely, field by field */
type PodSpec = Record<string, any>;
type Container = Record<string, any>;

/** kubectl's prefixWriter: two spaces per level, terminal escapes neutralised. */
class PrefixWriter {
  private out = '';
  write(level: number, text: string): void {
    this.out += escapeTerminal('  '.repeat(level) + text);
  }
  writeLine(text: string): void {
    this.out += escapeTerminal(text + '\n');
  }
  text(): string {
    return this.out;
  }
}

function escapeTerminal(s: string): string {
  return s.replaceAll('\x1b', '^[').replaceAll('\r', '\\r');
}

const byString = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function printLabels(w: PrefixWriter, title: string, labels: Record<string, string> | undefined): void {
  w.write(0, `${title}:\t`);
  const keys = Object.keys(labels ?? {}).sort(byString);
  if (keys.length === 0) {
    w.writeLine('<none>');
    return;
  }
  keys.forEach((key, i) => {
    if (i !== 0) w.write(0, '\t');
    w.write(0, `${key}=${labels![key]}\n`);
  });
}

const MAX_ANNOTATION_LEN = 140;

function printAnnotations(w: PrefixWriter, title: string, annotations: Record<string, string>): void {
  w.write(0, `${title}:\t`);
  // describe hides the (long) last-applied configuration.
  const keys = Object.keys(annotations)
    .filter((k) => k !== 'kubectl.kubernetes.io/last-applied-configuration')
    .sort(byString);
  if (keys.length === 0) {
    w.writeLine('<none>');
    return;
  }
  keys.forEach((key, i) => {
    if (i !== 0) w.write(0, '\t');
    const value = annotations[key].endsWith('\n') ? annotations[key].slice(0, -1) : annotations[key];
    if (value.length + key.length + 2 > MAX_ANNOTATION_LEN || value.includes('\n')) {
      w.write(0, `${key}:\n`);
      for (const s of value.split('\n')) {
        const cut = MAX_ANNOTATION_LEN - 2;
        w.write(0, `\t  ${s.length > cut ? s.slice(0, cut) + '...' : s}\n`);
      }
    } else {
      w.write(0, `${key}: ${value}\n`);
    }
  });
}

function describeContainers(label: string, containers: Container[], w: PrefixWriter, space: string): void {
  w.write(0, `${space}${label}:${containers.length === 0 ? ' <none>' : ''}\n`);
  for (const c of containers) {
    w.write(1, `${space ? ' ' : ''}${c.name ?? ''}:\n`);
    w.write(2, `Image:\t${c.image ?? ''}\n`);
    const ports: { containerPort?: number; hostPort?: number; protocol?: string }[] = c.ports ?? [];
    const portString = ports.map((p) => `${p.containerPort ?? 0}/${p.protocol ?? ''}`).join(', ');
    if (portString.includes(',')) w.write(2, `Ports:\t${portString}\n`);
    else w.write(2, `Port:\t${portString || '<none>'}\n`);
    const hostPortString = ports.map((p) => `${p.hostPort ?? 0}/${p.protocol ?? ''}`).join(', ');
    if (hostPortString.includes(',')) w.write(2, `Host Ports:\t${hostPortString}\n`);
    else w.write(2, `Host Port:\t${hostPortString || '<none>'}\n`);
    const seccomp = c.securityContext?.seccompProfile;
    if (seccomp) {
      w.write(2, `SeccompProfile:\t${seccomp.type ?? ''}\n`);
      if (seccomp.type === 'Localhost') w.write(3, `LocalhostProfile:\t${seccomp.localhostProfile ?? ''}\n`);
    }
    describeCommand(c, w);
    describeResources(c.resources, w);
    describeProbes(c, w);
    if (c.envFrom?.length) describeEnvFrom(c, w);
    describeEnv(c, w);
    describeMounts(c, w);
  }
}

function describeCommand(c: Container, w: PrefixWriter): void {
  for (const [field, title] of [
    ['command', 'Command'],
    ['args', 'Args'],
  ] as const) {
    const list: string[] = c[field] ?? [];
    if (list.length === 0) continue;
    w.write(2, `${title}:\n`);
    for (const item of list) for (const s of item.split('\n')) w.write(3, `${s}\n`);
  }
}

function describeResources(resources: Container | undefined, w: PrefixWriter): void {
  if (!resources) return;
  for (const [field, title] of [
    ['limits', 'Limits'],
    ['requests', 'Requests'],
  ] as const) {
    const list: Record<string, string | number> = resources[field] ?? {};
    const names = Object.keys(list).sort(byString);
    if (names.length > 0) w.write(2, `${title}:\n`);
    for (const name of names) w.write(3, `${name}:\t${list[name]}\n`);
  }
}

function describeProbes(c: Container, w: PrefixWriter): void {
  for (const [field, title] of [
    ['livenessProbe', 'Liveness'],
    ['readinessProbe', 'Readiness'],
    ['startupProbe', 'Startup'],
  ] as const) {
    if (c[field]) w.write(2, `${title}:\t${describeProbe(c[field])}\n`);
  }
}

function describeProbe(p: Container): string {
  const attrs = `delay=${p.initialDelaySeconds ?? 0}s timeout=${p.timeoutSeconds ?? 0}s period=${p.periodSeconds ?? 0}s #success=${p.successThreshold ?? 0} #failure=${p.failureThreshold ?? 0}`;
  if (p.exec) return `exec [${(p.exec.command ?? []).join(' ')}] ${attrs}`;
  if (p.httpGet) {
    const g = p.httpGet;
    const scheme = String(g.scheme ?? '').toLowerCase();
    const port = g.port === undefined ? '' : String(g.port);
    const host = g.host ?? '';
    const hostPort = port ? (host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`) : host;
    return `http-get ${scheme ? `${scheme}://` : '//'}${hostPort}${g.path ?? ''} ${attrs}`;
  }
  if (p.tcpSocket) return `tcp-socket ${p.tcpSocket.host ?? ''}:${p.tcpSocket.port ?? ''} ${attrs}`;
  if (p.grpc) return `grpc <pod>:${p.grpc.port ?? 0} ${p.grpc.service ?? ''} ${attrs}`;
  return `unknown ${attrs}`;
}

function describeEnvFrom(c: Container, w: PrefixWriter): void {
  w.write(2, 'Environment Variables from:\n');
  for (const e of c.envFrom) {
    const ref = e.configMapRef ?? e.secretRef;
    const from = e.configMapRef ? 'ConfigMap' : e.secretRef ? 'Secret' : '';
    const optional = ref?.optional === true;
    if (!e.prefix) w.write(3, `${ref?.name ?? ''}\t${from}\tOptional: ${optional}\n`);
    else w.write(3, `${ref?.name ?? ''}\t${from} with prefix '${e.prefix}'\tOptional: ${optional}\n`);
  }
}

function describeEnv(c: Container, w: PrefixWriter): void {
  const env: Container[] = c.env ?? [];
  w.write(2, `Environment:${env.length === 0 ? '\t<none>' : ''}\n`);
  for (const e of env) {
    if (!e.valueFrom) {
      String(e.value ?? '')
        .split('\n')
        .forEach((s, i) => w.write(3, i === 0 ? `${e.name}:\t${s}\n` : `\t${s}\n`));
      continue;
    }
    const v = e.valueFrom;
    if (v.fieldRef)
      w.write(3, `${e.name}:\t (${v.fieldRef.apiVersion ?? ''}:${v.fieldRef.fieldPath ?? ''})\n`);
    else if (v.resourceFieldRef) w.write(3, `${e.name}:\t (${v.resourceFieldRef.resource ?? ''})\n`);
    else if (v.secretKeyRef)
      w.write(
        3,
        `${e.name}:\t<set to the key '${v.secretKeyRef.key}' in secret '${v.secretKeyRef.name ?? ''}'>\tOptional: ${v.secretKeyRef.optional === true}\n`,
      );
    else if (v.configMapKeyRef)
      w.write(
        3,
        `${e.name}:\t<set to the key '${v.configMapKeyRef.key}' of config map '${v.configMapKeyRef.name ?? ''}'>\tOptional: ${v.configMapKeyRef.optional === true}\n`,
      );
  }
}

function describeMounts(c: Container, w: PrefixWriter): void {
  const mounts: Container[] = [...(c.volumeMounts ?? [])].sort((a, b) => byString(a.mountPath, b.mountPath));
  w.write(2, `Mounts:${mounts.length === 0 ? '\t<none>' : ''}\n`);
  for (const m of mounts) {
    const flags = [m.readOnly ? 'ro' : 'rw'];
    if (m.subPath) flags.push(`path=${JSON.stringify(m.subPath)}`);
    w.write(3, `${m.mountPath} from ${m.name} (${flags.join(',')})\n`);
  }
  const devices: Container[] = [...(c.volumeDevices ?? [])].sort((a, b) =>
    byString(a.devicePath, b.devicePath),
  );
  if (devices.length > 0) {
    w.write(2, 'Devices:\n');
    for (const d of devices) w.write(3, `${d.devicePath} from ${d.name}\n`);
  }
}

function describeVolumes(volumes: Container[], w: PrefixWriter, space: string): void {
  if (volumes.length === 0) {
    w.write(0, `${space}Volumes:\t<none>\n`);
    return;
  }
  w.write(0, `${space}Volumes:\n`);
  for (const v of volumes) {
    w.write(1, `${space ? ' ' : ''}${v.name}:\n`);
    if (v.hostPath) {
      w.write(
        2,
        `Type:\tHostPath (bare host directory volume)\n    Path:\t${v.hostPath.path ?? ''}\n    HostPathType:\t${v.hostPath.type ?? '<none>'}\n`,
      );
    } else if (v.emptyDir) {
      const limit = v.emptyDir.sizeLimit && !/^0+(\D.*)?$/.test(String(v.emptyDir.sizeLimit));
      w.write(
        2,
        `Type:\tEmptyDir (a temporary directory that shares a pod's lifetime)\n    Medium:\t${v.emptyDir.medium ?? ''}\n    SizeLimit:\t${limit ? v.emptyDir.sizeLimit : '<unset>'}\n`,
      );
    } else if (v.secret) {
      w.write(
        2,
        `Type:\tSecret (a volume populated by a Secret)\n    SecretName:\t${v.secret.secretName ?? ''}\n    Optional:\t${v.secret.optional === true}\n`,
      );
    } else if (v.configMap) {
      w.write(
        2,
        `Type:\tConfigMap (a volume populated by a ConfigMap)\n    Name:\t${v.configMap.name ?? ''}\n    Optional:\t${v.configMap.optional === true}\n`,
      );
    } else if (v.persistentVolumeClaim) {
      w.write(
        2,
        `Type:\tPersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)\n    ClaimName:\t${v.persistentVolumeClaim.claimName ?? ''}\n    ReadOnly:\t${v.persistentVolumeClaim.readOnly === true}\n`,
      );
    } else if (v.downwardAPI) {
      w.write(2, 'Type:\tDownwardAPI (a volume populated by information about the pod)\n    Items:\n');
      for (const item of v.downwardAPI.items ?? []) {
        if (item.fieldRef) w.write(3, `${item.fieldRef.fieldPath} -> ${item.path}\n`);
        if (item.resourceFieldRef) w.write(3, `${item.resourceFieldRef.resource} -> ${item.path}\n`);
      }
    } else if (v.projected) {
      w.write(2, 'Type:\tProjected (a volume that contains injected data from multiple sources)\n');
      for (const s of v.projected.sources ?? []) {
        if (s.serviceAccountToken)
          w.write(2, `TokenExpirationSeconds:\t${s.serviceAccountToken.expirationSeconds ?? 0}\n`);
        else if (s.downwardAPI) w.write(2, 'DownwardAPI:\ttrue\n');
      }
    } else if (v.csi) {
      w.write(
        2,
        `Type:\tCSI (a Container Storage Interface (CSI) volume source)\n    Driver:\t${v.csi.driver ?? ''}\n    FSType:\t${v.csi.fsType ?? ''}\n    ReadOnly:\t${v.csi.readOnly === true}\n`,
      );
    } else {
      w.write(1, '<unknown>\n');
    }
  }
}

function describeTopologySpread(tscs: Container[], w: PrefixWriter, space: string): void {
  if (tscs.length === 0) return;
  const sorted = [...tscs].sort((a, b) => byString(a.topologyKey, b.topologyKey));
  w.write(0, `${space}Topology Spread Constraints:\t`);
  sorted.forEach((t, i) => {
    if (i !== 0) w.write(0, `${space}\t`);
    w.write(0, `${t.topologyKey}:${t.whenUnsatisfiable ?? ''} when max skew ${t.maxSkew ?? 0} is exceeded`);
    if (t.labelSelector) w.write(0, ` for selector ${formatLabelSelector(t.labelSelector)}`);
    w.write(0, '\n');
  });
}

/** metav1.FormatLabelSelector for the common matchLabels/matchExpressions shapes. */
function formatLabelSelector(sel: Container): string {
  const parts: string[] = Object.keys(sel.matchLabels ?? {})
    .sort(byString)
    .map((k) => `${k}=${sel.matchLabels[k]}`);
  for (const e of sel.matchExpressions ?? []) {
    const values = [...(e.values ?? [])].sort(byString).join(',');
    if (e.operator === 'In') parts.push(`${e.key} in (${values})`);
    else if (e.operator === 'NotIn') parts.push(`${e.key} notin (${values})`);
    else if (e.operator === 'Exists') parts.push(e.key);
    else if (e.operator === 'DoesNotExist') parts.push(`!${e.key}`);
  }
  const s = parts.join(',');
  return s === '' ? '<none>' : s;
}

function printTolerations(w: PrefixWriter, title: string, tolerations: Container[]): void {
  w.write(0, `${title}:\t`);
  if (tolerations.length === 0) {
    w.writeLine('<none>');
    return;
  }
  const sorted = [...tolerations].sort((a, b) => byString(a.key ?? '', b.key ?? ''));
  sorted.forEach((t, i) => {
    if (i !== 0) w.write(0, '\t');
    w.write(0, t.key ?? '');
    if (t.value) w.write(0, `=${t.value}`);
    if (t.effect) w.write(0, `:${t.effect}`);
    if (t.operator === 'Exists' && !t.value) w.write(0, t.key || t.effect ? ' op=Exists' : 'op=Exists');
    if (t.tolerationSeconds !== undefined && t.tolerationSeconds !== null)
      w.write(0, ` for ${t.tolerationSeconds}s`);
    w.write(0, '\n');
  });
}
