import { silentLogger, type Logger } from '@upgrade-actions/common';
import {
  isNotFound,
  KubeApiError,
  KubeConnectionError,
  POD_TEMPLATE_HASH_LABEL,
  splitReplicaSets,
  type KubeClient,
  type KubeObject,
} from '@upgrade-actions/kube';
import { canaryService, MANAGED_BY, MANAGED_BY_LABEL, type Service } from '@upgrade-actions/traffic';
import { CANARY_ROLE_LABEL, type Deployment } from './objects';
import { CANARY_STATE_ANNOTATION, readCanaryState, writeCanaryState, type CanaryState } from './state';

/** On the stable Service while a routed canary is in flight: its selector before the stable pods were pinned. */
export const PINNED_ANNOTATION = 'canary.upgrade-actions.io/pinned-selector';

const enc = encodeURIComponent;
export const deploymentPath = (ns: string, name: string) =>
  `/apis/apps/v1/namespaces/${enc(ns)}/deployments/${enc(name)}`;
export const servicePath = (ns: string, name: string) =>
  `/api/v1/namespaces/${enc(ns)}/services/${enc(name)}`;

const MERGE = 'application/merge-patch+json';
const APPLY = 'application/apply-patch+yaml';

/** The cluster side of one canary: every write the engine makes goes through here, each one idempotent. */
export class CanaryCluster {
  constructor(
    readonly client: KubeClient,
    readonly namespace: string,
    readonly stable: string,
    readonly canary: string,
    readonly service: string,
    readonly canaryServiceName: string,
    private readonly fieldManager: string,
    private readonly logger: Logger = silentLogger,
  ) {}

  async getDeployment(name: string): Promise<Deployment | undefined> {
    try {
      return await this.client.get<Deployment>(deploymentPath(this.namespace, name));
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw e;
    }
  }

  async getService(name: string): Promise<Service | undefined> {
    try {
      return await this.client.get<Service>(servicePath(this.namespace, name));
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw e;
    }
  }

  async readState(): Promise<CanaryState | undefined> {
    return readCanaryState(await this.getDeployment(this.stable));
  }

  /** The canary's place, kept on the stable Deployment (which outlives the canary) after every change. */
  async saveState(state: CanaryState): Promise<void> {
    await this.client.request('PATCH', deploymentPath(this.namespace, this.stable), {
      body: { metadata: { annotations: { [CANARY_STATE_ANNOTATION]: writeCanaryState(state) } } },
      contentType: MERGE,
    });
  }

  /** Server-side apply: creating and re-asserting are the same request, so a resumed run converges. */
  async apply(obj: KubeObject, path: string): Promise<KubeObject> {
    return this.client.request('PATCH', `${path}?fieldManager=${enc(this.fieldManager)}&force=true`, {
      body: obj,
      contentType: APPLY,
    });
  }

  async applyCanaryDeployment(obj: Deployment): Promise<void> {
    await this.apply(obj, deploymentPath(this.namespace, this.canary));
  }

  async scaleCanary(replicas: number): Promise<void> {
    await this.client.request('PATCH', deploymentPath(this.namespace, this.canary), {
      body: { spec: { replicas } },
      contentType: MERGE,
    });
  }

  async applyCanaryService(stableService: Service): Promise<void> {
    const svc = canaryService(stableService, this.canaryServiceName, { [CANARY_ROLE_LABEL]: 'canary' });
    // The stable Service may carry the pin while a routed canary is in flight: the canary's selector is the user's.
    const pinned = stableService.metadata?.annotations?.[PINNED_ANNOTATION];
    if (pinned) svc.spec!.selector = { ...JSON.parse(pinned), [CANARY_ROLE_LABEL]: 'canary' };
    await this.apply(svc, servicePath(this.namespace, this.canaryServiceName));
  }

  /** The pod-template-hash of the stable Deployment's current ReplicaSet (what kubectl's rollout status follows). */
  async stableHash(stable: Deployment): Promise<string | undefined> {
    const selector = Object.entries(stable.spec?.selector?.matchLabels ?? {})
      .map(([k, v]) => `${k}=${v}`)
      .join(',');
    const list = await this.client.get<{ items: KubeObject[] }>(
      `/apis/apps/v1/namespaces/${enc(this.namespace)}/replicasets`,
      { query: { labelSelector: selector } },
    );
    const { newRS } = splitReplicaSets(stable as never, list.items as never);
    return (newRS as KubeObject | undefined)?.metadata?.labels?.[POD_TEMPLATE_HASH_LABEL];
  }

