import { createHash } from 'node:crypto';
import type { ResourceRegistry } from '../registry';
import type { ResourceType } from '../types';

/**
 * Just enough OpenAPI v3 for kubectl: the index of group versions (`/openapi/v3`) and, per group version,
 * the write operations with their GroupVersionKind and a `fieldValidation` query parameter. kubectl checks
 * exactly that to decide the server validates fields itself (so it skips client-side schema validation,
 * which would need the full protobuf OpenAPI v2 document).
 */
function gvPath(group: string, version: string): string {
  return group ? `apis/${group}/${version}` : `api/${version}`;
}

export function openApiIndex(registry: ResourceRegistry): Record<string, unknown> {
  const paths: Record<string, unknown> = {};
  const gvs = new Set(registry.all().map((t) => gvPath(t.group, t.version)));
  for (const gv of gvs) {
    const [group, version] = gv.startsWith('api/') ? ['', gv.slice(4)] : gv.slice(5).split('/');
    const hash = createHash('sha512')
      .update(JSON.stringify(openApiGroupVersion(registry, group, version)))
      .digest('hex')
      .toUpperCase();
    paths[gv] = { serverRelativeURL: `/openapi/v3/${gv}?hash=${hash}` };
  }
  return { paths };
}

const queryParam = (name: string) => ({ name, in: 'query', schema: { type: 'string', uniqueItems: true } });
const WRITE_PARAMS = ['dryRun', 'fieldManager', 'fieldValidation', 'pretty'].map(queryParam);

function operations(t: ResourceType): Record<string, unknown> {
  const gvk = { group: t.group, version: t.version, kind: t.kind };
  const op = (action: string, extra: unknown[] = []) => ({
    operationId: `${action}${t.kind}`,
    'x-kubernetes-action': action,
    'x-kubernetes-group-version-kind': gvk,
    parameters: [...WRITE_PARAMS, ...extra],
    responses: { '200': { description: 'OK' } },
  });
  return {
    get: { ...op('get'), parameters: [queryParam('pretty')] },
    put: op('put'),
    patch: op('patch', [queryParam('force')]),
    delete: op('delete'),
  };
}

export function openApiGroupVersion(
  registry: ResourceRegistry,
  group: string,
  version: string,
): Record<string, unknown> | undefined {
  const types = registry.all().filter((t) => t.group === group && t.version === version);
  if (!types.length) return undefined;
  const prefix = `/${gvPath(group, version)}`;
  const paths: Record<string, unknown> = {};
  for (const t of types) {
    const collection = t.namespaced
      ? `${prefix}/namespaces/{namespace}/${t.resource}`
      : `${prefix}/${t.resource}`;
    paths[collection] = {
      post: {
        operationId: `create${t.kind}`,
        'x-kubernetes-action': 'post',
        'x-kubernetes-group-version-kind': { group: t.group, version: t.version, kind: t.kind },
        parameters: WRITE_PARAMS,
        responses: { '201': { description: 'Created' } },
      },
    };
    paths[`${collection}/{name}`] = operations(t);
  }
  return {
    openapi: '3.0.0',
    info: { title: 'Kubernetes', version: 'v1.32.0' },
    paths,
    components: { schemas: {} },
  };
}
