import { ConfigurationError } from '@upgrade-actions/common';

/**
 * How the containers of an image behave in the simulator. Times are simulated milliseconds, counted
 * from the moment the pod is scheduled (`startDelayMs`) or the container starts (the others).
 */
export interface PodBehaviour {
  /** Scheduling → container running and (if `ready`) Ready. Default 1000. */
  startDelayMs?: number;
  /** false: the container runs but its readiness probe never passes. Default true. */
  ready?: boolean;
  /** The container exits with code 1 this long after starting, then restarts with CrashLoopBackOff back-off. */
  crashAfterMs?: number;
  /** The container is OOMKilled (exit code 137) this long after starting, then restarts with back-off. */
  oomAfterMs?: number;
  /** The image cannot be pulled: ErrImagePull, then ImagePullBackOff. A string is the registry's message. */
  pullError?: boolean | string;
  /** The container exits with `exitCode` this long after starting (Jobs; for Always pods it restarts). */
  completeAfterMs?: number;
  /** Exit code when the container completes. Default 0. */
  exitCode?: number;
  /** A real local HTTP server (`http://127.0.0.1:port`) that serves this pod through the service proxy. */
  backend?: string;
  /** How long the containers take to stop once the pod is deleted (it shows as Terminating). Default 500. */
  stopDelayMs?: number;
  /** Lines the container writes to its log each time it starts. */
  logs?: string[];
}

/** Where pods write log lines; the API server reads them back for the `log` subresource. */
export interface PodLogSink {
  append(namespace: string, pod: string, container: string, line: string): void;
}

/**
 * Pods behave like this unless the scenario says otherwise: Ready one simulated second after scheduling,
 * gone half a second after deletion.
 */
export const DEFAULT_BEHAVIOUR: Readonly<PodBehaviour> = Object.freeze({
  startDelayMs: 1000,
  ready: true,
  stopDelayMs: 500,
});

/** Run-to-completion pods (restartPolicy Never/OnFailure) without `completeAfterMs` finish after this long. */
export const DEFAULT_COMPLETE_AFTER_MS = 1000;

const NUMBER_FIELDS = [
  'startDelayMs',
  'crashAfterMs',
  'oomAfterMs',
  'completeAfterMs',
  'stopDelayMs',
] as const;
const KNOWN_FIELDS = new Set([...NUMBER_FIELDS, 'ready', 'pullError', 'exitCode', 'backend', 'logs']);

/** Checks one behaviour, naming the image pattern and the field that is wrong. */
export function validateBehaviour(pattern: string, b: unknown): PodBehaviour {
  const where = `scenario for image "${pattern}"`;
  if (typeof b !== 'object' || b === null || Array.isArray(b))
    throw new ConfigurationError(`${where}: expected an object`);
  const o = b as Record<string, unknown>;
  for (const k of Object.keys(o)) {
    if (!KNOWN_FIELDS.has(k)) {
      throw new ConfigurationError(
        `${where}: unknown field "${k}"; accepted: ${[...KNOWN_FIELDS].join(', ')}`,
      );
    }
  }
  for (const k of NUMBER_FIELDS) {
    const v = o[k];
    if (v !== undefined && (typeof v !== 'number' || !Number.isFinite(v) || v < 0)) {
      throw new ConfigurationError(`${where}: ${k} must be a number of milliseconds >= 0`);
    }
  }
  if (o.ready !== undefined && typeof o.ready !== 'boolean')
    throw new ConfigurationError(`${where}: ready must be true or false`);
  if (o.pullError !== undefined && typeof o.pullError !== 'boolean' && typeof o.pullError !== 'string') {
    throw new ConfigurationError(`${where}: pullError must be true, false or a message`);
  }
  if (
    o.exitCode !== undefined &&
    (!Number.isInteger(o.exitCode) || (o.exitCode as number) < 0 || (o.exitCode as number) > 255)
  ) {
    throw new ConfigurationError(`${where}: exitCode must be an integer from 0 to 255`);
  }
  if (o.backend !== undefined) {
    let ok = false;
    try {
      ok = typeof o.backend === 'string' && ['http:', 'https:'].includes(new URL(o.backend).protocol);
    } catch {
      ok = false;
    }
    if (!ok) throw new ConfigurationError(`${where}: backend must be an http:// or https:// URL`);
  }
  if (o.logs !== undefined && (!Array.isArray(o.logs) || o.logs.some((l) => typeof l !== 'string'))) {
    throw new ConfigurationError(`${where}: logs must be a list of strings`);
  }
  return { ...(o as PodBehaviour) };
}

