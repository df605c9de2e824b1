import { isDeepStrictEqual } from 'node:util';
import type { Logger } from '@upgrade-actions/common';
import { ConfigurationError, silentLogger } from '@upgrade-actions/common';
import type { KubeClient } from './client';
import { type Clock, sleep, systemClock } from './clock';
import { Discovery, kindGroup, resourcePath, type ResourceInfo } from './discovery';
import { KubeApiError } from './errors';
import { kindRank, type Manifest, orderManifests } from './manifests';
import type { KubeObject } from './types';

export interface ApplyOptions {
  fieldManager: string;
  /** Namespace for namespaced objects that name none (kubectl's default namespace). */
  namespace: string;
  /** With `-n` given explicitly, an object naming another namespace is an error, as in kubectl. */
  enforceNamespace?: boolean;
  /** Take ownership of conflicting fields (`--force-conflicts`). Default true, as pipelines own their manifests. */
  force?: boolean;
  dryRun?: boolean;
  logger?: Logger;
  clock?: Clock;
  /** Objects applied at once within one dependency tier (default 8; 1 applies strictly in order). */
  concurrency?: number;
  /** How long to wait for the kinds of a CRD applied in the same run to be served. */
  crdWaitMs?: number;
}

export type ApplyAction = 'created' | 'configured' | 'unchanged';

export interface ApplyResult {
  /** `deployment.apps/web`. */
  name: string;
  namespace?: string;
  action: ApplyAction;
  object: KubeObject;
  /** kubectl --server-side's line: `deployment.apps/web serverside-applied`. */
  line: string;
}

/**
 * Server-side apply of manifests in dependency order (see orderManifests): one
 * `PATCH ...?fieldManager=X&force=true` with `application/apply-patch+yaml` per object, namespaces
 * defaulted. Whether each object was created, configured or left unchanged comes from the answer's
 * status (201) and a comparison with one list per resource and namespace taken beforehand, so the
 * per-object cost stays one request.
 */
export async function applyManifests(
  client: KubeClient,
  manifests: Manifest[],
  opts: ApplyOptions,
  discovery = new Discovery(client),
): Promise<ApplyResult[]> {
  const logger = opts.logger ?? silentLogger;
  const clock = opts.clock ?? systemClock;
  const ordered = orderManifests(manifests);
  const crdKinds = new Set(
    ordered
      .filter((m) => m.object.kind === 'CustomResourceDefinition')
      .map((m) => {
        const spec = (m.object as { spec?: { group?: string; names?: { kind?: string } } }).spec;
        return `${spec?.group ?? ''}/${spec?.names?.kind ?? ''}`;
      }),
  );

  // Resolve every object's resource and namespace before changing anything.
  const planned: { m: Manifest; info?: ResourceInfo; ns?: string }[] = [];
  for (const m of ordered) {
    const info = await discovery.forKind(m.object.apiVersion!, m.object.kind!);
    const group = m.object.apiVersion!.includes('/') ? m.object.apiVersion!.split('/')[0] : '';
    if (!info && !crdKinds.has(`${group}/${m.object.kind}`)) {
      throw new ConfigurationError(
        `manifests: ${m.source}: document ${m.document}: the server has no resource for ${m.object.apiVersion} ${m.object.kind}`,
      );
    }
    if (!m.object.metadata?.name) {
      throw new ConfigurationError(
        `manifests: ${m.source}: document ${m.document}: metadata.name is required`,
      );
    }
    planned.push({ m, info, ns: namespaceFor(m, info, opts) });
  }

  // Existing resourceVersions, one list per resource and namespace.
  const before = new Map<string, KubeObject>();
  const listed = new Set<string>();
  for (const p of planned) {
    if (!p.info) continue;
    const key = `${p.info.group}/${p.info.resource}/${p.ns ?? ''}`;
    if (listed.has(key)) continue;
    listed.add(key);
    try {
      const list = await client.get<{ items?: KubeObject[] }>(resourcePath(p.info, p.ns));
      for (const o of list.items ?? []) before.set(`${key}/${o.metadata?.name}`, o);
    } catch (e) {
      if (!(e instanceof KubeApiError)) throw e;
      logger.debug(`could not list ${key}: ${e.message}`);
    }
  }

  const applyOne = async (p: (typeof planned)[number]): Promise<ApplyResult> => {
    const info = p.info ?? (await waitForKind(discovery, p.m.object, clock, opts.crdWaitMs ?? 15_000));
    const body = structuredClone(p.m.object);
    if (info.namespaced) body.metadata = { ...body.metadata, namespace: p.ns };
    const name = body.metadata!.name!;
    let answer: { status: number; body: KubeObject };
    try {
      answer = await client.requestWithStatus<KubeObject>('PATCH', resourcePath(info, p.ns, name), {
        body,
        contentType: 'application/apply-patch+yaml',
        query: {
          fieldManager: opts.fieldManager,
          force: opts.force ?? true,
          dryRun: opts.dryRun ? 'All' : undefined,
        },
      });
    } catch (e) {
      if (e instanceof KubeApiError) {
        throw new KubeApiError(
          e.code,
          e.reason,
          `${e.serverMessage} (${p.m.source}: document ${p.m.document})`,
          e.status,
        );
      }
      throw e;
    }
    const key = `${info.group}/${info.resource}/${p.ns ?? ''}/${name}`;
    const previous = before.get(key);
    const action: ApplyAction =
      answer.status === 201 || previous === undefined
        ? 'created'
        : sameDesiredState(previous, answer.body)
          ? 'unchanged'
          : 'configured';
    if (p.m.object.kind === 'CustomResourceDefinition') discovery.forget();
    const display = `${kindGroup(info)}/${name}`;
    const line = `${display} serverside-applied${opts.dryRun ? ' (server dry run)' : ''}`;
    logger.debug(`${line} (${action})`);
    return {
      name: display,
      namespace: info.namespaced ? p.ns : undefined,
      action,
      object: answer.body,
      line,
    };
  };

  // Objects of one dependency tier do not need each other: apply them a few at a time. Tiers stay
  // in order, so a namespace or CRD exists before anything that lives in it.
  const results: ApplyResult[] = [];
  const concurrency = Math.max(1, opts.concurrency ?? 8);
  for (let i = 0; i < planned.length;) {
    const rank = kindRank(planned[i].m.object.kind);
    let j = i;
    while (j < planned.length && kindRank(planned[j].m.object.kind) === rank) j++;
    const tier = planned.slice(i, j);
    const out: ApplyResult[] = new Array(tier.length);
    let next = 0;
    const worker = async () => {
      while (next < tier.length) {
        const k = next++;
        out[k] = await applyOne(tier[k]);
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, tier.length) }, worker));
    results.push(...out);
    i = j;
  }
  return results;
}

