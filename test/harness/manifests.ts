// The Deployment and Service YAML the cluster tests apply, written once: each test says only what differs
// (namespace, replicas, a progress deadline, the container's port) instead of repeating the document.

export interface DeploymentYaml {
  name?: string;
  /** The `app` label that selects the pods; default the name. */
  app?: string;
  /** Left out of metadata when not given (the namespace of the context or the flag applies). */
  namespace?: string;
  replicas?: number;
  progressDeadlineSeconds?: number;
  image?: string;
  /** The container's name; default the Deployment's name. */
  container?: string;
  /** A `containerPort` the container declares. */
  containerPort?: number;
}

/** `metadata: {name: web}` or `metadata: {name: web, namespace: shop}`. */
function metadata(name: string, namespace?: string): string {
  return namespace ? `{name: ${name}, namespace: ${namespace}}` : `{name: ${name}}`;
}

/** A Deployment of one container selected by `app: <name>`, as flow-style YAML. */
export function deploymentYaml(o: DeploymentYaml = {}): string {
  const name = o.name ?? 'web';
  const app = o.app ?? name;
  const ports = o.containerPort === undefined ? '' : `, ports: [{containerPort: ${o.containerPort}}]`;
  return [
    'apiVersion: apps/v1',
    'kind: Deployment',
    `metadata: ${metadata(name, o.namespace)}`,
    'spec:',
    `  replicas: ${o.replicas ?? 2}`,
    ...(o.progressDeadlineSeconds === undefined
      ? []
      : [`  progressDeadlineSeconds: ${o.progressDeadlineSeconds}`]),
    `  selector: {matchLabels: {app: ${app}}}`,
    '  template:',
    `    metadata: {labels: {app: ${app}}}`,
    `    spec: {containers: [{name: ${o.container ?? name}, image: "${o.image ?? 'web:placeholder'}"${ports}}]}`,
    '',
  ].join('\n');
}

export interface ServiceYaml {
  name?: string;
  /** The `app` label of the pods it selects; default the name. */
  app?: string;
  namespace?: string;
  /** The port's name (`http`); unnamed when not given. */
  portName?: string;
}

/** A Service for port 80 onto the pods' 8080, selecting `app: <name>`. */
export function serviceYaml(o: ServiceYaml = {}): string {
  const name = o.name ?? 'web';
  const app = o.app ?? name;
  const portName = o.portName ? `name: ${o.portName}, ` : '';
  return [
    'apiVersion: v1',
    'kind: Service',
    `metadata: ${metadata(name, o.namespace)}`,
    `spec: {selector: {app: ${app}}, ports: [{${portName}port: 80, targetPort: 8080}]}`,
    '',
  ].join('\n');
}

/** A Deployment and its Service in one multi-document file. */
export function appYaml(d: DeploymentYaml = {}, s: ServiceYaml = {}): string {
  return `${deploymentYaml(d)}---\n${serviceYaml({ name: d.name, app: d.app, namespace: d.namespace, ...s })}`;
}
