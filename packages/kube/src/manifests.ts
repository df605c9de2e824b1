import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { ConfigurationError } from '@upgrade-actions/common';
import { globFiles } from './glob';
import type { KubeObject } from './types';

/** One object read from a manifest, with where it came from for error messages. */
export interface Manifest {
  object: KubeObject;
  /** File path (or `<stdin>` / a label), and 1-based document index within it. */
  source: string;
  document: number;
}

const MANIFEST_EXT = /\.(ya?ml|json)$/i;

/**
 * The files named by `-f`-style arguments: files as given, directories' manifest files (sorted;
 * recursive on request, as `kubectl apply -R`), and glob patterns. A name matching nothing is a
 * ConfigurationError.
 */
export function manifestFiles(
  patterns: string[],
  opts: { cwd?: string; recursive?: boolean } = {},
): string[] {
  const cwd = opts.cwd ?? process.cwd();
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) =>
      a.name < b.name ? -1 : 1,
    )) {
      const p = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (opts.recursive) walk(p);
      } else if (MANIFEST_EXT.test(entry.name)) out.push(p);
    }
  };
  for (const pattern of patterns) {
    const abs = path.resolve(cwd, pattern);
    if (existsSync(abs)) {
      if (statSync(abs).isDirectory()) walk(abs);
      else out.push(abs);
      continue;
    }
    if (/[*?[{]/.test(pattern)) {
      const matches = globFiles(pattern, cwd);
      if (matches.length > 0) {
        out.push(...matches);
        continue;
      }
    }
    throw new ConfigurationError(`manifests: "${pattern}" matches no file or directory`);
  }
  return [...new Set(out)];
}

/**
 * Parses one manifest text: multi-document YAML or JSON; `kind: List` (and `*List` kinds with
 * items) flattened; empty documents skipped. A YAML error or an object without apiVersion or kind
 * is a ConfigurationError naming the source and the document number.
 */
export function parseManifests(text: string, source: string): Manifest[] {
  const out: Manifest[] = [];
  const docs = parseAllDocuments(text);
  const list = Array.isArray(docs) ? docs : [docs];
  list.forEach((doc, i) => {
    const document = i + 1;
    if (doc.errors.length > 0) {
      const first = doc.errors[0].message.split('\n')[0];
      throw new ConfigurationError(`manifests: ${source}: document ${document}: invalid YAML: ${first}`);
    }
    const value = doc.toJS({ maxAliasCount: 100 }) as unknown;
    if (value === null || value === undefined) return;
    if (typeof value !== 'object' || Array.isArray(value)) {
      throw new ConfigurationError(
        `manifests: ${source}: document ${document}: expected an object with apiVersion and kind`,
      );
    }
    push(value as KubeObject, document);
  });
  return out;

  function push(obj: KubeObject, document: number) {
    if (!obj.apiVersion || !obj.kind) {
      const missing = [!obj.apiVersion && 'apiVersion', !obj.kind && 'kind'].filter(Boolean).join(' and ');
      throw new ConfigurationError(`manifests: ${source}: document ${document}: object has no ${missing}`);
    }
    if (obj.kind.endsWith('List') && Array.isArray((obj as { items?: unknown }).items)) {
      for (const item of (obj as { items: KubeObject[] }).items) push(item, document);
      return;
    }
    out.push({ object: obj, source, document });
  }
}

/** Reads and parses every file named by the patterns. */
export function loadManifests(
  patterns: string[],
  opts: { cwd?: string; recursive?: boolean } = {},
): Manifest[] {
  return manifestFiles(patterns, opts).flatMap((f) => parseManifests(readFileSync(f, 'utf8'), f));
}

/**
 * Apply order, so that what an object needs exists before it: namespaces and CRDs, then identity
 * and access, then configuration and storage, then workloads, then what routes to them. Kinds not
 * listed go last; the order among equals is the order given.
 */
const KIND_ORDER = [
  ['Namespace'],
  ['CustomResourceDefinition'],
  [
    'PriorityClass',
    'StorageClass',
    'ResourceQuota',
    'LimitRange',
    'PodSecurityPolicy',
    'PodDisruptionBudget',
  ],
  ['ServiceAccount'],
  ['ClusterRole', 'Role'],
  ['ClusterRoleBinding', 'RoleBinding'],
  ['ConfigMap', 'Secret'],
  ['PersistentVolume', 'PersistentVolumeClaim'],
  ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'CronJob', 'Pod', 'ReplicationController'],
  ['HorizontalPodAutoscaler'],
  ['Service'],
  ['Ingress', 'IngressClass', 'Gateway', 'HTTPRoute', 'NetworkPolicy'],
  ['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration', 'APIService'],
];
const RANK = new Map(KIND_ORDER.flatMap((kinds, rank) => kinds.map((k) => [k, rank] as const)));

export function kindRank(kind: string | undefined): number {
  return RANK.get(kind ?? '') ?? KIND_ORDER.length;
}

/** A stable sort of manifests into apply order. */
export function orderManifests<T extends { object: KubeObject }>(manifests: T[]): T[] {
  return manifests
    .map((m, i) => ({ m, i, r: kindRank(m.object.kind) }))
    .sort((a, b) => a.r - b.r || a.i - b.i)
    .map((x) => x.m);
}