function namespaceFor(m: Manifest, info: ResourceInfo | undefined, opts: ApplyOptions): string | undefined {
  if (info && !info.namespaced) return undefined;
  const own = m.object.metadata?.namespace;
  if (own && opts.enforceNamespace && own !== opts.namespace) {
    throw new ConfigurationError(
      `the namespace from the provided object "${own}" does not match the namespace "${opts.namespace}". You must pass '--namespace=${own}' to perform this operation.`,
    );
  }
  return own || opts.namespace;
}

/** A custom resource whose CRD was applied moments ago: wait until discovery serves its kind. */
async function waitForKind(
  discovery: Discovery,
  obj: KubeObject,
  clock: Clock,
  limitMs: number,
): Promise<ResourceInfo> {
  const start = clock.now();
  for (let delay = 100; ; delay = Math.min(delay * 2, 1000)) {
    discovery.forget(obj.apiVersion);
    const info = await discovery.forKind(obj.apiVersion!, obj.kind!);
    if (info) return info;
    if (clock.now() - start > limitMs) {
      throw new ConfigurationError(
        `the server does not serve ${obj.apiVersion} ${obj.kind} although its CRD was applied`,
      );
    }
    await sleep(clock, delay);
  }
}

/**
 * Whether an apply left the object as it was: everything but status and server bookkeeping is equal.
 * A resourceVersion comparison would call an object "configured" whenever a controller wrote its
 * status in between (a Deployment mid-rollout), which says nothing about what the apply did.
 */
function sameDesiredState(before: KubeObject, after: KubeObject): boolean {
  const strip = (o: KubeObject) => {
    // List items carry no apiVersion/kind on a real API server; the apply answer does.
    const {
      status: _status,
      metadata,
      apiVersion: _a,
      kind: _k,
      ...rest
    } = o as KubeObject & { status?: unknown };
    const { resourceVersion: _rv, managedFields: _mf, generation: _g, ...meta } = metadata ?? {};
    return { ...rest, metadata: meta };
  };
  return isDeepStrictEqual(strip(before), strip(after));
}