/** The repository part of an image reference: `ghcr.io/org/app:1.2@sha256:…` → `ghcr.io/org/app`. */
function repositoryOf(image: string): string {
  const noDigest = image.split('@')[0];
  const slash = noDigest.lastIndexOf('/');
  const colon = noDigest.lastIndexOf(':');
  return colon > slash ? noDigest.slice(0, colon) : noDigest;
}

function globToRegExp(glob: string): RegExp {
  return new RegExp(
    '^' +
      glob
        .split('*')
        .map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
        .join('.*') +
      '$',
  );
}

/**
 * How specifically `pattern` matches `image`, or -1. Exact beats a bare repository (`nginx` matches
 * every tag of nginx), which beats a glob (`*` matches anything, `/` and `:` included); among globs the
 * one with more literal characters wins.
 */
export function matchSpecificity(pattern: string, image: string): number {
  if (pattern === image) return 1_000_000;
  if (pattern.includes('*'))
    return globToRegExp(pattern).test(image) ? pattern.replace(/\*/g, '').length : -1;
  if (pattern === repositoryOf(pattern) && pattern === repositoryOf(image)) return 500_000;
  return -1;
}

/**
 * The scenario: a table from image patterns to behaviours, changeable at runtime (the API server exposes
 * it for fault injection). Listeners hear about changes, so running pods can pick up a new readiness.
 */
export class Scenario {
  private readonly table = new Map<string, PodBehaviour>();
  private defaults: PodBehaviour;
  private readonly listeners = new Set<() => void>();

  constructor(entries: Record<string, PodBehaviour> = {}, defaults: PodBehaviour = DEFAULT_BEHAVIOUR) {
    this.defaults = validateBehaviour('(default)', defaults);
    for (const [k, v] of Object.entries(entries)) this.table.set(k, validateBehaviour(k, v));
  }

  /** Sets (replaces) the behaviour of images matching `pattern`. */
  set(pattern: string, behaviour: PodBehaviour): void {
    if (!pattern) throw new ConfigurationError('scenario image pattern must not be empty');
    this.table.set(pattern, validateBehaviour(pattern, behaviour));
    this.changed();
  }

  remove(pattern: string): boolean {
    const had = this.table.delete(pattern);
    if (had) this.changed();
    return had;
  }

  /** Replaces the whole table (and optionally the defaults). */
  replace(entries: Record<string, PodBehaviour>, defaults?: PodBehaviour): void {
    const checked = Object.entries(entries).map(([k, v]) => [k, validateBehaviour(k, v)] as const);
    if (defaults) this.defaults = validateBehaviour('(default)', defaults);
    this.table.clear();
    for (const [k, v] of checked) this.table.set(k, v);
    this.changed();
  }

  setDefaults(defaults: PodBehaviour): void {
    this.defaults = validateBehaviour('(default)', defaults);
    this.changed();
  }

  entries(): Record<string, PodBehaviour> {
    return Object.fromEntries([...this.table].map(([k, v]) => [k, { ...v }]));
  }

  getDefaults(): PodBehaviour {
    return { ...this.defaults };
  }

  /** The behaviour of one image: the defaults overlaid with the most specific matching entry. */
  lookup(image: string): PodBehaviour {
    let best: PodBehaviour | undefined;
    let bestScore = -1;
    for (const [pattern, b] of this.table) {
      const score = matchSpecificity(pattern, image);
      if (score > bestScore) [best, bestScore] = [b, score];
    }
    return { ...this.defaults, ...(best ?? {}) };
  }

  onChange(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  private changed(): void {
    for (const l of [...this.listeners]) l();
  }
}
