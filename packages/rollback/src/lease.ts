import { createHash } from 'node:crypto';
import type { Logger } from '@upgrade-actions/common';
import { onCancel, silentLogger } from '@upgrade-actions/common';
import {
  KubeApiError,
  KubeConnectionError,
  isNotFound,
  systemClock,
  untilWithSync,
  type Clock,
  type KubeClient,
  type KubeObject,
} from '@upgrade-actions/kube';

/** coordination.k8s.io/v1 Lease, the fields used. */
export interface Lease extends KubeObject {
  spec?: {
    holderIdentity?: string;
    leaseDurationSeconds?: number;
    acquireTime?: string;
    renewTime?: string;
    leaseTransitions?: number;
  };
}

export type LeaseState = 'free' | 'ours' | 'expired' | 'held';

/**
 * Who may take the lease, as client-go's leader election judges it: nobody holds it (empty holder, as
 * a released lease is left), we already hold it, or the holder stopped renewing for longer than
 * leaseDurationSeconds.
 */
export function leaseState(lease: Lease, identity: string, nowMs: number): LeaseState {
  const holder = lease.spec?.holderIdentity ?? '';
  if (!holder) return 'free';
  if (holder === identity) return 'ours';
  const renewed = Date.parse(lease.spec?.renewTime ?? lease.spec?.acquireTime ?? '');
  const duration = (lease.spec?.leaseDurationSeconds ?? 0) * 1000;
  if (!Number.isFinite(renewed) || renewed + duration <= nowMs) return 'expired';
  return 'held';
}

/** When the current holder's claim runs out, in ms since the epoch. */
export function leaseExpiry(lease: Lease): number {
  const renewed = Date.parse(lease.spec?.renewTime ?? lease.spec?.acquireTime ?? '');
  return (Number.isFinite(renewed) ? renewed : 0) + (lease.spec?.leaseDurationSeconds ?? 0) * 1000;
}

/** Kubernetes MicroTime: RFC 3339 with microseconds. */
export function microTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

/** `upgrade-actions-deployment-web`; hashed down when the name would pass the 253 characters a name may have. */
export function leaseName(kind: string, name: string): string {
  const full = `upgrade-actions-${kind.toLowerCase()}-${name}`;
  if (full.length <= 253) return full;
  const hash = createHash('sha256').update(full).digest('hex').slice(0, 16);
  return `${full.slice(0, 253 - 17)}-${hash}`;
}

/** Pauses between attempts to release a lease: about 3.5 s in all. */
const RELEASE_RETRY_MS = [250, 500, 1000, 1750];

/**
 * Faults that pass and the client does not already retry: a connection refused or cut (an API server
 * restarting), and 409 (someone wrote the lease between our read and write). 429 and 5xx were retried.
 */
function isTransient(e: unknown): boolean {
  return e instanceof KubeConnectionError || (e instanceof KubeApiError && e.code === 409);
}

export class LeaseTimeoutError extends Error {
  override name = 'LeaseTimeoutError';
}

export interface LeaseLockOptions {
  namespace: string;
  name: string;
  identity: string;
  /** How long a holder that stops renewing keeps the lease (a crashed runner). Default 30. */
  durationSeconds?: number;
  clock?: Clock;
  logger?: Logger;
}

/**
 * A lock on one workload through a Lease, so two pipelines never roll the same workload at once:
 * acquire by create (409: someone was first) or by update with the resourceVersion read (409: someone
 * changed it meanwhile) when free or expired; wait by watching the Lease until it is released or its
 * holder's claim runs out; renew every third of the duration while working; release by clearing the
 * holder, as client-go's leader election does.
 */
export class LeaseLock {
  private renewTimer?: NodeJS.Timeout;
  private held = false;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly duration: number;
  private readonly path: string;

  constructor(
    private readonly client: KubeClient,
    private readonly opts: LeaseLockOptions,
  ) {
    this.clock = opts.clock ?? systemClock;
    this.logger = opts.logger ?? silentLogger;
    this.duration = opts.durationSeconds ?? 30;
    this.path = `/apis/coordination.k8s.io/v1/namespaces/${encodeURIComponent(opts.namespace)}/leases`;
  }

  get description(): string {
    return `lease ${this.opts.namespace}/${this.opts.name}`;
  }

  /**
   * Takes the lease, waiting up to `timeoutMs` while another holder has it. Returns how long it waited
   * (0: free at once) and who held it.
   */
  async acquire(timeoutMs: number): Promise<{ waitedMs: number; heldBy?: string }> {
    const start = this.clock.now();
    let heldBy: string | undefined;
    for (;;) {
      let lease: Lease | undefined;
      try {
        lease = await this.client.get<Lease>(`${this.path}/${encodeURIComponent(this.opts.name)}`);
      } catch (e) {
        if (!isNotFound(e)) throw e;
      }
      const now = this.clock.now();
      if (!lease) {
        if (await this.write('POST', this.path, this.fresh(now, 0))) break;
        continue;
      }
      const state = leaseState(lease, this.opts.identity, now);
      if (state !== 'held') {
        const transitions = (lease.spec?.leaseTransitions ?? 0) + (state === 'ours' ? 0 : 1);
        const body = {
          ...this.fresh(now, transitions),
          metadata: { ...lease.metadata, name: this.opts.name },
        };
        if (await this.write('PUT', `${this.path}/${encodeURIComponent(this.opts.name)}`, body)) break;
        continue;
      }
      heldBy = lease.spec?.holderIdentity;
      const left = timeoutMs - (now - start);
      if (left <= 0) {
        throw new LeaseTimeoutError(
          `timed out after ${Math.round(timeoutMs / 1000)}s waiting for ${this.description}, held by ${heldBy}`,
        );
      }
      this.logger.info(`Waiting for ${this.description}, held by ${heldBy}`);
      await this.waitForChange(lease, Math.min(left, Math.max(leaseExpiry(lease) - now, 0) + 50));
    }
    this.held = true;
    // A cancelled step gives the Lease back at once instead of leaving it to expire.
    this.unregisterCancel = onCancel(() => this.release());
    this.renewTimer = setInterval(() => void this.renew(), Math.max((this.duration * 1000) / 3, 100));
    this.renewTimer.unref?.();
    return { waitedMs: this.clock.now() - start, heldBy };
  }