  /**
   * With a traffic router, the stable Service must select only the stable pods (the router carries the
   * split): its selector gets the stable ReplicaSet's pod-template-hash, as Argo Rollouts pins it. The
   * selector as it was is kept in an annotation, so unpin restores it exactly, from any later run.
   */
  async pinStableService(hash: string): Promise<void> {
    const svc = await this.getService(this.service);
    if (!svc) return;
    const pinned = svc.metadata?.annotations?.[PINNED_ANNOTATION];
    const original = pinned ? (JSON.parse(pinned) as Record<string, string>) : (svc.spec?.selector ?? {});
    if (svc.spec?.selector?.[POD_TEMPLATE_HASH_LABEL] === hash && pinned) return;
    await this.client.request('PATCH', servicePath(this.namespace, this.service), {
      body: {
        metadata: { annotations: { [PINNED_ANNOTATION]: JSON.stringify(original) } },
        spec: { selector: { ...original, [POD_TEMPLATE_HASH_LABEL]: hash } },
      },
      contentType: MERGE,
    });
    this.logger.info(
      `service/${this.service}: selects only the stable pods (${POD_TEMPLATE_HASH_LABEL}=${hash})`,
    );
  }

  async unpinStableService(): Promise<void> {
    const svc = await this.getService(this.service);
    const pinned = svc?.metadata?.annotations?.[PINNED_ANNOTATION];
    if (!svc || !pinned) return;
    const original = JSON.parse(pinned) as Record<string, string>;
    // A merge patch cannot replace a map: keys that the original lacks are removed with null.
    const selector: Record<string, string | null> = { ...original };
    for (const k of Object.keys(svc.spec?.selector ?? {})) if (!(k in original)) selector[k] = null;
    await this.client.request('PATCH', servicePath(this.namespace, this.service), {
      body: { metadata: { annotations: { [PINNED_ANNOTATION]: null } }, spec: { selector } },
      contentType: MERGE,
    });
    this.logger.info(`service/${this.service}: selector restored`);
  }

  /**
   * DELETE, tried again after a 5xx or a cut connection: the client repeats no DELETE (its result may
   * depend on how often it is sent), but this one cannot — the uid precondition deletes only the object
   * read, and a repeat that finds it gone (404) or replaced (409) is done.
   */
  private async deleteOnce(path: string, uid: string | undefined): Promise<void> {
    for (const delay of [250, 500, 1000, undefined]) {
      try {
        await this.client.request('DELETE', path, {
          query: { propagationPolicy: 'Background' },
          ...(uid ? { body: { apiVersion: 'v1', kind: 'DeleteOptions', preconditions: { uid } } } : {}),
        });
        return;
      } catch (e) {
        if (isNotFound(e) || (e instanceof KubeApiError && e.code === 409)) return;
        const transient =
          e instanceof KubeConnectionError || (e instanceof KubeApiError && e.code >= 500 && e.code !== 501);
        if (!transient || delay === undefined) throw e;
        this.logger.info(`DELETE ${path} failed (${(e as Error).message}); retrying in ${delay} ms`);
        await new Promise((r) => setTimeout(r, delay));
      }
    }
  }

  /** Deletes what the canary made; what is already gone is fine (a re-run after a partial cleanup). */
  async removeCanaryObjects(): Promise<void> {
    for (const [what, path] of [
      [`service/${this.canaryServiceName}`, servicePath(this.namespace, this.canaryServiceName)],
      [`deployment.apps/${this.canary}`, deploymentPath(this.namespace, this.canary)],
    ] as const) {
      try {
        const obj = await this.client.get(path);
        // Only what we made: a same-named object someone else owns is left alone.
        if (obj.metadata?.labels?.[MANAGED_BY_LABEL] !== MANAGED_BY) {
          this.logger.warning(`${what} exists but was not made by upgrade-actions; left in place`);
          continue;
        }
        await this.deleteOnce(path, obj.metadata?.uid);
        this.logger.info(`${what} deleted`);
      } catch (e) {
        if (!isNotFound(e)) throw e;
      }
    }
  }
}
