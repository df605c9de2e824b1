import type { ClientRequest, IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import type { Backends } from './backends';
import { applyDefaults, ClusterIps } from './defaults';
import { evict } from './eviction';
import type { Faults, FaultTarget, Verb } from './faults';
import { deleteWithPropagation, type Propagation } from './gc';
import {
  aggregatedContentType,
  aggregatedDiscovery,
  apiGroupDoc,
  apiGroupList,
  apiResourceList,
  apiVersions,
  versionInfo,
  wantsAggregated,
} from './http/discovery';
import { serveLogs } from './http/logs';
import { openApiGroupVersion, openApiIndex } from './http/openapi';
import { forward, resolvePod, resolveService } from './http/proxy';
import { parseBody, readBody, route, wantsTable, type ApiPath } from './http/request';
import {
  badRequest,
  methodNotAllowed,
  notFoundPath,
  sendError,
  sendJson,
  successStatus,
} from './http/status';
import { toTable, type IncludeObject } from './http/table';
import { serveWatch } from './http/watch';
import { serverSideApply, trackUpdate } from './patch/apply';
import { applyJsonPatch, applyMergePatch } from './patch/json-patch';
import { applyStrategicMergePatch } from './patch/strategic-merge';
import type { PodLogs } from './pod-logs';
import { isCustom, type ResourceRegistry } from './registry';
import { R } from './resources';
import {
  formatLabelSelector,
  parseFieldSelector,
  parseLabelSelector,
  type StructuredSelector,
} from './selectors';
import { groupResource, notFound, type Store } from './store';
import { ApiError, type KObject, type ResourceType } from './types';

export interface ApiServerDeps {
  store: Store;
  registry: ResourceRegistry;
  faults: Faults;
  backends: Backends;
  logs: PodLogs;
  now: () => Date;
  /** How often watches that allow bookmarks get one (real ms). */
  bookmarkIntervalMs?: number;
  /** Pods get a deletionTimestamp and the kubelet removes them, instead of going at once. */
  gracefulPodDeletion?: boolean;
}

/** One line per request, newest last: what kubectl or a client asked and what it got. */
export interface RequestRecord {
  method: string;
  path: string;
  query: string;
  verb: Verb | 'other';
  code: number;
}

type Any = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const gvString = (t: ResourceType) => (t.group ? `${t.group}/${t.version}` : t.version);

/**
 * The Kubernetes REST API over the store: discovery, OpenAPI index, CRUD with the four patch types,
 * list/watch with selectors and resourceVersions, subresources (status, scale, log, proxy), garbage
 * collection on delete, and fault injection in front of it all.
 */
export class ApiServer {
  readonly requests: RequestRecord[] = [];
  private readonly ips = new ClusterIps();
  private readonly openWatches = new Set<ServerResponse>();
  /** Requests forwarded to backends and not finished yet: `close()` ends them. */
  private readonly proxied = new Set<ClientRequest>();

  constructor(private readonly d: ApiServerDeps) {}

  /** Ends open watch streams and proxied requests (the simulator is stopping). */
  close(): void {
    for (const w of this.openWatches) w.destroy();
    for (const r of this.proxied) r.destroy();
  }

  /** Number of watch streams currently open (for tests that check clients clean up). */
  get watchCount(): number {
    return this.openWatches.size;
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const r = route(url.pathname);
    const record: RequestRecord = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: url.search,
      verb: 'other',
      code: 0,
    };
    this.requests.push(record);
    if (this.requests.length > 2000) this.requests.splice(0, this.requests.length - 2000);
    res.on('finish', () => (record.code = res.statusCode));
    res.on('close', () => (record.code ||= res.statusCode));
    try {
      if (r.kind === 'resource') {
        await this.resource(req, res, r.path, url, record);
        return;
      }
      record.verb = 'discovery';
      await this.fault(res, 'discovery', '', '');
      if (res.writableEnded) return;
      const host = req.headers.host ?? '127.0.0.1';
      const { registry } = this.d;
      switch (r.kind) {
        case 'version':
          return sendJson(res, 200, versionInfo());
        case 'health':
          res.writeHead(200, { 'Content-Type': 'text/plain' });
          res.end('ok');
          return;
        case 'api':
        case 'apis': {
          const aggregated = wantsAggregated(req.headers.accept);
          if (aggregated) {
            const body = aggregatedDiscovery(registry, r.kind === 'api', aggregated);
            return sendJson(res, 200, body, { 'Content-Type': aggregatedContentType(aggregated) });
          }
          return sendJson(res, 200, r.kind === 'api' ? apiVersions(host) : apiGroupList(registry));
        }
        case 'group': {
          const doc = apiGroupDoc(registry, r.group);
          if (!doc) throw notFoundPath();
          return sendJson(res, 200, doc);
        }
        case 'resources': {
          const doc = apiResourceList(registry, r.group, r.version);
          if (!doc) throw notFoundPath();
          return sendJson(res, 200, doc);
        }
        case 'openapi-index':
          return sendJson(res, 200, openApiIndex(registry));
        case 'openapi-gv': {
          const doc = openApiGroupVersion(registry, r.group, r.version);
          if (!doc) throw notFoundPath();
          return sendJson(res, 200, doc);
        }
        default:
          throw notFoundPath();
      }
    } catch (err) {
      sendError(
        res,
        err,
        err instanceof ApiError && err.code === 429
          ? { 'Retry-After': String(err.details?.retryAfterSeconds ?? 1) }
          : {},
      );
    }
  }

  /** Applies the fault rules for this request: waits, or answers with an injected error. */
  private async fault(
    res: ServerResponse,
    verb: Verb,
    resource: string,
    group: string,
    target: FaultTarget = {},
  ): Promise<number | undefined> {
    const f = this.d.faults.decide(verb, resource, group, target);
    if (f.latencyMs > 0) await new Promise((r) => setTimeout(r, f.latencyMs));
    if (f.error) {
      sendError(res, f.error, f.headers ?? {});
      return undefined;
    }
    return f.dropAfterMs;
  }

  private findType(p: ApiPath): ResourceType {
    const t = this.d.registry.find(p.group, p.version, p.resource);
    if (!t) throw notFoundPath();
    if (p.namespace !== undefined && !t.namespaced) throw notFoundPath();
    if (p.subresource && !(t.subresources ?? []).includes(p.subresource)) throw notFoundPath();
    return t;
  }

  private verbOf(method: string, p: ApiPath, q: URLSearchParams): Verb {
    if (p.subresource === 'proxy') return 'proxy';
    if (p.subresource === 'log') return 'log';
    const watch = p.legacyWatch || q.get('watch') === 'true' || q.get('watch') === '1';
    switch (method) {
      case 'GET':
        return p.name ? (watch ? 'watch' : 'get') : watch ? 'watch' : 'list';
      case 'POST':
        return 'create';
      case 'PUT':
        return 'update';
      case 'PATCH':
        return 'patch';
      case 'DELETE':
        return p.name ? 'delete' : 'deletecollection';
      default:
        throw methodNotAllowed();
    }
  }

  private async resource(
    req: IncomingMessage,
    res: ServerResponse,
    p: ApiPath,
    url: URL,
    record: RequestRecord,
  ): Promise<void> {
    const q = url.searchParams;
    const t = this.findType(p);
    const verb = this.verbOf(req.method ?? 'GET', p, q);
    record.verb = verb;
    const dropAfterMs = await this.fault(res, verb, t.resource, t.group, {
      name: p.name,
      namespace: t.namespaced ? p.namespace : undefined,
      subresource: p.subresource,
    });
    if (res.writableEnded) return;
    const ns = t.namespaced ? p.namespace : undefined;
    if (t.namespaced && ns === undefined && !['list', 'watch', 'deletecollection'].includes(verb))
      throw notFoundPath();

    switch (verb) {
      case 'proxy': {
        const backend =
          t.kind === 'Service'
            ? resolveService(this.d.store, this.d.backends, ns!, p.name!)
            : resolvePod(this.d.store, this.d.backends, ns!, p.name!);
        return forward(req, res, backend, p.proxyPath ?? '/', url.search, this.proxied);
      }
      case 'log': {
        const pod = this.d.store.mustGet(R.pods, ns, p.name!);
        return serveLogs(res, this.d.logs, pod, q, (fn) =>
          this.d.store.subscribe((e) => {
            if (
              e.type === 'DELETED' &&
              e.resource.resource === 'pods' &&
              e.object.metadata.namespace === ns &&
              e.object.metadata.name === p.name
            )
              fn();
          }),
        );
      }
      case 'watch':
        return this.watch(req, res, t, ns, p, q, dropAfterMs);
      case 'list':
        return sendJson(res, 200, this.list(req, t, ns, q));
      case 'get':
        return sendJson(res, 200, this.get(req, t, ns, p, q));
    }
    const body = req.method === 'DELETE' ? await readBody(req) : await readBody(req);
    const contentType = String(req.headers['content-type'] ?? 'application/json');
    const manager = q.get('fieldManager') || String(req.headers['user-agent'] ?? 'unknown').split('/')[0];
    const dryRun = q.getAll('dryRun').includes('All');
    switch (verb) {
      case 'create': {
        if (p.subresource === 'eviction') {
          evict(this.d.store, ns!, p.name!, (pod) =>
            this.delete(t, ns, pod.metadata.name, {}, new URLSearchParams(), dryRun),
          );
          return sendJson(res, 201, { ...successStatus({}), code: 201 });
        }
        if (p.name) throw methodNotAllowed();
        const created = this.create(t, ns, parseBody(body, contentType) as KObject, manager, dryRun);
        return sendJson(res, 201, this.render(t, created));
      }
      case 'update':
        return sendJson(
          res,
          200,
          this.update(t, ns, p, parseBody(body, contentType) as KObject, manager, dryRun),
        );
      case 'patch':
        return this.patch(res, t, ns, p, q, body, contentType, manager, dryRun);
      case 'delete':
        return sendJson(
          res,
          200,
          this.delete(t, ns, p.name!, body.length ? (parseBody(body, contentType) as Any) : {}, q, dryRun),
        );
      case 'deletecollection': {
        const opts = body.length ? (parseBody(body, contentType) as Any) : {};
        const matches = this.matcher(t, ns, q);
        for (const o of this.d.store.list(this.storage(t), { namespace: ns, filter: matches })) {
          this.delete(t, o.metadata.namespace, o.metadata.name, opts, q, dryRun);
        }
        return sendJson(res, 200, successStatus({ group: t.group, kind: t.resource }));
      }
    }
  }

  private storage(t: ResourceType): ResourceType {
    return this.d.registry.storageType(t);
  }

  /** The object as the requested version shows it (custom resources may be stored under another version). */
  private render(t: ResourceType, o: KObject): KObject {
    return { ...o, apiVersion: gvString(t), kind: t.kind };
  }

  private matcher(t: ResourceType, ns: string | undefined, q: URLSearchParams): (o: KObject) => boolean {
    const labels = parseLabelSelector(q.get('labelSelector'));
    const fields = parseFieldSelector(q.get('fieldSelector'), isCustom(t) ? '' : t.kind);
    return (o) => (ns === undefined || o.metadata.namespace === ns) && labels(o) && fields(o);
  }

  private includeObject(q: URLSearchParams): IncludeObject {
    const v = q.get('includeObject');
    return v === 'None' || v === 'Object' ? v : 'Metadata';
  }

  private list(req: IncomingMessage, t: ResourceType, ns: string | undefined, q: URLSearchParams): Any {
    const all = this.d.store
      .list(this.storage(t), { namespace: ns, filter: this.matcher(t, ns, q) })
      .map((o) => this.render(t, o));
    let items = all;
    const meta: Any = { resourceVersion: this.d.store.resourceVersion };
    const limit = Number(q.get('limit') ?? 0);
    const cont = q.get('continue');
    let start = 0;
    if (cont) {
      try {
        const token = JSON.parse(Buffer.from(cont, 'base64').toString('utf8')) as {
          start: number;
          rv: string;
        };
        start = token.start;
        meta.resourceVersion = token.rv;
      } catch {
        throw badRequest(
          'continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)',
        );
      }
    }
    if (limit > 0 || start > 0) {
      items = all.slice(start, limit > 0 ? start + limit : undefined);
      const next = start + items.length;
      if (limit > 0 && next < all.length) {
        meta.continue = Buffer.from(JSON.stringify({ start: next, rv: meta.resourceVersion })).toString(
          'base64',
        );
        meta.remainingItemCount = all.length - next;
      }
    }
    if (wantsTable(req.headers.accept)) return toTable(t, items, this.d.now(), this.includeObject(q), meta);
    return { kind: `${t.kind}List`, apiVersion: gvString(t), metadata: meta, items };
  }

  private get(
    req: IncomingMessage,
    t: ResourceType,
    ns: string | undefined,
    p: ApiPath,
    q: URLSearchParams,
  ): Any {
    const o = this.render(t, this.d.store.mustGet(this.storage(t), ns, p.name!));
    if (p.subresource === 'scale') return toScale(t, o);
    if (wantsTable(req.headers.accept))
      return toTable(t, [o], this.d.now(), this.includeObject(q), {
        resourceVersion: o.metadata.resourceVersion,
      });
    return o;
  }

  private watch(
    req: IncomingMessage,
    res: ServerResponse,
    t: ResourceType,
    ns: string | undefined,
    p: ApiPath,
    q: URLSearchParams,
    dropAfterMs?: number,
  ): void {
    const base = this.matcher(t, ns, q);
    const matches = p.name ? (o: KObject) => o.metadata.name === p.name && base(o) : base;
    const table = wantsTable(req.headers.accept);
    const include = this.includeObject(q);
    const timeout = q.get('timeoutSeconds');
    this.openWatches.add(res);
    serveWatch(res, {
      store: this.d.store,
      type: this.storage(t),
      matches,
      resourceVersion: q.get('resourceVersion') ?? '',
      timeoutMs: timeout && /^\d+$/.test(timeout) ? Number(timeout) * 1000 : undefined,
      sendInitialEvents: q.get('sendInitialEvents') === 'true',
      allowBookmarks: q.get('allowWatchBookmarks') === 'true',
      bookmarkIntervalMs: this.d.bookmarkIntervalMs ?? 60_000,
      dropAfterMs,
      render: (o, first) => {
        const obj = this.render(t, o);
        if (!table) return obj;
        const tbl = toTable(t, [obj], this.d.now(), include, {
          resourceVersion: obj.metadata.resourceVersion,
        });
        if (!first) tbl.columnDefinitions = [];
        return tbl;
      },
      onClose: () => this.openWatches.delete(res),
    });
  }

  private checkNamespace(t: ResourceType, ns: string | undefined, obj: KObject): void {
    if (!t.namespaced) return;
    if (obj.metadata.namespace && ns && obj.metadata.namespace !== ns) {
      throw badRequest(
        'the namespace of the provided object does not match the namespace sent on the request',
      );
    }
    obj.metadata.namespace = ns;
    if (!this.d.store.get(R.namespaces, undefined, ns!)) {
      throw new ApiError(404, 'NotFound', `namespaces "${ns}" not found`, { name: ns, kind: 'namespaces' });
    }
    const nsObj = this.d.store.get(R.namespaces, undefined, ns!);
    if ((nsObj?.status as Any | undefined)?.phase === 'Terminating') {
      throw new ApiError(
        403,
        'Forbidden',
        `${t.resource} "${obj.metadata.name}" is forbidden: unable to create new content in namespace ${ns} because it is being terminated`,
      );
    }
  }

  private checkKind(t: ResourceType, obj: KObject): void {
    if (!obj || typeof obj !== 'object' || !obj.metadata || typeof obj.metadata !== 'object') {
      throw badRequest(`Object '${'metadata'}' is missing in '${JSON.stringify(obj)?.slice(0, 200)}'`);
    }
    if (obj.kind && obj.kind !== t.kind)
      throw badRequest(`the kind in the data (${obj.kind}) does not match the expected kind (${t.kind})`);
    if (obj.apiVersion && obj.apiVersion !== gvString(t)) {
      throw badRequest(
        `the API version in the data (${obj.apiVersion}) does not match the expected API version (${gvString(t)})`,
      );
    }
    obj.apiVersion = gvString(t);
    obj.kind = t.kind;
  }

  /** `manager` '' means the caller already recorded managedFields (server-side apply creating the object). */
  private create(
    t: ResourceType,
    ns: string | undefined,
    obj: KObject,
    manager: string,
    dryRun: boolean,
  ): KObject {
    this.checkKind(t, obj);
    this.checkNamespace(t, ns, obj);
    for (const k of ['uid', 'resourceVersion', 'generation', 'creationTimestamp', 'deletionTimestamp'])
      delete obj.metadata[k];
    if (manager) delete obj.metadata.managedFields;
    if (!obj.metadata.name && !obj.metadata.generateName) {
      throw new ApiError(
        422,
        'Invalid',
        `${t.kind} "" is invalid: metadata.name: Required value: name or generateName is required`,
        {
          kind: t.kind,
          causes: [
            {
              reason: 'FieldValueRequired',
              message: 'Required value: name or generateName is required',
              field: 'metadata.name',
            },
          ],
        },
      );
    }
    this.validate(t, obj);
    // As upstream's PrepareForCreate: status is the controllers' to write, through the status subresource.
    // Nodes are the exception (nodeStrategy keeps it): a kubelet registers its node with its status.
    if ((t.subresources ?? []).includes('status') && !(t.group === '' && t.resource === 'nodes'))
      delete obj.status;
    applyDefaults(obj, this.ips);
    if (manager) trackUpdate(t.kind, undefined, obj, manager, gvString(t), this.stamp());
    if (dryRun) {
      if (obj.metadata.name && this.d.store.get(this.storage(t), ns, obj.metadata.name)) {
        throw new ApiError(
          409,
          'AlreadyExists',
          `${groupResource(t)} "${obj.metadata.name}" already exists`,
          { name: obj.metadata.name, group: t.group, kind: t.resource },
        );
      }
      obj.metadata.uid = randomUUID();
      obj.metadata.creationTimestamp = this.stamp();
      if (t.generation) obj.metadata.generation = 1;
      return obj;
    }
    return this.d.store.create(this.storage(t), obj);
  }

  /** The few validations kubectl users meet first, with the API server's wording. */
  private validate(t: ResourceType, obj: KObject): void {
    const name = obj.metadata.name;
    if (name && !/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(name) && t.kind !== 'Event') {
      throw new ApiError(
        422,
        'Invalid',
        `${t.kind} "${name}" is invalid: metadata.name: Invalid value: "${name}": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`,
        { name, kind: t.kind },
      );
    }
    const spec = obj.spec as Any | undefined;
    if (['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet'].includes(t.kind) && spec) {
      const selector = spec.selector as StructuredSelector | undefined;
      const labels = spec.template?.metadata?.labels ?? {};
      if (
        !selector ||
        (!Object.keys(selector.matchLabels ?? {}).length && !(selector.matchExpressions ?? []).length)
      ) {
        throw new ApiError(
          422,
          'Invalid',
          `${t.kind}.apps "${name}" is invalid: spec.selector: Required value`,
          { name, group: 'apps', kind: t.kind },
        );
      }
      const mismatch = Object.entries(selector.matchLabels ?? {}).some(([k, v]) => labels[k] !== v);
      if (mismatch) {
        throw new ApiError(
          422,
          'Invalid',
          `${t.kind}.apps "${name}" is invalid: spec.template.metadata.labels: Invalid value: map[string]string{${Object.entries(
            labels,
          )
            .map(([k, v]) => `"${k}":"${v}"`)
            .join(', ')}}: \`selector\` does not match template \`labels\``,
          { name, group: 'apps', kind: t.kind },
        );
      }
      if (typeof spec.replicas === 'number' && spec.replicas < 0) {
        throw new ApiError(
          422,
          'Invalid',
          `${t.kind}.apps "${name}" is invalid: spec.replicas: Invalid value: ${spec.replicas}: must be greater than or equal to 0`,
          { name, group: 'apps', kind: t.kind },
        );
      }
    }
  }

  private stamp(): string {
    return this.d
      .now()
      .toISOString()
      .replace(/\.\d+Z$/, 'Z');
  }

  /**
   * Writes a new version of an object through the rules every write path shares: the main resource cannot
   * change status, the status subresource changes nothing else, spec changes bump `generation`, and an
   * object whose last finalizer is removed while it is being deleted goes away.
   */
  private write(
    t: ResourceType,
    live: KObject,
    next: KObject,
    sub: string | undefined,
    dryRun: boolean,
  ): KObject {
    const st = this.storage(t);
    let result: KObject;
    if (sub === 'status') {
      result = { ...structuredClone(live), status: next.status };
      result.metadata.resourceVersion = next.metadata.resourceVersion;
    } else {
      result = next;
      if ((t.subresources ?? []).includes('status')) {
        if (live.status === undefined) delete result.status;
        else result.status = structuredClone(live.status);
      }
    }
    result.metadata.name = live.metadata.name;
    if (result.metadata.uid && result.metadata.uid !== live.metadata.uid) {
      throw new ApiError(
        409,
        'Conflict',
        `Precondition failed: UID in precondition: ${result.metadata.uid}, UID in object meta: ${live.metadata.uid}`,
      );
    }
    if (sub !== 'status') {
      // The allocated ClusterIP stays (immutable, and an update that omits it keeps it).
      const liveSpec = live.spec as Record<string, unknown> | undefined;
      const nextSpec = result.spec as Record<string, unknown> | undefined;
      if (liveSpec?.clusterIP && nextSpec && nextSpec.clusterIP === undefined) {
        nextSpec.clusterIP = liveSpec.clusterIP;
        nextSpec.clusterIPs ??= liveSpec.clusterIPs;
      }
      // Every write is decoded and defaulted, not only a create: an update or apply that leaves a field
      // out gets the default, as a real API server gives it.
      applyDefaults(result, this.ips);
      this.validate(t, result);
    }
    const bump = st.generation === true && specOf(live) !== specOf(result);
    if (dryRun) {
      if (bump) result.metadata.generation = (live.metadata.generation ?? 1) + 1;
      return this.render(t, result);
    }
    const stored = this.d.store.update(st, result, { bumpGeneration: bump });
    if (stored.metadata.deletionTimestamp && !(stored.metadata.finalizers ?? []).length) {
      this.d.store.delete(st, stored.metadata.namespace, stored.metadata.name);
    }
    return this.render(t, stored);
  }

  private update(
    t: ResourceType,
    ns: string | undefined,
    p: ApiPath,
    obj: KObject,
    manager: string,
    dryRun: boolean,
  ): Any {
    const live = this.d.store.mustGet(this.storage(t), ns, p.name!);
    if (p.subresource === 'scale') return toScale(t, this.setReplicas(t, live, obj as Any, manager, dryRun));
    this.checkKind(t, obj);
    if (obj.metadata.name !== p.name) {
      throw badRequest(
        `the name of the object (${obj.metadata.name}) does not match the name on the URL (${p.name})`,
      );
    }
    if (t.namespaced) {
      if (obj.metadata.namespace && obj.metadata.namespace !== ns) {
        throw badRequest(
          'the namespace of the provided object does not match the namespace sent on the request',
        );
      }
      obj.metadata.namespace = ns;
    }
    if (!obj.metadata.managedFields) obj.metadata.managedFields = live.metadata.managedFields;
    if (p.subresource !== 'status') trackUpdate(t.kind, live, obj, manager, gvString(t), this.stamp());
    return this.write(t, live, obj, p.subresource, dryRun);
  }

  private setReplicas(t: ResourceType, live: KObject, scale: Any, manager: string, dryRun: boolean): KObject {
    const replicas = scale?.spec?.replicas;
    if (typeof replicas !== 'number' || replicas < 0 || !Number.isInteger(replicas)) {
      throw new ApiError(
        422,
        'Invalid',
        `Scale.autoscaling "${live.metadata.name}" is invalid: spec.replicas: Invalid value: ${JSON.stringify(replicas)}: must be greater than or equal to 0`,
      );
    }
    const rv = scale?.metadata?.resourceVersion;
    if (rv && rv !== live.metadata.resourceVersion) {
      throw new ApiError(
        409,
        'Conflict',
        `Operation cannot be fulfilled on ${groupResource(t)} "${live.metadata.name}": the object has been modified; please apply your changes to the latest version and try again`,
      );
    }
    const next = structuredClone(live);
    (next.spec as Any) = { ...((next.spec as Any) ?? {}), replicas };
    trackUpdate(t.kind, live, next, manager, gvString(t), this.stamp(), 'scale');
    return this.write(t, live, next, undefined, dryRun);
  }

  private patch(
    res: ServerResponse,
    t: ResourceType,
    ns: string | undefined,
    p: ApiPath,
    q: URLSearchParams,
    body: Buffer,
    contentType: string,
    manager: string,
    dryRun: boolean,
  ): void {
    const type = contentType.split(';')[0].trim();
    const st = this.storage(t);
    const live = this.d.store.get(st, ns, p.name!);
    const isApply = type === 'application/apply-patch+yaml' || type === 'application/apply-patch+cbor';
    if (!live && !(isApply && !p.subresource)) throw notFound(t, p.name!);
    const patch = parseBody(body, isApply ? 'yaml' : contentType);

    if (isApply) {
      const applied = patch as KObject;
      this.checkKind(t, applied);
      if (applied.metadata.name && applied.metadata.name !== p.name) {
        throw badRequest(
          `the name of the object (${applied.metadata.name}) does not match the name on the URL (${p.name})`,
        );
      }
      applied.metadata.name = p.name!;
      if (t.namespaced) {
        if (applied.metadata.namespace && applied.metadata.namespace !== ns) {
          throw badRequest(
            'the namespace of the provided object does not match the namespace sent on the request',
          );
        }
        applied.metadata.namespace = ns;
      }
      const force = q.get('force') === 'true';
      const fieldManager = q.get('fieldManager') ?? '';
      if (p.subresource === 'status') {
        const merged = serverSideApply(t.kind, live!, { ...applied, status: undefined } as KObject, {
          manager: fieldManager,
          force,
          apiVersion: gvString(t),
          now: this.stamp(),
        });
        return sendJson(
          res,
          200,
          this.write(
            t,
            live!,
            { ...merged, status: applied.status ?? live!.status } as KObject,
            'status',
            dryRun,
          ),
        );
      }
      const merged = serverSideApply(t.kind, live, applied, {
        manager: fieldManager,
        force,
        apiVersion: gvString(t),
        now: this.stamp(),
      });
      if (!live) return sendJson(res, 201, this.render(t, this.create(t, ns, merged, '', dryRun)));
      return sendJson(res, 200, this.write(t, live, merged, undefined, dryRun));
    }

    const current: unknown =
      p.subresource === 'scale' ? toScale(t, this.render(t, live!)) : this.render(t, live!);
    let patched: Any;
    switch (type) {
      case 'application/json-patch+json':
        patched = applyJsonPatch(current, patch) as Any;
        break;
      case 'application/merge-patch+json':
        patched = applyMergePatch(current, patch) as Any;
        break;
      case 'application/strategic-merge-patch+json':
        if (isCustom(t)) {
          throw new ApiError(
            415,
            'UnsupportedMediaType',
            `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml`,
          );
        }
        patched = applyStrategicMergePatch(
          p.subresource === 'scale' ? 'Scale' : t.kind,
          current,
          patch,
        ) as Any;
        break;
      default:
        throw new ApiError(
          415,
          'UnsupportedMediaType',
          `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json`,
        );
    }
    if (!patched || typeof patched !== 'object' || !patched.metadata)
      throw badRequest('the patched object is not a Kubernetes object');
    if (p.subresource === 'scale')
      return sendJson(res, 200, toScale(t, this.setReplicas(t, live!, patched, manager, dryRun)));
    // A patch that does not name a resourceVersion applies to whatever is current.
    const patchRv = (patch as Any)?.metadata?.resourceVersion;
    patched.metadata.resourceVersion = typeof patchRv === 'string' ? patchRv : live!.metadata.resourceVersion;
    if (patched.metadata.name !== live!.metadata.name)
      throw badRequest('metadata.name: Invalid value: the name of an object cannot be changed by a patch');
    patched.metadata.namespace = live!.metadata.namespace;
    if (p.subresource !== 'status')
      trackUpdate(t.kind, live!, patched as KObject, manager, gvString(t), this.stamp());
    return sendJson(res, 200, this.write(t, live!, patched as KObject, p.subresource, dryRun));
  }

  private delete(
    t: ResourceType,
    ns: string | undefined,
    name: string,
    opts: Any,
    q: URLSearchParams,
    dryRun: boolean,
  ): Any {
    const st = this.storage(t);
    const live = this.d.store.mustGet(st, ns, name);
    const pre = opts?.preconditions ?? {};
    if (pre.uid && pre.uid !== live.metadata.uid) {
      throw new ApiError(
        409,
        'Conflict',
        `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${live.metadata.uid}`,
      );
    }
    if (pre.resourceVersion && pre.resourceVersion !== live.metadata.resourceVersion) {
      throw new ApiError(
        409,
        'Conflict',
        `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${live.metadata.resourceVersion}`,
      );
    }
    const details = { name, group: t.group, kind: t.resource, uid: live.metadata.uid };
    if (dryRun) return successStatus(details);
    let policy = (opts?.propagationPolicy ?? q.get('propagationPolicy') ?? undefined) as
      Propagation | undefined;
    if (opts?.orphanDependents === true || q.get('orphanDependents') === 'true') policy = 'Orphan';
    if (policy && !['Orphan', 'Background', 'Foreground'].includes(policy)) {
      throw new ApiError(
        422,
        'Invalid',
        `DeleteOptions.meta.k8s.io "" is invalid: propagationPolicy: Unsupported value: "${policy}": supported values: "Foreground", "Background", "Orphan", "nil"`,
      );
    }
    if ((live.metadata.finalizers ?? []).length) {
      if (!live.metadata.deletionTimestamp) {
        const marked = structuredClone(live);
        marked.metadata.deletionTimestamp = this.stamp();
        marked.metadata.deletionGracePeriodSeconds = 0;
        const stored = this.d.store.update(st, marked);
        return this.render(t, stored);
      }
      return this.render(t, live);
    }
    const isPod = t.resource === 'pods' && !t.group;
    const grace = Number(opts?.gracePeriodSeconds ?? q.get('gracePeriodSeconds') ?? NaN);
    if (isPod && this.d.gracefulPodDeletion && grace !== 0) {
      if (live.metadata.deletionTimestamp) return this.render(t, live);
      const marked = structuredClone(live);
      marked.metadata.deletionTimestamp = this.stamp();
      marked.metadata.deletionGracePeriodSeconds = Number.isFinite(grace)
        ? grace
        : ((live.spec as Any | undefined)?.terminationGracePeriodSeconds ?? 30);
      return this.render(t, this.d.store.update(st, marked));
    }
    deleteWithPropagation(this.d.store, this.d.registry, st, live, policy ?? 'Background');
    return successStatus(details);
  }
}

/** Everything but metadata and status: a change here is a spec change that bumps `generation`. */
function specOf(o: KObject): string {
  const { metadata: _m, status: _s, ...rest } = o;
  return JSON.stringify(rest);
}

/** The `autoscaling/v1` Scale view of a workload, as the `scale` subresource returns it. */
export function toScale(t: ResourceType, o: KObject): Any {
  const spec = (o.spec ?? {}) as Any;
  const status = (o.status ?? {}) as Any;
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: {
      name: o.metadata.name,
      namespace: o.metadata.namespace,
      uid: o.metadata.uid,
      resourceVersion: o.metadata.resourceVersion,
      creationTimestamp: o.metadata.creationTimestamp,
    },
    spec: { replicas: spec.replicas ?? 0 },
    status: {
      replicas: status.replicas ?? 0,
      ...(spec.selector ? { selector: formatLabelSelector(spec.selector).replace(/^<none>$/, '') } : {}),
    },
  };
}