  /** Gives the lease up (best effort: a lease we fail to release expires on its own). */
  private unregisterCancel?: () => void;

  async release(): Promise<void> {
    this.unregisterCancel?.();
    clearInterval(this.renewTimer);
    if (!this.held) return;
    this.held = false;
    // A release that meets a transient fault (the API server restarting, someone's write in between) is
    // tried again for a few seconds — inside the 5 s a cancelled step has — rather than
    // leaving the next run to wait out the lease.
    for (let attempt = 0; ; attempt++) {
      try {
        const lease = await this.client.get<Lease>(`${this.path}/${encodeURIComponent(this.opts.name)}`);
        if (lease.spec?.holderIdentity !== this.opts.identity) return;
        const now = this.clock.now();
        await this.client.request('PUT', `${this.path}/${encodeURIComponent(this.opts.name)}`, {
          body: {
            ...lease,
            spec: { ...lease.spec, holderIdentity: '', leaseDurationSeconds: 1, renewTime: microTime(now) },
          },
        });
        return;
      } catch (e) {
        if (isNotFound(e)) return;
        const delay = RELEASE_RETRY_MS[attempt];
        if (delay === undefined || !isTransient(e)) {
          this.logger.warning(
            `could not release ${this.description}: ${(e as Error).message}; it expires on its own within ${this.duration}s`,
          );
          return;
        }
        this.logger.debug(
          `releasing ${this.description} failed (${(e as Error).message}); retrying in ${delay} ms`,
        );
        await new Promise((r) => setTimeout(r, delay));
      }
    }
  }

  private fresh(now: number, transitions: number): Lease {
    return {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: {
        name: this.opts.name,
        namespace: this.opts.namespace,
        labels: { 'app.kubernetes.io/managed-by': 'upgrade-actions' },
      },
      spec: {
        holderIdentity: this.opts.identity,
        leaseDurationSeconds: this.duration,
        acquireTime: microTime(now),
        renewTime: microTime(now),
        leaseTransitions: transitions,
      },
    };
  }

  /**
   * true: written; false: look again — a 409 (someone else was faster), or a 5xx after which the create may
   * or may not have happened (the next read tells; a few in a row are an error).
   */
  private async write(method: 'POST' | 'PUT', path: string, body: Lease): Promise<boolean> {
    try {
      await this.client.request(method, path, { body });
      this.serverErrors = 0;
      return true;
    } catch (e) {
      if (e instanceof KubeApiError && e.code === 409) return false;
      if (e instanceof KubeApiError && e.code >= 500 && ++this.serverErrors < 6) {
        this.logger.info(`${method} of ${this.description} answered ${e.code}; looking again`);
        await new Promise((r) => setTimeout(r, 100 * this.serverErrors));
        return false;
      }
      throw e;
    }
  }
  private serverErrors = 0;

  private async renew(): Promise<void> {
    if (!this.held) return;
    try {
      const path = `${this.path}/${encodeURIComponent(this.opts.name)}`;
      const lease = await this.client.get<Lease>(path);
      if (lease.spec?.holderIdentity !== this.opts.identity) {
        this.logger.warning(`${this.description} was taken over by ${lease.spec?.holderIdentity}`);
        return;
      }
      await this.client.request('PUT', path, {
        body: { ...lease, spec: { ...lease.spec, renewTime: microTime(this.clock.now()) } },
      });
    } catch (e) {
      this.logger.debug(`renewing ${this.description} failed: ${(e as Error).message}`);
    }
  }

  /** Watches the Lease until it changes hands or is deleted, or `ms` pass (its holder's claim ran out). */
  private async waitForChange(seen: Lease, ms: number): Promise<void> {
    const controller = new AbortController();
    const timer = this.clock.setTimeout(() => controller.abort(), ms);
    try {
      await untilWithSync(
        this.client,
        {
          path: this.path,
          fieldSelector: `metadata.name=${this.opts.name}`,
          signal: controller.signal,
          clock: this.clock,
          logger: this.logger,
        },
        (type, obj) =>
          type === 'DELETED' ||
          (obj as Lease).spec?.holderIdentity !== seen.spec?.holderIdentity ||
          obj.metadata?.uid !== seen.metadata?.uid,
      );
    } catch {
      // Timed out: the holder's claim may have expired; the caller looks again.
    } finally {
      this.clock.clearTimeout(timer);
    }
  }
}
